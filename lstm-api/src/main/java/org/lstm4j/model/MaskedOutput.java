package org.lstm4j.model;

/**
 * What an LSTM layer outputs at a masked step of a sequence output (the masked equations are in
 * {@link org.lstm4j.predict.StepMask}). Frameworks differ here, so importers must say which.
 */
public enum MaskedOutput {
    /**
     * Zeros: ONNX's {@code sequence_lens}, PyTorch's {@code pad_packed_sequence}, and Keras inside
     * {@code Bidirectional} (which sets {@code zero_output_for_mask} on its sublayers when they return
     * sequences) or with {@code zero_output_for_mask=True}. The default.
     */
    ZERO,
    /**
     * The output of the most recent valid step before it in processing order, and zeros before the
     * first: a plain Keras {@code LSTM} with a mask ({@code zero_output_for_mask=False}, Keras's default).
     * Single-direction layers only (Keras's {@code Bidirectional} never does this for sequences).
     */
    PREVIOUS
}
