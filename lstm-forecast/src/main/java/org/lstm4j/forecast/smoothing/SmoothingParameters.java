package org.lstm4j.forecast.smoothing;

import java.util.Arrays;

/**
 * The parameters of an exponential-smoothing model, named as statsmodels names them: the smoothing
 * weights {@code alpha} (level), {@code beta} (trend) and {@code gamma} (season), and the initial
 * states {@code l0}, {@code b0} and {@code s0 = [s(-m), ..., s(-1)]}, the states before the first
 * observation. Weights and states a model does not have are 0 and an empty array.
 */
public record SmoothingParameters(double alpha, double beta, double gamma, double initialLevel, double initialTrend,
                                  double[] initialSeasons) {

    public SmoothingParameters {
        initialSeasons = initialSeasons.clone();
        for (double w : new double[] {alpha, beta, gamma}) {
            if (!(w >= 0 && w <= 1)) {
                throw new IllegalArgumentException("smoothing weights must lie in [0, 1], got alpha " + alpha + ", beta " + beta
                        + ", gamma " + gamma);
            }
        }
    }

    /** Simple exponential smoothing: a level alone. */
    public static SmoothingParameters level(double alpha, double initialLevel) {
        return new SmoothingParameters(alpha, 0, 0, initialLevel, 0, new double[0]);
    }

    @Override
    public double[] initialSeasons() {
        return initialSeasons.clone();
    }

    double season(int i) {
        return initialSeasons[i];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SmoothingParameters p && alpha == p.alpha && beta == p.beta && gamma == p.gamma
                && initialLevel == p.initialLevel && initialTrend == p.initialTrend && Arrays.equals(initialSeasons, p.initialSeasons);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(new double[] {alpha, beta, gamma, initialLevel, initialTrend}) * 31 + Arrays.hashCode(initialSeasons);
    }

    @Override
    public String toString() {
        return String.format("alpha=%.4f beta=%.4f gamma=%.4f l0=%.6g b0=%.6g s0=%s", alpha, beta, gamma, initialLevel, initialTrend,
                Arrays.toString(initialSeasons));
    }
}
