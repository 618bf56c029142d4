package org.lstm4j.forecast.smoothing;

import java.util.Objects;

/**
 * Exponential smoothing with an optional additive trend and an optional additive or multiplicative
 * season: simple exponential smoothing, Holt's linear method, and Holt-Winters. The recursions are
 * the component form of Hyndman and Athanasopoulos, <i>Forecasting: Principles and Practice</i>,
 * section 8.3, as statsmodels' {@code holtwinters.ExponentialSmoothing} writes them (the season is
 * updated against the level before the observation, {@code l(t-1) + b(t-1)}):
 *
 * <pre>
 * additive season                                   multiplicative season
 * yhat(t) = l(t-1) + b(t-1) + s(t-m)                yhat(t) = (l(t-1) + b(t-1)) * s(t-m)
 * l(t) = a (y(t) - s(t-m)) + (1-a)(l(t-1)+b(t-1))   l(t) = a y(t) / s(t-m) + (1-a)(l(t-1)+b(t-1))
 * b(t) = b (l(t) - l(t-1)) + (1-b) b(t-1)           (same)
 * s(t) = g (y(t) - l(t-1) - b(t-1)) + (1-g) s(t-m)  s(t) = g y(t) / (l(t-1)+b(t-1)) + (1-g) s(t-m)
 * </pre>
 *
 * and the forecast {@code yhat(T+h) = l(T) + h b(T)} combined with the last season's
 * {@code s(T+h-m(k+1))}, {@code k = (h-1) / m}. (statsmodels 0.15.0 forecasts steps {@code h = m, 2m, ...}
 * with {@code s(T-m)} instead of {@code s(T)}: its issue 9538, fixed by its pull request 10230; we
 * follow the textbook.) Without a trend {@code b = 0}; without a season {@code s = 0}.
 *
 * <p>{@link #fit} chooses the parameters that minimise the in-sample sum of squared one-step
 * errors, as statsmodels does; {@link #run} applies given ones. Instances are immutable.
 */
public final class ExponentialSmoothing {

    /** The trend component. */
    public enum Trend { NONE, ADDITIVE }

    /** The seasonal component. */
    public enum Season { NONE, ADDITIVE, MULTIPLICATIVE }

    private final Trend trend;
    private final Season season;
    private final int period;

    public ExponentialSmoothing(Trend trend, Season season, int period) {
        this.trend = Objects.requireNonNull(trend, "trend");
        this.season = Objects.requireNonNull(season, "season");
        if (season != Season.NONE && period < 2) {
            throw new IllegalArgumentException("a seasonal model needs a period of at least 2, got " + period);
        }
        this.period = season == Season.NONE ? 0 : period;
    }

    /** Simple exponential smoothing: the level alone. */
    public static ExponentialSmoothing simple() {
        return new ExponentialSmoothing(Trend.NONE, Season.NONE, 0);
    }

    /** Additive Holt-Winters: additive trend and additive season. */
    public static ExponentialSmoothing holtWintersAdditive(int period) {
        return new ExponentialSmoothing(Trend.ADDITIVE, Season.ADDITIVE, period);
    }

    /** Multiplicative Holt-Winters: additive trend and multiplicative season. */
    public static ExponentialSmoothing holtWintersMultiplicative(int period) {
        return new ExponentialSmoothing(Trend.ADDITIVE, Season.MULTIPLICATIVE, period);
    }

    public Trend trend() {
        return trend;
    }

    public Season season() {
        return season;
    }

    /** The season length m; 0 without a season. */
    public int period() {
        return period;
    }

    /** What forecasters call it: "simple exponential smoothing", "Holt-Winters additive", ... */
    public String name() {
        if (season == Season.NONE) {
            return trend == Trend.NONE ? "simple exponential smoothing" : "Holt's linear trend";
        }
        String kind = season == Season.ADDITIVE ? "additive" : "multiplicative";
        return trend == Trend.ADDITIVE ? "Holt-Winters " + kind : "seasonal smoothing, " + kind;
    }

    /** Runs the recursions with the given parameters over {@code y}. */
    public SmoothedSeries run(SmoothingParameters p, double[] y) {
        checkParameters(p);
        checkSeries(y);
        return SmoothedSeries.of(this, p, y);
    }

    /**
     * Fits the parameters to {@code y} by minimising the sum of squared one-step errors (weights
     * and initial states together; the weights kept in the usual region {@code 0 <= beta <= alpha},
     * {@code 0 <= gamma <= 1 - alpha}, as statsmodels keeps them), then runs the recursions.
     */
    public SmoothedSeries fit(double[] y) {
        checkSeries(y);
        return run(new SmoothingFit(this, y).parameters(), y);
    }

    /** The minimum length {@link #fit} accepts: two full seasons, and at least 10 steps. */
    public int minimumLength() {
        return Math.max(10, 2 * period + (trend == Trend.ADDITIVE ? 1 : 0));
    }

    private void checkSeries(double[] y) {
        if (y.length < minimumLength()) {
            throw new IllegalArgumentException(name() + " needs at least " + minimumLength() + " observations, got " + y.length);
        }
        for (int t = 0; t < y.length; t++) {
            if (!Double.isFinite(y[t]) || (season == Season.MULTIPLICATIVE && y[t] <= 0)) {
                throw new IllegalArgumentException(name() + ": observation " + t + " is " + y[t] + "; the series must be finite"
                        + (season == Season.MULTIPLICATIVE ? " and positive (multiplicative season)" : ""));
            }
        }
    }

    private void checkParameters(SmoothingParameters p) {
        if (p.initialSeasons().length != period) {
            throw new IllegalArgumentException(name() + " has " + period + " initial seasons, got " + p.initialSeasons().length);
        }
        if (trend == Trend.NONE && (p.beta() != 0 || p.initialTrend() != 0)) {
            throw new IllegalArgumentException(name() + " has no trend, got beta " + p.beta() + " and b0 " + p.initialTrend());
        }
        if (season == Season.NONE && p.gamma() != 0) {
            throw new IllegalArgumentException(name() + " has no season, got gamma " + p.gamma());
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ExponentialSmoothing e && trend == e.trend && season == e.season && period == e.period;
    }

    @Override
    public int hashCode() {
        return Objects.hash(trend, season, period);
    }

    @Override
    public String toString() {
        return name() + (period > 0 ? " (period " + period + ")" : "");
    }
}
