package org.lstm4j.predict;

import java.util.Arrays;
import java.util.Objects;
import org.lstm4j.model.EmbeddingLayer;
import org.lstm4j.model.Layer;
import org.lstm4j.model.LstmLayer;
import org.lstm4j.model.MaskingLayer;
import org.lstm4j.model.SequenceModel;
import org.lstm4j.tensor.FloatTensor;
import org.lstm4j.tensor.IntTensor;

/**
 * Which steps of a batch count: {@code [batch, time]}, true for a valid step, false for a masked
 * one (padding). Immutable.
 *
 * <h2>Where a mask comes from</h2>
 * Every source below applies, and a step is valid only when each of them says so:
 * <ul>
 *   <li>a mask given with the input ({@link SequenceBatch#withMask}, {@link Predictor#predict(org.lstm4j.tensor.FloatTensor, StepMask)});</li>
 *   <li>sequence lengths ({@link SequenceBatch#withLengths}): the first {@code len} steps
 *       ({@link Padding#RIGHT}, ONNX {@code sequence_lens}) or the last {@code len}
 *       ({@link Padding#LEFT}, Keras {@code pad_sequences}' default), {@link #fromLengths};</li>
 *   <li>a {@link org.lstm4j.model.MaskingLayer}: a step whose every feature equals its mask value;</li>
 *   <li>an {@link org.lstm4j.model.EmbeddingLayer} with {@code mask_zero}: a step whose id is 0.</li>
 * </ul>
 *
 * <h2>The masked equations (Keras's semantics; checked against Keras 3 by the kit's goldens)</h2>
 * The one mask applies to every LSTM layer of the model (a layer's sequence output keeps its input's
 * mask); a layer after an LSTM that outputs one vector per sequence sees no mask. Each direction of an
 * LSTM layer processes the steps in its order (forward {@code 0..T-1}, reverse {@code T-1..0}), from
 * the initial state {@code (h, c)}, with {@code prev = 0}:
 * <pre>
 *   valid step t:   (h, c) = cell(x_t, h, c)            (the equations of {@link org.lstm4j.weights.LstmWeights})
 *                   y_t = h;  prev = h
 *   masked step t:  (h, c) unchanged;  x_t is not read
 *                   y_t = 0       for {@link org.lstm4j.model.MaskedOutput#ZERO}
 *                   y_t = prev    for {@link org.lstm4j.model.MaskedOutput#PREVIOUS}
 * </pre>
 * <ul>
 *   <li>the final state is {@code (h, c)} after the last step: the initial state for a row without a
 *       valid step (Keras keeps it; ONNX Runtime's LSTM returns zeros for {@code sequence_lens} 0, which
 *       is the same from a zero state);</li>
 *   <li>{@code SEQUENCES} outputs {@code y_t} at each input position, the directions merged; with
 *       Keras's {@code go_backwards} (reversed output order) in processing order over the whole time
 *       axis: output {@code k} is {@code y_{T-1-k}};</li>
 *   <li>{@code FINAL_STATE} outputs {@code prev} after the last step, merged: the output of each
 *       direction's last valid step, zeros for a row without one (Keras's last output);</li>
 *   <li>{@code LAST_STEP} outputs the merged {@code y_{T-1}}.</li>
 * </ul>
 * A batch that continues streams ({@link SequenceBatch#continuing}) starts with {@code prev} equal to
 * the initial {@code h} instead of 0, so that a stream fed step by step gives what the whole sequence
 * gives; Keras starts every call from {@code prev = 0}.
 */
public final class StepMask {
    private final int batch;
    private final int time;
    private final boolean[] valid;

    private StepMask(int batch, int time, boolean[] valid) {
        this.batch = batch;
        this.time = time;
        this.valid = valid;
    }

    /** A mask from {@code valid[batch][time]}, true for a valid step; every row must have the same length. */
    public static StepMask of(boolean[][] valid) {
        Objects.requireNonNull(valid, "valid");
        int b = valid.length;
        int t = b == 0 ? 0 : valid[0].length;
        boolean[] flat = new boolean[b * t];
        for (int i = 0; i < b; i++) {
            if (valid[i].length != t) {
                throw new IllegalArgumentException("ragged mask: row " + i + " has " + valid[i].length + " steps, row 0 has " + t);
            }
            System.arraycopy(valid[i], 0, flat, i * t, t);
        }
        return new StepMask(b, t, flat);
    }

    /** A mask from an int tensor {@code [batch, time]} of 1 (valid) and 0 (masked), as a bool or int {@code .npy} reads. */
    public static StepMask of(IntTensor valid) {
        Objects.requireNonNull(valid, "valid");
        if (valid.rank() != 2) {
            throw new IllegalArgumentException("a mask must be [batch, time], got shape " + Arrays.toString(valid.shape()));
        }
        int b = valid.dim(0);
        int t = valid.dim(1);
        boolean[] flat = new boolean[b * t];
        for (int k = 0; k < flat.length; k++) {
            int v = valid.get(k);
            if (v != 0 && v != 1) {
                throw new IllegalArgumentException("mask value " + v + " at row " + k / t + ", step " + k % t
                        + " is neither 1 (valid) nor 0 (masked)");
            }
            flat[k] = v == 1;
        }
        return new StepMask(b, t, flat);
    }

