package org.lstm4j.forecast.smoothing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.commons.math3.exception.MathIllegalStateException;
import org.apache.commons.math3.fitting.leastsquares.LeastSquaresBuilder;
import org.apache.commons.math3.fitting.leastsquares.LeastSquaresProblem;
import org.apache.commons.math3.fitting.leastsquares.LevenbergMarquardtOptimizer;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.RealVector;
import org.apache.commons.math3.util.Pair;

/**
 * Least-squares fit of an exponential-smoothing model, weights and initial states together: the
 * one-step predictions are fitted to the observations by commons-math3's Levenberg-Marquardt (a
 * forward-difference Jacobian; bounds by projection), from heuristic initial states and the best
 * weights of a coarse grid, as statsmodels starts its own search. (commons-math3's BOBYQA reached
 * the same SSE but spent about 90% of its time in its own bookkeeping: 10 s for one monthly fit.)
 *
 * <p>The optimiser sees the weights as {@code u} in [0, 1]: {@code alpha = u_a}, {@code beta =
 * u_b alpha}, {@code gamma = u_g (1 - alpha)} (statsmodels' transform to its usual region), and
 * the states in units of the series' typical one-step change, so that steps in both are alike.
 */
final class SmoothingFit {

    private static final double EDGE = Math.sqrt(Math.ulp(1.0));  // statsmodels keeps alpha this far inside (0, 1)
    private static final double STEP = 1e-7;                       // finite-difference step, in optimiser units
    private static final double POSITIVE = 1e-8;                   // multiplicative level and seasons stay above this
    private static final int MAX_EVALUATIONS = 2_000;
    private static final int STARTS = 3;

    private final ExponentialSmoothing model;
    private final double[] y;
    private final boolean trended;
    private final boolean multiplicative;
    private final int m;
    private final int weights;
    private final double unit;
    private final double seasonUnit;

    SmoothingFit(ExponentialSmoothing model, double[] y) {
        this.model = model;
        this.y = y;
        this.trended = model.trend() == ExponentialSmoothing.Trend.ADDITIVE;
        this.multiplicative = model.season() == ExponentialSmoothing.Season.MULTIPLICATIVE;
        this.m = model.period();
        this.weights = 1 + (trended ? 1 : 0) + (m > 0 ? 1 : 0);
        double change = 0;
        double mean = 0;
        for (int t = 0; t < y.length; t++) {
            mean += Math.abs(y[t]) / y.length;
            if (t > 0) {
                change += Math.abs(y[t] - y[t - 1]) / (y.length - 1);
            }
        }
        this.unit = change > 0 ? change : Math.max(mean, 1);
        this.seasonUnit = multiplicative ? unit / mean : unit;
    }

    /**
     * The fitted parameters: searched from heuristic states with each of the {@value #STARTS} best
     * weights of a coarse grid, keeping the best (one start alone missed statsmodels' SSE by 2% on
     * a quarterly series whose optimum lies on the bound alpha = 1).
     */
    SmoothingParameters parameters() {
        List<SmoothingParameters> starts = gridStarts(heuristic());
        SmoothingParameters best = starts.get(0);
        double bestSse = SmoothedSeries.of(model, best, y).sse();
        bestSse = Double.isNaN(bestSse) ? Double.POSITIVE_INFINITY : bestSse;
        for (SmoothingParameters from : starts) {
            SmoothingParameters p;
            try {
                p = leastSquares(from);
            } catch (MathIllegalStateException notConverged) {
                continue;  // out of evaluations (or another failure to converge) from this start: the other starts remain
            }
            double sse = SmoothedSeries.of(model, p, y).sse();
            if (sse < bestSse) {
                bestSse = sse;
                best = p;
            }
        }
        return best;
    }

    /** Levenberg-Marquardt from {@code from}: weights in their unit interval, states as offsets from {@code from}'s. */
    private SmoothingParameters leastSquares(SmoothingParameters from) {
        int n = weights + 1 + (trended ? 1 : 0) + m;
        double[] x0 = new double[n];
        double[] lower = new double[n];
        double[] upper = new double[n];
        System.arraycopy(toUnit(from), 0, x0, 0, weights);
        Arrays.fill(upper, 0, weights, 1);
        Arrays.fill(lower, weights, n, Double.NEGATIVE_INFINITY);
        Arrays.fill(upper, weights, n, Double.POSITIVE_INFINITY);
        if (multiplicative) {
            // level and seasonal factors stay positive
            lower[weights] = (POSITIVE - from.initialLevel()) / unit;
            for (int i = 0; i < m; i++) {
                lower[n - m + i] = (POSITIVE - from.season(i)) / seasonUnit;
            }
        }
        LeastSquaresProblem problem = new LeastSquaresBuilder()
                .start(x0)
                .target(y)
                .model(x -> fittedWithJacobian(x.toArray(), from, upper))
                .parameterValidator(x -> new ArrayRealVector(inside(x.toArray(), lower, upper), false))
                .maxEvaluations(MAX_EVALUATIONS)
                .maxIterations(MAX_EVALUATIONS)
                .build();
        return decode(inside(new LevenbergMarquardtOptimizer().optimize(problem).getPoint().toArray(), lower, upper), from);
    }

