package org.lstm4j.forecast.lstm;

import java.util.Map;
import java.util.Objects;
import org.lstm4j.forecast.Forecaster;
import org.lstm4j.forecast.Scaling;
import org.lstm4j.forecast.evaluation.ForecastMethod;
import org.lstm4j.predict.Predictor;
import org.lstm4j.tensor.FloatTensor;

/**
 * A univariate LSTM as a forecast method: the last {@code window} observations, scaled as the
 * model was trained, rolled forward by {@link Forecaster}, and unscaled. All origins go to the
 * backend as one batch. Thread-safe when its predictor is; the predictor stays the caller's to close.
 */
public final class LstmMethod implements ForecastMethod {

    /** The model metadata key that records how many steps the model reads. */
    public static final String WINDOW = "lstm4j.window";

    /**
     * The forecast method a model's metadata describes: a {@link HybridMethod} when it records a
     * smoothing ({@link SmoothingMetadata}), else a plain LSTM; scaled by its recorded {@link Scaling}.
     *
     * @param window steps the model reads; {@code null}: the model's recorded {@value #WINDOW}
     * @param mode   how a plain LSTM rolls forward (a hybrid forecasts its horizon in one call)
     */
    public static ForecastMethod fromModel(Predictor predictor, Integer window, Forecaster.Mode mode) {
        Map<String, String> meta = predictor.model().metadata();
        Scaling scaling = Scaling.fromMetadata(meta).orElse(Scaling.identity());
        int w;
        if (window != null) {
            w = window;
        } else if (meta.containsKey(WINDOW)) {
            w = Integer.parseInt(meta.get(WINDOW).strip());
        } else {
            throw new IllegalArgumentException("model '" + predictor.model().name() + "' records no '" + WINDOW + "'; give the window");
        }
        return SmoothingMetadata.present(meta)
                ? new HybridMethod("LSTM (ES hybrid)", predictor, SmoothingMetadata.read(meta), scaling, w)
                : new LstmMethod("LSTM", predictor, scaling, w, mode);
    }

    private final String name;
    private final Forecaster forecaster;
    private final Scaling scaling;
    private final int window;

    public LstmMethod(String name, Predictor predictor, Scaling scaling, int window, Forecaster.Mode mode) {
        this.name = Objects.requireNonNull(name, "name");
        this.forecaster = new Forecaster(predictor, mode);
        this.scaling = Objects.requireNonNull(scaling, "scaling");
        if (predictor.model().inputSize() != 1) {
            throw new IllegalArgumentException("model '" + predictor.model().name() + "' reads " + predictor.model().inputSize()
                    + " features per step; a univariate forecast method needs one");
        }
        if (window < 1) {
            throw new IllegalArgumentException("window must be at least 1, got " + window);
        }
        this.window = window;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public double[] forecast(double[] history, int horizon) {
        return forecast(history, new int[] {history.length}, horizon)[0];
    }

    @Override
    public double[][] forecast(double[] series, int[] origins, int horizon) {
        float[] windows = new float[origins.length * window];
        for (int i = 0; i < origins.length; i++) {
            if (origins[i] < window || origins[i] > series.length) {
                throw new IllegalArgumentException(name + " reads " + window + " steps; origin " + origins[i] + " of a series of "
                        + series.length + " has " + Math.min(origins[i], series.length) + " before it");
            }
            for (int j = 0; j < window; j++) {
                windows[i * window + j] = (float) scaling.scale(series[origins[i] - window + j]);
            }
        }
        FloatTensor out = forecaster.forecast(FloatTensor.of(new int[] {origins.length, window, 1}, windows), horizon);
        double[][] forecasts = new double[origins.length][horizon];
        for (int i = 0; i < origins.length; i++) {
            for (int h = 0; h < horizon; h++) {
                forecasts[i][h] = scaling.unscale(out.get(i * horizon + h));
            }
        }
        return forecasts;
    }

    @Override
    public String toString() {
        return name;
    }
}
