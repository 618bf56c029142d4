package org.lstm4j.predict;

import java.util.Objects;
import org.lstm4j.tensor.FloatTensor;
import org.lstm4j.tensor.IntTensor;

/**
 * What a {@link Predictor} returns: the model's output ({@code [batch, time, out]} or
 * {@code [batch, out]}) and the final state of every LSTM layer. For sequences shorter than the
 * time axis, or masked steps, outputs and final states follow {@link StepMask}'s equations.
 */
public record Prediction(FloatTensor output, ModelState finalState) {
    public Prediction {
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(finalState, "final state");
    }

    /**
     * The index of the largest value along the last axis: the class of a classifier ({@code [batch]}
     * from {@code [batch, classes]}) or a tagger ({@code [batch, time]} from {@code [batch, time, classes]}).
     * The first index wins a tie; NaN counts as the largest value, as NumPy's argmax does.
     */
    public IntTensor argmax() {
        int[] shape = output.shape();
        int classes = shape[shape.length - 1];
        int rows = classes == 0 ? 0 : output.size() / classes;
        int[] out = new int[rows];
        for (int r = 0; r < rows; r++) {
            int best = 0;
            float max = output.get(r * classes);
            for (int k = 1; k < classes && !Float.isNaN(max); k++) {
                float v = output.get(r * classes + k);
                if (v > max || Float.isNaN(v)) {
                    max = v;
                    best = k;
                }
            }
            out[r] = best;
        }
        return IntTensor.of(java.util.Arrays.copyOf(shape, shape.length - 1), out);
    }
}
