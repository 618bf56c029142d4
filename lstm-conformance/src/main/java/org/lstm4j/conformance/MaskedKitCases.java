package org.lstm4j.conformance;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.lstm4j.model.Activation;
import org.lstm4j.model.Direction;
import org.lstm4j.model.EmbeddingLayer;
import org.lstm4j.model.LstmLayer;
import org.lstm4j.model.MaskedOutput;
import org.lstm4j.model.MaskingLayer;
import org.lstm4j.model.MergeMode;
import org.lstm4j.model.OutputMode;
import org.lstm4j.model.SequenceModel;
import org.lstm4j.predict.SequenceBatch;
import org.lstm4j.predict.StepMask;
import org.lstm4j.tensor.FloatTensor;
import org.lstm4j.tensor.IntTensor;
import org.lstm4j.weights.EmbeddingWeights;
import org.lstm4j.testing.Tolerance;
import org.lstm4j.testing.RandomModels;

/**
 * The seeded cases of the mask, token and head rules ({@link MaskAndTokenRules}): every mask form
 * (pre-, post-, two-sided and middle padding, an all-masked row in each) on every kind of layer
 * (forward, reverse, go_backwards, bidirectional, stacked; both masked-output conventions; every
 * output mode), every mask source (a mask given with the input, a masking layer, {@code mask_zero}),
 * token inputs with and without a padding index, and the softmax, log-softmax and sigmoid heads.
 */
public final class MaskedKitCases {
    private MaskedKitCases() {
    }

    static final int BATCH = 5;
    static final int TIME = 7;
    static final int FEATURES = 3;
    static final int VOCAB = 11;

    /** Rows: full, short, one step, none, and one more; valid steps first. */
    private static final int[] LENGTHS = {7, 4, 1, 0, 5};

    /** The mask forms, each with a full row and an all-masked row. */
    enum Form {
        PRE, POST, TWO_SIDED, MIDDLE;

        StepMask mask() {
            boolean[][] v = new boolean[BATCH][TIME];
            for (int b = 0; b < BATCH; b++) {
                for (int t = 0; t < TIME; t++) {
                    v[b][t] = switch (this) {
                        case POST -> t < LENGTHS[b];
                        case PRE -> t >= TIME - LENGTHS[b];
                        // rows start at b / 2 and are as long as LENGTHS says where that fits
                        case TWO_SIDED -> t >= Math.min(b, 2) && t < Math.min(b, 2) + Math.min(LENGTHS[b], TIME - Math.min(b, 2));
                        case MIDDLE -> LENGTHS[b] > 0 && (LENGTHS[b] == TIME || (t * 3 + b) % 4 != 1) && !(b == 3);
                    };
                }
            }
            return StepMask.of(v);
        }

        String text() {
            return name().toLowerCase().replace('_', '-') + " padding";
        }
    }

