package org.lstm4j.predict;

import java.util.Arrays;
import java.util.Objects;
import org.lstm4j.tensor.FloatTensor;

/**
 * What a {@link Predictor} runs: sequences {@code [batch, time, features]}, optionally the valid
 * length of each and where its padding lies, and optionally the initial state (zeros when absent).
 * Immutable; derive variants with the {@code with} methods.
 */
public final class SequenceBatch {
    private final FloatTensor input;
    private final int[] lengths;
    private final Padding padding;
    private final ModelState initialState;

    private SequenceBatch(FloatTensor input, int[] lengths, Padding padding, ModelState initialState) {
        this.input = Objects.requireNonNull(input, "input");
        if (input.rank() != 3) {
            throw new IllegalArgumentException("input must be [batch, time, features], got shape " + Arrays.toString(input.shape()));
        }
        if (lengths != null) {
            if (lengths.length != input.dim(0)) {
                throw new IllegalArgumentException(lengths.length + " sequence lengths for a batch of " + input.dim(0));
            }
            for (int i = 0; i < lengths.length; i++) {
                if (lengths[i] < 1 || lengths[i] > input.dim(1)) {
                    throw new IllegalArgumentException("length " + lengths[i] + " of sequence " + i + " is outside [1, "
                            + input.dim(1) + "] (the time axis)");
                }
            }
        }
        this.lengths = lengths;
        this.padding = Objects.requireNonNull(padding, "padding");
        this.initialState = initialState;
    }

    public static SequenceBatch of(FloatTensor input) {
        return new SequenceBatch(input, null, Padding.RIGHT, null);
    }

    /** The same batch with per-sequence lengths (copied); padding on the right unless {@link #withPadding} says otherwise. */
    public SequenceBatch withLengths(int... lengths) {
        return new SequenceBatch(input, lengths == null ? null : lengths.clone(), padding, initialState);
    }

    public SequenceBatch withPadding(Padding padding) {
        return new SequenceBatch(input, lengths, padding, initialState);
    }

    public SequenceBatch withInitialState(ModelState state) {
        return new SequenceBatch(input, lengths, padding, state);
    }

    public FloatTensor input() {
        return input;
    }

    public int batchSize() {
        return input.dim(0);
    }

    public int timeSteps() {
        return input.dim(1);
    }

    public boolean hasLengths() {
        return lengths != null;
    }

    /** The lengths (a copy), or every sequence the full time axis when none were given. */
    public int[] lengths() {
        if (lengths == null) {
            int[] full = new int[batchSize()];
            Arrays.fill(full, timeSteps());
            return full;
        }
        return lengths.clone();
    }

    /** Whether any sequence is shorter than the time axis. */
    public boolean isRagged() {
        if (lengths == null) {
            return false;
        }
        for (int l : lengths) {
            if (l != timeSteps()) {
                return true;
            }
        }
        return false;
    }

    public Padding padding() {
        return padding;
    }

    public boolean hasInitialState() {
        return initialState != null;
    }

    /** The initial state, or null for zeros. */
    public ModelState initialState() {
        return initialState;
    }
}
