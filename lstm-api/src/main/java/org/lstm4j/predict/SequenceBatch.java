package org.lstm4j.predict;

import java.util.Arrays;
import java.util.Objects;
import org.lstm4j.tensor.FloatTensor;
import org.lstm4j.tensor.IntTensor;

/**
 * What a {@link Predictor} runs: sequences {@code [batch, time, features]}, or token ids
 * {@code [batch, time]} for a model that starts with an embedding; optionally which steps are
 * padding (a {@link StepMask}, or the valid length of each sequence and where its padding lies);
 * optionally the initial state (zeros when absent). Immutable; derive variants with the {@code with}
 * methods.
 */
public final class SequenceBatch {
    private final FloatTensor input;
    private final IntTensor tokens;
    private final int[] lengths;
    private final Padding padding;
    private final StepMask mask;
    private final ModelState initialState;
    private final boolean continuing;

    private SequenceBatch(FloatTensor input, IntTensor tokens, int[] lengths, Padding padding, StepMask mask,
                          ModelState initialState, boolean continuing) {
        this.input = input;
        this.tokens = tokens;
        int b = batchOf(input, tokens);
        int t = input != null ? input.dim(1) : tokens.dim(1);
        if (lengths != null) {
            if (lengths.length != b) {
                throw new IllegalArgumentException(lengths.length + " sequence lengths for a batch of " + b);
            }
            for (int i = 0; i < lengths.length; i++) {
                if (lengths[i] < 0 || lengths[i] > t) {
                    throw new IllegalArgumentException("length " + lengths[i] + " of sequence " + i + " is outside [0, " + t
                            + "] (the time axis)");
                }
            }
        }
        if (mask != null && (mask.batchSize() != b || mask.timeSteps() != t)) {
            throw new IllegalArgumentException("the mask is [" + mask.batchSize() + ", " + mask.timeSteps() + "] but the batch is ["
                    + b + ", " + t + "] (batch, time)");
        }
        this.lengths = lengths;
        this.padding = Objects.requireNonNull(padding, "padding");
        this.mask = mask;
        this.initialState = initialState;
        this.continuing = continuing;
    }

    private static int batchOf(FloatTensor input, IntTensor tokens) {
        if (input != null) {
            if (input.rank() != 3) {
                throw new IllegalArgumentException("input must be [batch, time, features], got shape " + Arrays.toString(input.shape()));
            }
            return input.dim(0);
        }
        if (tokens.rank() != 2) {
            throw new IllegalArgumentException("token ids must be [batch, time], got shape " + Arrays.toString(tokens.shape()));
        }
        return tokens.dim(0);
    }

    /** A batch of feature sequences {@code [batch, time, features]}. */
    public static SequenceBatch of(FloatTensor input) {
        return new SequenceBatch(Objects.requireNonNull(input, "input"), null, null, Padding.RIGHT, null, null, false);
    }

    /** A batch of token-id sequences {@code [batch, time]}, for a model that starts with an embedding. */
    public static SequenceBatch ofTokens(IntTensor tokens) {
        return new SequenceBatch(null, Objects.requireNonNull(tokens, "tokens"), null, Padding.RIGHT, null, null, false);
    }

    /**
     * The same batch with per-sequence lengths (copied), each in {@code [0, time]}; padding on the
     * right unless {@link #withPadding} says otherwise. A length of 0 makes an all-masked row.
     */
    public SequenceBatch withLengths(int... lengths) {
        return new SequenceBatch(input, tokens, lengths == null ? null : lengths.clone(), padding, mask, initialState, continuing);
    }

    public SequenceBatch withPadding(Padding padding) {
        return new SequenceBatch(input, tokens, lengths, padding, mask, initialState, continuing);
    }

    /** The same batch with a mask {@code [batch, time]} (null for none); it applies together with any lengths. */
    public SequenceBatch withMask(StepMask mask) {
        return new SequenceBatch(input, tokens, lengths, padding, mask, initialState, continuing);
    }

    public SequenceBatch withInitialState(ModelState state) {
        return new SequenceBatch(input, tokens, lengths, padding, mask, state, false);
    }

    /**
     * The same batch continuing sequences that ended in {@code state}, as a stream's next chunk: it
     * starts from that state, and a masked step before the chunk's first valid one repeats the carried
     * output (see {@link StepMask}) instead of Keras's per-call zeros.
     */
    public SequenceBatch continuing(ModelState state) {
        return new SequenceBatch(input, tokens, lengths, padding, mask, Objects.requireNonNull(state, "state"), true);
    }

    /** Whether the batch holds token ids rather than features. */
    public boolean hasTokens() {
        return tokens != null;
    }

    /**
     * The feature sequences {@code [batch, time, features]}.
     *
     * @throws IllegalStateException for a batch of token ids ({@link #tokens()})
     */
    public FloatTensor input() {
        if (input == null) {
            throw new IllegalStateException("this batch holds token ids [batch, time], not features: read tokens()");
        }
        return input;
    }

    /**
     * The token ids {@code [batch, time]}.
     *
     * @throws IllegalStateException for a batch of features ({@link #input()})
     */
    public IntTensor tokens() {
        if (tokens == null) {
            throw new IllegalStateException("this batch holds features [batch, time, features], not token ids: read input()");
        }
        return tokens;
    }

    public int batchSize() {
        return input != null ? input.dim(0) : tokens.dim(0);
    }

    public int timeSteps() {
        return input != null ? input.dim(1) : tokens.dim(1);
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

    /** Whether a mask was given with {@link #withMask}. */
    public boolean hasMask() {
        return mask != null;
    }

    /**
     * Which steps count: the given mask and the lengths together, or null when the batch gives
     * neither. (A model's own masks, from a masking layer or {@code mask_zero}, come on top.)
     */
    public StepMask mask() {
        if (lengths == null) {
            return mask;
        }
        StepMask fromLengths = StepMask.fromLengths(lengths, timeSteps(), padding);
        return mask == null ? fromLengths : mask.and(fromLengths);
    }

    public boolean hasInitialState() {
        return initialState != null;
    }

    /** The initial state, or null for zeros. */
    public ModelState initialState() {
        return initialState;
    }

    /** Whether the batch continues streams ({@link #continuing}). */
    public boolean continuesStreams() {
        return continuing;
    }
}
