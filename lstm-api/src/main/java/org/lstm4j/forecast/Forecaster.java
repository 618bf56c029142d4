package org.lstm4j.forecast;

import java.util.Arrays;
import java.util.Objects;
import org.lstm4j.model.SequenceModel;
import org.lstm4j.predict.Predictor;
import org.lstm4j.predict.StreamingPredictor;
import org.lstm4j.tensor.FloatTensor;
import org.lstm4j.tensor.TensorBuilder;

/**
 * Rolls a model forward over a time series, feeding its predictions back as inputs.
 *
 * <p>A model predicts the next {@code k} steps from a window of past ones. When its output has as
 * many features as its input ({@code k = 1}), each prediction becomes the next input step; when it
 * reads one feature and outputs {@code k > 1} values (a direct multi-step model), each call yields
 * {@code k} new steps at once. Outputs of sequence models are taken at their last step.
 *
 * <p>{@link Mode#SLIDING_WINDOW} (the default) re-runs the model on the latest window each time,
 * which is how a model trained on fixed windows (a Keras {@code LSTM} fitted on
 * {@code timeseries_dataset_from_array}) expects to be used. {@link Mode#STATEFUL} instead reads
 * the history once and carries the LSTM state forward, for models trained statefully.
 *
 * <p>A forecaster keeps no state of its own: it is thread-safe when its predictor is.
 */
public final class Forecaster {

    /** How the model sees its past. */
    public enum Mode { SLIDING_WINDOW, STATEFUL }

    private final Predictor predictor;
    private final Mode mode;

    public Forecaster(Predictor predictor) {
        this(predictor, Mode.SLIDING_WINDOW);
    }

    public Forecaster(Predictor predictor, Mode mode) {
        this.predictor = Objects.requireNonNull(predictor, "predictor");
        this.mode = Objects.requireNonNull(mode, "mode");
        SequenceModel m = predictor.model();
        int k = m.outputSize();
        if (k != m.inputSize() && m.inputSize() != 1) {
            throw new IllegalArgumentException("model '" + m.name() + "' reads " + m.inputSize() + " features and outputs " + k
                    + "; to forecast, its output must be the next step of its input (equal sizes), or it must read one feature "
                    + "and output the next k values");
        }
        if (mode == Mode.STATEFUL && k != m.inputSize()) {
            throw new IllegalArgumentException("stateful forecasting feeds one predicted step at a time; model '" + m.name()
                    + "' outputs " + k + " values per call for " + m.inputSize() + " input feature(s)");
        }
    }

    /** Steps produced by one model call. */
    public int stepsPerCall() {
        SequenceModel m = predictor.model();
        return m.outputSize() == m.inputSize() ? 1 : m.outputSize();
    }

    /**
     * Forecasts {@code horizon} steps after each series in {@code history}.
     *
     * @param history {@code [batch, window, features]}: the window the model reads (sliding mode),
     *                or the whole past (stateful mode)
     * @return {@code [batch, horizon, features]}
     */
    public FloatTensor forecast(FloatTensor history, int horizon) {
        if (history.rank() != 3 || history.dim(2) != predictor.model().inputSize()) {
            throw new IllegalArgumentException("history must be [batch, window, " + predictor.model().inputSize() + "], got "
                    + Arrays.toString(history.shape()));
        }
        if (horizon < 1) {
            throw new IllegalArgumentException("horizon must be at least 1, got " + horizon);
        }
        return mode == Mode.SLIDING_WINDOW ? slide(history, horizon) : carry(history, horizon);
    }

    private FloatTensor slide(FloatTensor history, int horizon) {
        int b = history.dim(0);
        int w = history.dim(1);
        int f = history.dim(2);
        int k = stepsPerCall();
        float[] window = history.toArray();
        TensorBuilder out = new TensorBuilder(b, horizon, f);
        float[] result = out.values();
        int done = 0;
        while (done < horizon) {
            float[] next = lastStep(predictor.predict(FloatTensor.of(new int[] {b, w, f}, window)).output());
            int take = Math.min(k, horizon - done);
            float[] shifted = new float[window.length];
            for (int s = 0; s < b; s++) {
                // Per series, next holds k steps of f features (k = 1, or f = 1): k * f values.
                int from = s * k * f;
                System.arraycopy(next, from, result, (s * horizon + done) * f, take * f);
                int keep = Math.max(0, w - k);
                System.arraycopy(window, (s * w + w - keep) * f, shifted, s * w * f, keep * f);
                int fresh = w - keep;
                System.arraycopy(next, from + (k - fresh) * f, shifted, (s * w + keep) * f, fresh * f);
            }
            window = shifted;
            done += take;
        }
        return out.build();
    }

    private FloatTensor carry(FloatTensor history, int horizon) {
        int b = history.dim(0);
        int f = history.dim(2);
        TensorBuilder out = new TensorBuilder(b, horizon, f);
        float[] result = out.values();
        try (StreamingPredictor stream = predictor.stream(b)) {
            float[] next = lastStep(stream.chunk(history));
            for (int step = 0; step < horizon; step++) {
                for (int s = 0; s < b; s++) {
                    System.arraycopy(next, s * f, result, (s * horizon + step) * f, f);
                }
                if (step + 1 < horizon) {
                    next = stream.step(FloatTensor.of(new int[] {b, f}, next)).toArray();
                }
            }
        }
        return out.build();
    }

    /** The output at the last step: {@code [batch, k]} values per series. */
    private static float[] lastStep(FloatTensor output) {
        if (output.rank() == 2) {
            return output.toArray();
        }
        int b = output.dim(0);
        int t = output.dim(1);
        int k = output.dim(2);
        float[] all = output.toArray();
        float[] last = new float[b * k];
        for (int s = 0; s < b; s++) {
            System.arraycopy(all, (s * t + t - 1) * k, last, s * k, k);
        }
        return last;
    }
}
