package org.lstm4j.predict;

/** Where the padding of sequences shorter than the batch's time axis lies. */
public enum Padding {
    /** Valid steps first, padding after (the ONNX {@code sequence_lens} convention). */
    RIGHT,
    /**
     * Padding first, valid steps last (Keras {@code pad_sequences}' default). The model sees each
     * sequence as if unpadded; outputs stay at the positions of their inputs.
     */
    LEFT
}