    public static List<KitCase> all() {
        List<KitCase> cases = new ArrayList<>();
        for (Form form : Form.values()) {
            cases.add(masked("forward, sequences, masked steps output zeros, " + form.text(), 300 + form.ordinal(), form,
                    l -> l, Direction.FORWARD));
            cases.add(masked("forward, sequences, masked steps repeat the previous output (Keras), " + form.text(), 310 + form.ordinal(),
                    form, l -> l.maskedOutput(MaskedOutput.PREVIOUS), Direction.FORWARD));
            cases.add(masked("reverse, sequences, repeat the previous output, " + form.text(), 320 + form.ordinal(), form,
                    l -> l.maskedOutput(MaskedOutput.PREVIOUS), Direction.REVERSE));
            cases.add(masked("go_backwards, sequences in processing order, repeat the previous output, " + form.text(), 330 + form.ordinal(),
                    form, l -> l.reversedOutputOrder(true).maskedOutput(MaskedOutput.PREVIOUS), Direction.REVERSE));
            cases.add(masked("go_backwards, sequences, zeros, " + form.text(), 340 + form.ordinal(), form,
                    l -> l.reversedOutputOrder(true), Direction.REVERSE));
            cases.add(masked("bidirectional concat, sequences, " + form.text(), 350 + form.ordinal(), form, l -> l, Direction.BIDIRECTIONAL));
            cases.add(headless("bidirectional concat, sequences, no head, " + form.text(), 355 + form.ordinal(), form));
            cases.add(masked("bidirectional sum, final state, " + form.text(), 360 + form.ordinal(), form,
                    l -> l.mergeMode(MergeMode.SUM).outputMode(OutputMode.FINAL_STATE), Direction.BIDIRECTIONAL));
            cases.add(masked("go_backwards, final state, " + form.text(), 370 + form.ordinal(), form,
                    l -> l.reversedOutputOrder(true).outputMode(OutputMode.FINAL_STATE), Direction.REVERSE));
            cases.add(stacked("stacked: repeat-previous sequences into a final state, softmax head, " + form.text(), 380 + form.ordinal(), form));
            cases.add(withState("initial state: zeros before the first valid step, the initial state kept by an all-masked row, "
                    + form.text(), 390 + form.ordinal(), form, false));
            cases.add(withState("a continued stream: the carried output before the first valid step, " + form.text(), 400 + form.ordinal(),
                    form, true));
        }
        cases.add(masked("last step (PyTorch out[:, -1]), post padding", 410, Form.POST, l -> l.outputMode(OutputMode.LAST_STEP),
                Direction.BIDIRECTIONAL));
        cases.add(maskingLayer("Keras Masking(0.0), repeat the previous output, pre padding", 420, Form.PRE));
        cases.add(maskingLayer("Keras Masking(0.0), repeat the previous output, middle padding", 421, Form.MIDDLE));
        cases.add(tokens("token ids: embedding, LSTM, sigmoid head on every step", 430, null, false, -1, Direction.FORWARD,
                OutputMode.SEQUENCES, Activation.sigmoid()));
        cases.add(tokens("token ids: mask_zero, LSTM, softmax classifier, pre padding", 431, Form.PRE, true, -1, Direction.FORWARD,
                OutputMode.FINAL_STATE, Activation.softmax()));
        cases.add(tokens("token ids: mask_zero, bidirectional tagger, log-softmax, post padding", 432, Form.POST, true, -1,
                Direction.BIDIRECTIONAL, OutputMode.SEQUENCES, Activation.logSoftmax()));
        cases.add(tokens("token ids: mask_zero, repeat the previous output, middle padding", 433, Form.MIDDLE, true, -1, Direction.FORWARD,
                OutputMode.SEQUENCES, Activation.linear()));
        cases.add(tokens("token ids: PyTorch padding index 0, whose non-zero row is used as stored, log-softmax classifier", 434, Form.POST,
                false, 0, Direction.FORWARD, OutputMode.FINAL_STATE, Activation.logSoftmax()));
        return cases;
    }

    private static KitCase masked(String name, long seed, Form form, UnaryOperator<LstmLayer.Builder> layer, Direction dir) {
        Random rnd = new Random(seed);
        LstmLayer l = layer.apply(RandomModels.lstm(rnd, FEATURES, 4, dir, false).name("lstm")).build();
        SequenceModel m = SequenceModel.builder(FEATURES).name(name).add(l)
                .add(RandomModels.dense(rnd, l.outputSize(), 2, Activation.linear())).build();
        return new KitCase(name, m, SequenceBatch.of(RandomModels.input(rnd, BATCH, TIME, FEATURES)).withMask(form.mask()), Tolerance.DEFAULT);
    }

    private static KitCase headless(String name, long seed, Form form) {
        Random rnd = new Random(seed);
        SequenceModel m = SequenceModel.builder(FEATURES).name(name).add(RandomModels.lstm(rnd, FEATURES, 4, Direction.BIDIRECTIONAL, false).build()).build();
        return new KitCase(name, m, SequenceBatch.of(RandomModels.input(rnd, BATCH, TIME, FEATURES)).withMask(form.mask()), Tolerance.DEFAULT);
    }

    private static KitCase stacked(String name, long seed, Form form) {
        Random rnd = new Random(seed);
        SequenceModel m = SequenceModel.builder(FEATURES).name(name)
                .add(RandomModels.lstm(rnd, FEATURES, 5, Direction.FORWARD, false).name("l0").maskedOutput(MaskedOutput.PREVIOUS).build())
                .add(RandomModels.lstm(rnd, 5, 4, Direction.BIDIRECTIONAL, false).name("l1").build())
                .add(RandomModels.lstm(rnd, 8, 3, Direction.FORWARD, false).name("l2").outputMode(OutputMode.FINAL_STATE).build())
                .add(RandomModels.dense(rnd, 3, 3, Activation.softmax())).build();
        return new KitCase(name, m, SequenceBatch.of(RandomModels.input(rnd, BATCH, TIME, FEATURES)).withMask(form.mask()), Tolerance.DEFAULT);
    }