    /**
     * The one-step predictions at {@code x} and their Jacobian by forward differences (backward at
     * an upper bound): the model Levenberg-Marquardt fits to the observations.
     */
    private Pair<RealVector, RealMatrix> fittedWithJacobian(double[] x, SmoothingParameters from, double[] upper) {
        double[] f = SmoothedSeries.of(model, decode(x, from), y).fitted;
        double[][] jacobian = new double[y.length][x.length];
        for (int j = 0; j < x.length; j++) {
            double saved = x[j];
            double h = saved + STEP <= upper[j] ? STEP : -STEP;
            x[j] = saved + h;
            double[] g = SmoothedSeries.of(model, decode(x, from), y).fitted;
            x[j] = saved;
            for (int t = 0; t < y.length; t++) {
                jacobian[t][j] = (g[t] - f[t]) / h;
            }
        }
        return new Pair<>(new ArrayRealVector(f, false), new Array2DRowRealMatrix(jacobian, false));
    }

    /** Maps the optimiser's point to parameters: weights from their unit interval, states as offsets from {@code from}'s. */
    private SmoothingParameters decode(double[] x, SmoothingParameters from) {
        int i = 0;
        double alpha = EDGE + x[i++] * (1 - 2 * EDGE);
        double beta = trended ? x[i++] * alpha : 0;
        double gamma = m > 0 ? x[i++] * (1 - alpha) : 0;
        double l0 = from.initialLevel() + unit * x[i++];
        double b0 = trended ? from.initialTrend() + unit * x[i++] : 0;
        double[] s = new double[m];
        for (int j = 0; j < m; j++) {
            s[j] = from.season(j) + seasonUnit * x[i++];
        }
        return new SmoothingParameters(clamp(alpha, 0, 1), clamp(beta, 0, 1), clamp(gamma, 0, 1), l0, b0, s);
    }

    private double[] toUnit(SmoothingParameters p) {
        double[] u = new double[weights];
        int i = 0;
        u[i++] = p.alpha();
        if (trended) {
            u[i++] = p.alpha() > 0 ? p.beta() / p.alpha() : 0;
        }
        if (m > 0) {
            u[i] = p.alpha() < 1 ? p.gamma() / (1 - p.alpha()) : 0;
        }
        return u;
    }

    /** The weights of a coarse grid with the lowest SSE at the heuristic states (as statsmodels' "brute" start), best first. */
    private List<SmoothingParameters> gridStarts(SmoothingParameters states) {
        double[] grid = {0.05, 0.2, 0.4, 0.6, 0.8, 0.95};
        List<Map.Entry<Double, SmoothingParameters>> scored = new ArrayList<>();
        for (double a : grid) {
            for (double ub : trended ? grid : new double[] {0}) {
                for (double ug : m > 0 ? grid : new double[] {0}) {
                    SmoothingParameters p = new SmoothingParameters(a, ub * a, ug * (1 - a), states.initialLevel(), states.initialTrend(),
                            states.initialSeasons());
                    double sse = SmoothedSeries.of(model, p, y).sse();
                    scored.add(Map.entry(Double.isFinite(sse) ? sse : Double.MAX_VALUE, p));
                }
            }
        }
        scored.sort(Map.Entry.comparingByKey());
        return scored.stream().limit(STARTS).map(Map.Entry::getValue).toList();
    }

    /**
     * Initial states from the first seasons: the trend from the change between the first two
     * seasons' means, the level one step before the first observation, each seasonal factor the
     * mean deviation (or ratio) of its position from that line over the first two seasons,
     * normalised to sum to 0 (or average 1).
     */
    private SmoothingParameters heuristic() {
        int span = Math.max(m, 1);
        int seasonsUsed = Math.min(2, y.length / span);
        double first = mean(0, span);
        double b0 = 0;
        if (trended) {
            b0 = seasonsUsed >= 2 && m > 0 ? (mean(span, 2 * span) - first) / span : (y[Math.min(9, y.length - 1)] - y[0]) / Math.min(9, y.length - 1);
        }
        double l0 = m > 0 ? first - b0 * (span + 1) / 2.0 : y[0] - b0;
        double[] s = new double[m];
        for (int j = 0; j < m; j++) {
            double sum = 0;
            for (int c = 0; c < seasonsUsed; c++) {
                int t = c * m + j;
                double line = l0 + (t + 1) * b0;
                sum += multiplicative ? y[t] / line : y[t] - line;
            }
            s[j] = sum / seasonsUsed;
        }
        double centre = 0;
        for (double v : s) {
            centre += v / m;
        }
        for (int j = 0; j < m; j++) {
            s[j] = multiplicative ? s[j] / centre : s[j] - centre;
        }
        return new SmoothingParameters(0.5, 0, 0, l0, b0, s);
    }

    private double mean(int from, int to) {
        double sum = 0;
        for (int t = from; t < to; t++) {
            sum += y[t];
        }
        return sum / (to - from);
    }

    private static double[] inside(double[] x, double[] lower, double[] upper) {
        double[] out = x.clone();
        for (int i = 0; i < x.length; i++) {
            out[i] = clamp(x[i], lower[i], upper[i]);
        }
        return out;
    }

    private static double clamp(double v, double lo, double hi) {
        return Math.max(lo, Math.min(hi, v));
    }
}
