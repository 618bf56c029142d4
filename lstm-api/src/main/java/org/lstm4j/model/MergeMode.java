package org.lstm4j.model;

/**
 * How a bidirectional layer merges its forward and backward outputs (Keras {@code Bidirectional}
 * {@code merge_mode}). ONNX itself keeps the two apart on a direction axis; exporters concatenate
 * them, which is {@link #CONCAT}.
 */
public enum MergeMode {
    /** Forward then backward features: width 2H. */
    CONCAT,
    /** Elementwise sum: width H. */
    SUM,
    /** Elementwise product: width H. */
    MUL,
    /** Elementwise mean: width H. */
    AVE;

    /** The merged width for hidden size {@code h}. */
    public int width(int h) {
        return this == CONCAT ? 2 * h : h;
    }
}