    private static KitCase withState(String name, long seed, Form form, boolean continuing) {
        Random rnd = new Random(seed);
        SequenceModel m = SequenceModel.builder(FEATURES).name(name)
                .add(RandomModels.lstm(rnd, FEATURES, 4, Direction.FORWARD, false).name("l0").maskedOutput(MaskedOutput.PREVIOUS).build())
                .add(RandomModels.lstm(rnd, 4, 3, Direction.FORWARD, false).name("l1").maskedOutput(MaskedOutput.PREVIOUS).build())
                .add(RandomModels.dense(rnd, 3, 2, Activation.tanh())).build();
        SequenceBatch b = SequenceBatch.of(RandomModels.input(rnd, BATCH, TIME, FEATURES)).withMask(form.mask());
        b = continuing ? b.continuing(RandomModels.state(rnd, m, BATCH)) : b.withInitialState(RandomModels.state(rnd, m, BATCH));
        return new KitCase(name, m, b, Tolerance.DEFAULT);
    }

    /** Features that are exactly the mask value (0.0) at masked steps, and nowhere else. */
    private static KitCase maskingLayer(String name, long seed, Form form) {
        Random rnd = new Random(seed);
        SequenceModel m = SequenceModel.builder(FEATURES).name(name).add(MaskingLayer.of("masking", FEATURES, 0f))
                .add(RandomModels.lstm(rnd, FEATURES, 4, Direction.FORWARD, false).maskedOutput(MaskedOutput.PREVIOUS).build())
                .add(RandomModels.dense(rnd, 4, 2, Activation.linear())).build();
        float[] x = RandomModels.input(rnd, BATCH, TIME, FEATURES).toArray();
        StepMask mask = form.mask();
        for (int k = 0; k < BATCH * TIME; k++) {
            if (!mask.isValid(k / TIME, k % TIME)) {
                java.util.Arrays.fill(x, k * FEATURES, (k + 1) * FEATURES, 0f);
            }
        }
        return new KitCase(name, m, SequenceBatch.of(FloatTensor.of(new int[] {BATCH, TIME, FEATURES}, x)), Tolerance.DEFAULT);
    }

    /** Ids in [1, VOCAB), 0 at masked steps of {@code form} (or nowhere); {@code paddingIndex} ids appear too when given. */
    private static KitCase tokens(String name, long seed, Form form, boolean maskZero, int paddingIndex, Direction dir, OutputMode mode,
                                  Activation head) {
        Random rnd = new Random(seed);
        EmbeddingLayer e = EmbeddingLayer.of("embedding", EmbeddingWeights.of(VOCAB, 4, RandomModels.uniform(rnd, VOCAB * 4, 1f)))
                .withMaskZero(maskZero).withPaddingIndex(paddingIndex);
        LstmLayer l = RandomModels.lstm(rnd, 4, 5, dir, false).outputMode(mode)
                .maskedOutput(dir == Direction.FORWARD && maskZero ? MaskedOutput.PREVIOUS : MaskedOutput.ZERO).build();
        SequenceModel m = SequenceModel.builder(VOCAB).name(name).add(e).add(l).add(RandomModels.dense(rnd, l.outputSize(), 3, head)).build();
        int[] ids = new int[BATCH * TIME];
        StepMask mask = form == null ? null : form.mask();
        for (int k = 0; k < ids.length; k++) {
            // Padding holds id 0 (Keras) or the padding index (PyTorch, where it is computed as any other id).
            boolean padding = mask != null && !mask.isValid(k / TIME, k % TIME);
            ids[k] = padding ? Math.max(paddingIndex, 0) : 1 + rnd.nextInt(VOCAB - 1);
        }
        return new KitCase(name, m, SequenceBatch.ofTokens(IntTensor.of(new int[] {BATCH, TIME}, ids)), Tolerance.DEFAULT);
    }
}
