package org.lstm4j.model;

/** Which way an LSTM layer reads its sequence, as in the ONNX operator's {@code direction} attribute. */
public enum Direction {
    FORWARD(1),
    /**
     * From the last (valid) step to the first. Outputs are in input order, as ONNX {@code reverse}
     * writes them; Keras {@code go_backwards=True} returns them in processing order instead, which
     * {@link LstmLayer#reversedOutputOrder()} records.
     */
    REVERSE(1),
    /** Both ways; the two outputs are merged by the layer's {@link MergeMode}. */
    BIDIRECTIONAL(2);

    private final int count;

    Direction(int count) {
        this.count = count;
    }

    /** How many directions this reads in: 1 or 2 (the leading axis of states, as in ONNX). */
    public int count() {
        return count;
    }
}
