package org.lstm4j.predict;

import java.util.Objects;
import org.lstm4j.tensor.FloatTensor;

/**
 * What a {@link Predictor} returns: the model's output ({@code [batch, time, out]} or
 * {@code [batch, out]}) and the final state of every LSTM layer. For sequences shorter than the
 * time axis, outputs past the end are those of zero LSTM outputs (as ONNX defines) and the final
 * state is that after each sequence's last valid step.
 */
public record Prediction(FloatTensor output, ModelState finalState) {
    public Prediction {
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(finalState, "final state");
    }
}
