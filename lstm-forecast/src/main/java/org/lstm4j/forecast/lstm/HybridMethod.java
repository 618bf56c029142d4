package org.lstm4j.forecast.lstm;

import java.util.Arrays;
import java.util.Objects;
import org.lstm4j.forecast.Forecaster;
import org.lstm4j.forecast.Scaling;
import org.lstm4j.forecast.evaluation.ForecastMethod;
import org.lstm4j.forecast.smoothing.ExponentialSmoothing;
import org.lstm4j.forecast.smoothing.SmoothedSeries;
import org.lstm4j.forecast.smoothing.SmoothingParameters;
import org.lstm4j.predict.Predictor;
import org.lstm4j.tensor.FloatTensor;

/**
 * An LSTM that forecasts what exponential smoothing misses, in the manner of Smyl's ES-RNN (winner
 * of the M4 competition): the smoothing, with parameters fixed at training time, runs here in Java
 * before and after the model, so the same numbers reach every backend.
 *
 * <p>At an origin, with {@code l} the smoothing's level after the last observation:
 * <ul>
 *   <li>the model reads the last {@code window} observations relative to {@code l} combined with
 *       each step's seasonal factor, {@code r(t) = l + s(t)} (or {@code l * s(t)} with a
 *       multiplicative season): it sees the recent path around the current level, without the season;</li>
 *   <li>it outputs its correction to the smoothing's own forecast {@code f(h)} for each of the next
 *       {@code k} steps at once;</li>
 *   <li>the values it reads and writes are {@code (y - r)} (additive season, or none) or
 *       {@code log(y / r)} (multiplicative), then scaled by the model's recorded {@link Scaling};
 *       the forecast is {@code f(h) + z(h)} (or {@code f(h) * exp(z(h))}).</li>
 * </ul>
 * A model that outputs zeros forecasts exactly what the smoothing does. Thread-safe when its
 * predictor is; the predictor stays the caller's to close.
 */
public final class HybridMethod implements ForecastMethod {

    private final String name;
    private final Forecaster forecaster;
    private final ExponentialSmoothing smoothing;
    private final SmoothingParameters parameters;
    private final Scaling scaling;
    private final int window;
    private final boolean logRatio;

    public HybridMethod(String name, Predictor predictor, SmoothingMetadata smoothing, Scaling scaling, int window) {
        this.name = Objects.requireNonNull(name, "name");
        this.forecaster = new Forecaster(predictor);
        this.smoothing = smoothing.model();
        this.parameters = smoothing.parameters();
        this.scaling = Objects.requireNonNull(scaling, "scaling");
        this.window = window;
        this.logRatio = this.smoothing.season() == ExponentialSmoothing.Season.MULTIPLICATIVE;
        if (predictor.model().inputSize() != 1) {
            throw new IllegalArgumentException("hybrid model '" + predictor.model().name() + "' must read one value per step, it reads "
                    + predictor.model().inputSize());
        }
        if (window < 1) {
            throw new IllegalArgumentException("window must be at least 1, got " + window);
        }
    }

    @Override
    public String name() {
        return name;
    }

    /** The steps one model call forecasts: the longest horizon this method offers. */
    public int maxHorizon() {
        return forecaster.stepsPerCall();
    }

    @Override
    public double[] forecast(double[] history, int horizon) {
        return forecast(history, new int[] {history.length}, horizon)[0];
    }

    @Override
    public double[][] forecast(double[] series, int[] origins, int horizon) {
        if (horizon < 1 || horizon > maxHorizon()) {
            throw new IllegalArgumentException(name + " forecasts 1 to " + maxHorizon() + " steps at once (its model's outputs), not "
                    + horizon);
        }
        Frame[] frames = new Frame[origins.length];
        float[] inputs = new float[origins.length * window];
        for (int i = 0; i < origins.length; i++) {
            frames[i] = frame(series, origins[i], horizon);
            for (int j = 0; j < window; j++) {
                inputs[i * window + j] = (float) frames[i].inputs[j];
            }
        }
        FloatTensor z = forecaster.forecast(FloatTensor.of(new int[] {origins.length, window, 1}, inputs), horizon);
        double[][] out = new double[origins.length][horizon];
        for (int i = 0; i < origins.length; i++) {
            for (int h = 0; h < horizon; h++) {
                double correction = scaling.unscale(z.get(i * horizon + h));
                double f = frames[i].smoothingForecast[h];
                out[i][h] = logRatio ? f * Math.exp(correction) : f + correction;
            }
        }
        return out;
    }

    /** What the model reads at an origin (scaled), and the smoothing's forecast it corrects. */
    record Frame(double[] inputs, double[] smoothingForecast) {
    }

    /** The frame at {@code origin}: the smoothing runs over the observations before it, never after. */
    Frame frame(double[] series, int origin, int horizon) {
        if (origin < window || origin > series.length) {
            throw new IllegalArgumentException(name + " reads " + window + " steps; origin " + origin + " of a series of "
                    + series.length + " has " + Math.min(origin, series.length) + " before it");
        }
        SmoothedSeries s = smoothing.run(parameters, Arrays.copyOf(series, origin));
        double level = s.level(origin - 1);
        double[] inputs = new double[window];
        for (int j = 0; j < window; j++) {
            int t = origin - window + j;
            double season = s.seasonAt(t);
            double relative = logRatio ? Math.log(series[t] / (level * season)) : series[t] - (level + season);
            inputs[j] = scaling.scale(relative);
        }
        return new Frame(inputs, s.forecast(horizon));
    }

    @Override
    public String toString() {
        return name + " (" + smoothing + ")";
    }
}
