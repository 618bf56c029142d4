package org.lstm4j.model;

/**
 * What an LSTM layer passes on. The three differ for reverse and bidirectional layers and for
 * sequences shorter than the batch's time axis, which is why importers must choose one.
 */
public enum OutputMode {
    /** Every step: {@code [batch, time, width]} (Keras {@code return_sequences=True}, ONNX Y). */
    SEQUENCES,
    /**
     * The final hidden state of each direction, merged: {@code [batch, width]} (Keras
     * {@code return_sequences=False}, ONNX Y_h). For a reverse direction that is its output at
     * step 0; for a sequence of length L, the forward one at step L-1. With a mask: each direction's
     * output at its last valid step, zeros for a row without one (see {@link org.lstm4j.predict.StepMask}).
     */
    FINAL_STATE,
    /**
     * The output at the last time step of the batch, {@code y[:, T-1, :]} (PyTorch's
     * {@code out[:, -1, :]} idiom). For a reverse direction this is its first step, and for
     * padded sequences it is the padding's output ({@link MaskedOutput}).
     */
    LAST_STEP
}
