package org.lstm4j.predict;

import java.util.Arrays;
import java.util.Objects;
import org.lstm4j.tensor.FloatTensor;

/**
 * The state of one LSTM layer: hidden {@code h} and cell {@code c}, each
 * {@code [directions, batch, hidden]} as the ONNX operator lays out initial_h and Y_h
 * (forward direction first). Immutable.
 */
public record LstmState(FloatTensor hidden, FloatTensor cell) {

    public LstmState {
        Objects.requireNonNull(hidden, "hidden state");
        Objects.requireNonNull(cell, "cell state");
        if (hidden.rank() != 3 || !Arrays.equals(hidden.shape(), cell.shape())) {
            throw new IllegalArgumentException("hidden and cell states must both be [directions, batch, hidden], got "
                    + Arrays.toString(hidden.shape()) + " and " + Arrays.toString(cell.shape()));
        }
    }

    /** Zeros for a layer of {@code directions} directions, {@code batch} sequences and {@code hidden} units. */
    public static LstmState zeros(int directions, int batch, int hidden) {
        FloatTensor z = FloatTensor.zeros(directions, batch, hidden);
        return new LstmState(z, z);
    }

    public int directions() {
        return hidden.dim(0);
    }

    public int batch() {
        return hidden.dim(1);
    }

    public int hiddenSize() {
        return hidden.dim(2);
    }
}