    /** The mask that {@code lengths} make over {@code timeSteps} steps, valid steps first (RIGHT) or last (LEFT). */
    public static StepMask fromLengths(int[] lengths, int timeSteps, Padding padding) {
        Objects.requireNonNull(lengths, "lengths");
        Objects.requireNonNull(padding, "padding");
        boolean[] flat = new boolean[lengths.length * timeSteps];
        for (int b = 0; b < lengths.length; b++) {
            if (lengths[b] < 0 || lengths[b] > timeSteps) {
                throw new IllegalArgumentException("length " + lengths[b] + " of sequence " + b + " is outside [0, " + timeSteps + "]");
            }
            int from = padding == Padding.RIGHT ? 0 : timeSteps - lengths[b];
            Arrays.fill(flat, b * timeSteps + from, b * timeSteps + from + lengths[b], true);
        }
        return new StepMask(lengths.length, timeSteps, flat);
    }

    /**
     * The mask {@code model} runs {@code batch} with: the batch's own ({@link SequenceBatch#mask()})
     * and the model's (its masking layer, its embedding's {@code mask_zero}) together; null when every
     * step is valid. Token ids must already be known to lie in the vocabulary.
     */
    public static StepMask resolve(SequenceModel model, SequenceBatch batch) {
        StepMask m = batch.mask();
        for (Layer l : model.layers()) {
            if (l instanceof LstmLayer) {
                break;
            }
            if (l instanceof EmbeddingLayer e && e.masksZero()) {
                m = andOrFirst(m, fromTokens(batch.tokens(), id -> id == 0));
            }
            if (l instanceof MaskingLayer masking) {
                m = andOrFirst(m, batch.hasTokens() ? maskedEmbeddings(model.embedding().orElseThrow(), masking, batch.tokens())
                        : fromFeatures(batch.input(), masking));
            }
        }
        return m == null || m.isFull() ? null : m;
    }

    private static StepMask andOrFirst(StepMask a, StepMask b) {
        return a == null ? b : a.and(b);
    }

    private static StepMask fromFeatures(FloatTensor x, MaskingLayer masking) {
        int b = x.dim(0);
        int t = x.dim(1);
        int f = x.dim(2);
        float[] values = x.toArray();
        boolean[] flat = new boolean[b * t];
        for (int k = 0; k < flat.length; k++) {
            flat[k] = !masking.masks(values, k * f);
        }
        return new StepMask(b, t, flat);
    }

    /** Masking after an embedding: an id is masked when its row equals the mask value everywhere. */
    private static StepMask maskedEmbeddings(EmbeddingLayer embedding, MaskingLayer masking, IntTensor tokens) {
        float[] table = embedding.weights().table();
        int dim = embedding.outputSize();
        return fromTokens(tokens, id -> masking.masks(table, id * dim));
    }

    private static StepMask fromTokens(IntTensor tokens, java.util.function.IntPredicate masked) {
        boolean[] flat = new boolean[tokens.size()];
        for (int k = 0; k < flat.length; k++) {
            flat[k] = !masked.test(tokens.get(k));
        }
        return new StepMask(tokens.dim(0), tokens.dim(1), flat);
    }

    public int batchSize() {
        return batch;
    }

    public int timeSteps() {
        return time;
    }

    public boolean isValid(int row, int step) {
        return valid[row * time + step];
    }

    /** The number of valid steps of a row. */
    public int validCount(int row) {
        int n = 0;
        for (int t = 0; t < time; t++) {
            n += valid[row * time + t] ? 1 : 0;
        }
        return n;
    }

    /** The first valid step of a row, or -1 when it has none. */
    public int firstValid(int row) {
        for (int t = 0; t < time; t++) {
            if (valid[row * time + t]) {
                return t;
            }
        }
        return -1;
    }

    /** The last valid step of a row, or -1 when it has none. */
    public int lastValid(int row) {
        for (int t = time - 1; t >= 0; t--) {
            if (valid[row * time + t]) {
                return t;
            }
        }
        return -1;
    }

    /** Whether no step is masked. */
    public boolean isFull() {
        for (boolean v : valid) {
            if (!v) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether each row's valid steps are one run without holes (or none): pre-, post- and two-sided
     * padding. Engines that know only sequence lengths run exactly these.
     */
    public boolean isContiguous() {
        return firstHole() == null;
    }

    /** The {row, step} of the first masked step that lies between two valid steps of its row, or null when there is none. */
    public int[] firstHole() {
        for (int b = 0; b < batch; b++) {
            int first = firstValid(b);
            int last = lastValid(b);
            for (int t = first + 1; first >= 0 && t < last; t++) {
                if (!valid[b * time + t]) {
                    return new int[] {b, t};
                }
            }
        }
        return null;
    }

    /** Valid where both masks are valid; the shapes must agree. */
    public StepMask and(StepMask other) {
        if (other.batch != batch || other.time != time) {
            throw new IllegalArgumentException("masks [" + batch + ", " + time + "] and [" + other.batch + ", " + other.time
                    + "] do not have the same shape");
        }
        boolean[] out = new boolean[valid.length];
        for (int k = 0; k < out.length; k++) {
            out[k] = valid[k] && other.valid[k];
        }
        return new StepMask(batch, time, out);
    }

    /** The mask as 1 (valid) and 0 (masked), {@code [batch, time]}. */
    public IntTensor toIntTensor() {
        int[] out = new int[valid.length];
        for (int k = 0; k < out.length; k++) {
            out[k] = valid[k] ? 1 : 0;
        }
        return IntTensor.of(new int[] {batch, time}, out);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StepMask m && batch == m.batch && time == m.time && Arrays.equals(valid, m.valid);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * batch + time) + Arrays.hashCode(valid);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("StepMask[" + batch + ", " + time + "]");
        for (int b = 0; b < Math.min(batch, 8); b++) {
            sb.append(b == 0 ? " " : " | ");
            for (int t = 0; t < time; t++) {
                sb.append(valid[b * time + t] ? '1' : '0');
            }
        }
        return sb.append(batch > 8 ? " | ..." : "").toString();
    }
}
