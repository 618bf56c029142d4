package org.lstm4j.forecast.smoothing;

import java.util.Arrays;

/**
 * An exponential-smoothing model run over a series: its one-step in-sample predictions, its states
 * after every observation, and its forecasts. Immutable.
 */
public final class SmoothedSeries {

    private final ExponentialSmoothing model;
    private final SmoothingParameters parameters;
    final double[] fitted;          // read by SmoothingFit without a copy
    private final double[] level;   // level[t + 1] = l(t); level[0] = l0
    private final double[] slope;   // slope[t + 1] = b(t)
    private final double[] seasons; // seasons[t] = s(t - m), the factor in effect at step t; seasons[t + m] = s(t)
    private final double sse;

    private SmoothedSeries(ExponentialSmoothing model, SmoothingParameters parameters, double[] fitted, double[] level, double[] slope,
                           double[] seasons, double sse) {
        this.model = model;
        this.parameters = parameters;
        this.fitted = fitted;
        this.level = level;
        this.slope = slope;
        this.seasons = seasons;
        this.sse = sse;
    }

    static SmoothedSeries of(ExponentialSmoothing model, SmoothingParameters p, double[] y) {
        int n = y.length;
        int m = model.period();
        boolean multiplicative = model.season() == ExponentialSmoothing.Season.MULTIPLICATIVE;
        boolean trended = model.trend() == ExponentialSmoothing.Trend.ADDITIVE;
        double a = p.alpha();
        double b = p.beta();
        double g = p.gamma();
        double[] fitted = new double[n];
        double[] level = new double[n + 1];
        double[] slope = new double[n + 1];
        double[] seasons = new double[n + m];
        level[0] = p.initialLevel();
        slope[0] = p.initialTrend();
        for (int i = 0; i < m; i++) {
            seasons[i] = p.season(i);
        }
        double sse = 0;
        for (int t = 0; t < n; t++) {
            double base = level[t] + slope[t];
            double prior = m == 0 ? 0 : seasons[t];
            if (multiplicative) {
                fitted[t] = base * prior;
                level[t + 1] = a * y[t] / prior + (1 - a) * base;
                seasons[t + m] = g * y[t] / base + (1 - g) * prior;
            } else {
                fitted[t] = base + prior;
                level[t + 1] = a * (y[t] - prior) + (1 - a) * base;
                if (m > 0) {
                    seasons[t + m] = g * (y[t] - base) + (1 - g) * prior;
                }
            }
            slope[t + 1] = trended ? b * (level[t + 1] - level[t]) + (1 - b) * slope[t] : 0;
            double e = y[t] - fitted[t];
            sse += e * e;
        }
        return new SmoothedSeries(model, p, fitted, level, slope, seasons, sse);
    }

    public ExponentialSmoothing model() {
        return model;
    }

    public SmoothingParameters parameters() {
        return parameters;
    }

    /** The number of observations the model ran over. */
    public int length() {
        return fitted.length;
    }

    /** The one-step in-sample predictions: {@code fitted[t]} is the forecast of {@code y[t]} made at {@code t - 1}. */
    public double[] fitted() {
        return fitted.clone();
    }

    /** The in-sample sum of squared one-step errors, the quantity the fit minimises. */
    public double sse() {
        return sse;
    }

    /** The level after observation {@code t} ({@code t = -1}: the initial level). */
    public double level(int t) {
        return level[t + 1];
    }

    /** The trend (slope) after observation {@code t}; 0 without a trend. */
    public double slope(int t) {
        return slope[t + 1];
    }

    /**
     * The seasonal factor in effect at step {@code t}, before {@code y[t]} is seen: {@code s(t - m)}
     * for {@code t} inside the series, and the factor the forecast uses after it. 0 (additive) or 1
     * (multiplicative) without a season.
     */
    public double seasonAt(int t) {
        int m = model.period();
        if (m == 0) {
            return model.season() == ExponentialSmoothing.Season.MULTIPLICATIVE ? 1 : 0;
        }
        int n = length();
        return t < n ? seasons[t] : seasons[n + (t - n) % m];
    }

    /** Forecasts {@code horizon} steps after the series: {@code l(T) + h b(T)}, with the season added or multiplied. */
    public double[] forecast(int horizon) {
        if (horizon < 1) {
            throw new IllegalArgumentException("horizon must be at least 1, got " + horizon);
        }
        int n = length();
        double[] out = new double[horizon];
        for (int h = 1; h <= horizon; h++) {
            double trend = level[n] + h * slope[n];
            double s = seasonAt(n + h - 1);
            out[h - 1] = model.season() == ExponentialSmoothing.Season.MULTIPLICATIVE ? trend * s : trend + s;
        }
        return out;
    }

    @Override
    public String toString() {
        return model + " over " + length() + " steps, SSE " + sse + ", " + parameters + ", last season "
                + Arrays.toString(Arrays.copyOfRange(seasons, seasons.length - model.period(), seasons.length));
    }
}
