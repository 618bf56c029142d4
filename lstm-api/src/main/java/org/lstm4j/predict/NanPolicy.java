package org.lstm4j.predict;

/** What a predictor does with NaN or infinite input values. */
public enum NanPolicy {
    /** Compute as IEEE 754 does: NaN and infinities flow into the outputs (the default, as in every engine). */
    PROPAGATE,
    /** Refuse the batch with an {@link IllegalArgumentException} naming the first bad value's position. */
    REJECT
}
