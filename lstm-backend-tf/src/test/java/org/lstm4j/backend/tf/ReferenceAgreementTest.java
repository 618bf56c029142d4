package org.lstm4j.backend.tf;

import java.util.Random;
import org.lstm4j.testing.RandomModels;
import org.lstm4j.testing.TensorAssertions;
import org.lstm4j.testing.Tolerance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.lstm4j.backend.java.ReferenceBackendProvider;
import org.lstm4j.model.Activation;
import org.lstm4j.model.Direction;
import org.lstm4j.model.LstmLayer;
import org.lstm4j.model.MergeMode;
import org.lstm4j.model.OutputMode;
import org.lstm4j.model.SequenceModel;
import org.lstm4j.predict.LstmState;
import org.lstm4j.predict.ModelState;
import org.lstm4j.predict.Padding;
import org.lstm4j.predict.Prediction;
import org.lstm4j.predict.Predictor;
import org.lstm4j.predict.PredictorOptions;
import org.lstm4j.predict.SequenceBatch;

/**
 * Seeded random models over many shapes and features, each run on TensorFlow and on the reference
 * engine ({@link ReferenceBackendProvider}, the independent source of every expected value), both
 * with the fused BlockLSTM op where it applies ({@code auto}) and with the while loop everywhere
 * ({@code loop}). Output and every final state must agree within {@link Agreement}'s tolerance.
 */
class ReferenceAgreementTest {

    private static final List<String> REPORT = new ArrayList<>();
    private static double worst;

    /** A model and the batch it runs, made from one seed. */
    record Case(String name, Function<Random, SequenceModel> model, BatchMaker batch) {
        @Override
        public String toString() {
            return name;
        }
    }

    interface BatchMaker {
        SequenceBatch make(Random r, SequenceModel m);
    }

    static SequenceBatch plain(Random r, SequenceModel m, int batch, int time) {
        return SequenceBatch.of(RandomModels.tensor(r, 1f, batch, time, m.inputSize()));
    }

    static BatchMaker plain(int batch, int time) {
        return (r, m) -> plain(r, m, batch, time);
    }

    static BatchMaker ragged(int batch, int time) {
        return (r, m) -> plain(r, m, batch, time).withLengths(RandomModels.lengths(r, batch, time));
    }

    static BatchMaker withState(BatchMaker base) {
        return (r, m) -> {
            SequenceBatch b = base.make(r, m);
            List<LstmState> layers = new ArrayList<>();
            for (LstmLayer l : m.lstmLayers()) {
                layers.add(new LstmState(RandomModels.tensor(r, 0.8f, l.directionCount(), b.batchSize(), l.hiddenSize()),
                        RandomModels.tensor(r, 1.5f, l.directionCount(), b.batchSize(), l.hiddenSize())));
            }
            return b.withInitialState(new ModelState(layers));
        };
    }

    static SequenceModel model(int in, org.lstm4j.model.Layer... layers) {
        SequenceModel.Builder b = SequenceModel.builder(in).name("random");
        for (org.lstm4j.model.Layer l : layers) {
            b.add(l);
        }
        return b.build();
    }

    static Function<Random, SequenceModel> single(int in, int hidden, Direction dir, MergeMode merge, OutputMode out) {
        return r -> model(in, RandomModels.lstm(r, in, hidden, dir, false).name("lstm").mergeMode(merge).outputMode(out).build());
    }

    static Function<Random, SequenceModel> tweaked(int in, int hidden, Direction dir, OutputMode out, boolean peep,
                                                         java.util.function.UnaryOperator<LstmLayer.Builder> t) {
        return r -> model(in, t.apply(RandomModels.lstm(r, in, hidden, dir, peep).name("lstm").mergeMode(MergeMode.CONCAT).outputMode(out)).build());
    }

    static Stream<Case> cases() {
        List<Case> c = new ArrayList<>();
        // The seed model: LSTM(50) over 100 steps of 10 features, Dense(10), batch 1.
        c.add(new Case("seed model LSTM(50)+Dense(10), 100x10, batch 1", r -> model(10,
                RandomModels.lstm(r, 10, 50, Direction.FORWARD, false).name("lstm").mergeMode(MergeMode.CONCAT).outputMode(OutputMode.FINAL_STATE).build(),
                RandomModels.dense(r, "dense", 50, 10, Activation.linear())), plain(1, 100)));
        c.add(new Case("batch 1, time 1, hidden 1", single(1, 1, Direction.FORWARD, MergeMode.CONCAT, OutputMode.SEQUENCES), plain(1, 1)));
        c.add(new Case("batch 5, time 1, hidden 3", single(2, 3, Direction.BIDIRECTIONAL, MergeMode.CONCAT, OutputMode.SEQUENCES), plain(5, 1)));
        c.add(new Case("long sequence T=400", single(3, 8, Direction.FORWARD, MergeMode.CONCAT, OutputMode.SEQUENCES), plain(2, 400)));
        c.add(new Case("long ragged bidirectional T=300", single(3, 6, Direction.BIDIRECTIONAL, MergeMode.SUM, OutputMode.SEQUENCES), ragged(3, 300)));
        c.add(new Case("stacked 3 LSTMs + dense", r -> model(4,
                RandomModels.lstm(r, 4, 7, Direction.FORWARD, false).name("l0").mergeMode(MergeMode.CONCAT).outputMode(OutputMode.SEQUENCES).build(),
                RandomModels.lstm(r, 7, 5, Direction.BIDIRECTIONAL, false).name("l1").mergeMode(MergeMode.CONCAT).outputMode(OutputMode.SEQUENCES).build(),
                RandomModels.lstm(r, 10, 6, Direction.FORWARD, false).name("l2").mergeMode(MergeMode.CONCAT).outputMode(OutputMode.FINAL_STATE).build(),
                RandomModels.dense(r, "d", 6, 3, Activation.tanh())), plain(3, 12)));
        c.add(new Case("stacked, dense per step between LSTMs", r -> model(3,
                RandomModels.lstm(r, 3, 4, Direction.FORWARD, false).name("l0").mergeMode(MergeMode.CONCAT).outputMode(OutputMode.SEQUENCES).build(),
                RandomModels.dense(r, "d0", 4, 5, Activation.relu()),
                RandomModels.lstm(r, 5, 4, Direction.REVERSE, false).name("l1").mergeMode(MergeMode.CONCAT).outputMode(OutputMode.SEQUENCES).build(),
                RandomModels.dense(r, "d1", 4, 2, Activation.softmax())), ragged(4, 9)));
        for (MergeMode m : MergeMode.values()) {
            for (OutputMode o : OutputMode.values()) {
                c.add(new Case("bidirectional merge " + m + ", output " + o, single(3, 5, Direction.BIDIRECTIONAL, m, o), plain(3, 7)));
                c.add(new Case("bidirectional merge " + m + ", output " + o + ", lengths", single(3, 5, Direction.BIDIRECTIONAL, m, o), ragged(4, 7)));
            }
        }
        for (OutputMode o : OutputMode.values()) {
            c.add(new Case("reverse, output " + o, single(3, 4, Direction.REVERSE, MergeMode.CONCAT, o), plain(2, 6)));
            c.add(new Case("reverse, output " + o + ", lengths", single(3, 4, Direction.REVERSE, MergeMode.CONCAT, o), ragged(4, 6)));
            c.add(new Case("forward, output " + o + ", lengths", single(3, 4, Direction.FORWARD, MergeMode.CONCAT, o), ragged(4, 6)));
        }
        c.add(new Case("go_backwards (reverse, output in processing order)",
                tweaked(3, 4, Direction.REVERSE, OutputMode.SEQUENCES, false, b -> b.reversedOutputOrder(true)), plain(2, 6)));
        c.add(new Case("go_backwards with lengths",
                tweaked(3, 4, Direction.REVERSE, OutputMode.SEQUENCES, false, b -> b.reversedOutputOrder(true)), ragged(4, 6)));
        Activation[][] activationSets = {
            {Activation.hardSigmoid(), Activation.tanh(), Activation.tanh()},
            {Activation.kerasHardSigmoid(), Activation.relu(), Activation.relu()},
            {Activation.sigmoid(), Activation.affine(0.7f, 0.1f), Activation.leakyRelu(0.05f)},
            {Activation.sigmoid(), Activation.thresholdedRelu(0.3f), Activation.scaledTanh(1.3f, 0.6f)},
            {Activation.sigmoid(), Activation.elu(0.9f), Activation.softsign()},
            {Activation.sigmoid(), Activation.softplus(), Activation.tanh()},
            {Activation.sigmoid(), Activation.leakyRelu(1.5f), Activation.elu(1f)},
        };
        for (Activation[] a : activationSets) {
            c.add(new Case("activations " + a[0] + "/" + a[1] + "/" + a[2],
                    tweaked(3, 5, Direction.BIDIRECTIONAL, OutputMode.SEQUENCES, false, b -> b.activations(a[0], a[1], a[2])), ragged(3, 8)));
        }
        // Large weights and inputs so that the clip actually binds.
        c.add(new Case("cell clip 0.5 (ONNX: gate pre-activations)", r -> model(3, LstmLayer.builder(3, 5).name("lstm")
                .weights(RandomModels.lstmWeights(r, 3, 5, false, 4f)).cellClip(0.5f).build()), (r, m) -> SequenceBatch.of(RandomModels.tensor(r, 3f, 3, 10, 3))));
        c.add(new Case("cell clip 1.0, bidirectional, peepholes, lengths", r -> model(3, LstmLayer.builder(3, 5).name("lstm").direction(Direction.BIDIRECTIONAL)
                .weights(RandomModels.lstmWeights(r, 3, 5, true, 4f), RandomModels.lstmWeights(r, 3, 5, true, 4f)).cellClip(1f).build()), (r, m) -> SequenceBatch.of(RandomModels.tensor(r, 3f, 3, 10, 3)).withLengths(10, 1, 6)));
        c.add(new Case("peepholes forward", tweaked(3, 5, Direction.FORWARD, OutputMode.SEQUENCES, true, b -> b), plain(3, 9)));
        c.add(new Case("peepholes bidirectional, lengths, initial state", tweaked(3, 5, Direction.BIDIRECTIONAL, OutputMode.SEQUENCES, true, b -> b),
                withState(ragged(3, 9))));
        c.add(new Case("coupled input-forget", tweaked(3, 5, Direction.FORWARD, OutputMode.SEQUENCES, false, b -> b.coupledInputForget(true)), plain(2, 8)));
        c.add(new Case("coupled input-forget, peepholes, reverse, lengths",
                tweaked(3, 5, Direction.REVERSE, OutputMode.FINAL_STATE, true, b -> b.coupledInputForget(true)), ragged(3, 8)));
        c.add(new Case("initial state, forward", single(3, 4, Direction.FORWARD, MergeMode.CONCAT, OutputMode.SEQUENCES), withState(plain(2, 5))));
        c.add(new Case("initial state, bidirectional AVE, lengths", single(3, 4, Direction.BIDIRECTIONAL, MergeMode.AVE, OutputMode.SEQUENCES),
                withState(ragged(3, 5))));
        c.add(new Case("initial state, stacked", r -> model(2,
                RandomModels.lstm(r, 2, 3, Direction.BIDIRECTIONAL, false).name("l0").mergeMode(MergeMode.MUL).outputMode(OutputMode.SEQUENCES).build(),
                RandomModels.lstm(r, 3, 4, Direction.FORWARD, false).name("l1").mergeMode(MergeMode.CONCAT).outputMode(OutputMode.LAST_STEP).build()), withState(ragged(3, 6))));
        c.add(new Case("left padding", single(3, 4, Direction.BIDIRECTIONAL, MergeMode.CONCAT, OutputMode.SEQUENCES),
                (r, m) -> ragged(4, 6).make(r, m).withPadding(Padding.LEFT)));
        // Cell states well beyond 3 (LSTMBlockCell's default clip), which nothing here may clip.
        c.add(new Case("large cell states stay unclipped", r -> model(2, LstmLayer.builder(2, 3).name("lstm").weights(saturating(r)).build()), plain(1, 40)));
        for (Activation a : new Activation[] {Activation.softmax(), Activation.sigmoid(), Activation.hardSigmoid(), Activation.elu(1f),
                Activation.softplus(), Activation.linear()}) {
            c.add(new Case("dense activation " + a, r -> model(3,
                    RandomModels.lstm(r, 3, 4, Direction.FORWARD, false).name("l").mergeMode(MergeMode.CONCAT).outputMode(OutputMode.SEQUENCES).build(),
                    RandomModels.dense(r, "d", 4, 3, a)), plain(2, 4)));
        }
        c.add(new Case("activation layers between LSTMs and dense", r -> model(3,
                RandomModels.lstm(r, 3, 4, Direction.BIDIRECTIONAL, false).name("l0").mergeMode(MergeMode.CONCAT).outputMode(OutputMode.SEQUENCES).build(),
                org.lstm4j.model.ActivationLayer.of("relu", 8, Activation.relu()),
                RandomModels.lstm(r, 8, 5, Direction.FORWARD, false).name("l1").mergeMode(MergeMode.CONCAT).outputMode(OutputMode.FINAL_STATE).build(),
                org.lstm4j.model.ActivationLayer.of("elu", 5, Activation.elu(0.7f)),
                RandomModels.dense(r, "d", 5, 3, Activation.linear()),
                org.lstm4j.model.ActivationLayer.of("softmax", 3, Activation.softmax())), ragged(3, 7)));
        return c.stream();
    }

    /** Weights whose forget gate is ~1 and input gate ~1 with a large candidate, so c grows by ~1 each step. */
    private static org.lstm4j.weights.LstmWeights saturating(Random r) {
        int h = 3;
        float[] wb = new float[4 * h];
        for (int j = 0; j < h; j++) {
            wb[j] = 8f;          // i
            wb[h + j] = 8f;      // f
            wb[2 * h + j] = 4f;  // c
            wb[3 * h + j] = 0f;  // o
        }
        return org.lstm4j.weights.LstmWeights.of(2, h, RandomModels.uniform(r, 4 * h * 2, 0.1f), RandomModels.uniform(r, 4 * h * h, 0.1f), wb, null, null);
    }

    static Stream<Arguments> casesAndForms() {
        List<Case> all = cases().toList();
        List<Arguments> out = new ArrayList<>();
        for (int k = 0; k < all.size(); k++) {
            out.add(Arguments.of(all.get(k), "auto", 1000L + k));
            out.add(Arguments.of(all.get(k), "loop", 1000L + k));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "[{1}] {0}")
    @MethodSource("casesAndForms")
    void agreesWithReferenceEngine(Case c, String form, long seed) {
        Random r = new Random(seed);
        SequenceModel model = c.model().apply(r);
        SequenceBatch batch = c.batch().make(r, model);
        PredictorOptions options = PredictorOptions.builder().property(TensorFlowPredictor.LSTM_FORM_PROPERTY, form).build();
        Prediction expected;
        try (Predictor ref = new ReferenceBackendProvider().compile(model)) {
            expected = ref.predict(batch);
        }
        Prediction got;
        try (Predictor tf = new TensorFlowBackendProvider().compile(model, options)) {
            if (form.equals("loop")) {
                assertTrue(((TensorFlowPredictor) tf).fusedDirections().stream().noneMatch(f -> f));
            }
            got = tf.predict(batch);
        }
        double max = TensorAssertions.assertClose(expected, got, Tolerance.DEFAULT, c.name());
        if (c.name().startsWith("large cell states")) {
            float maxCell = 0;
            for (int k = 0; k < expected.finalState().layer(0).cell().size(); k++) {
                maxCell = Math.max(maxCell, Math.abs(expected.finalState().layer(0).cell().get(k)));
            }
            assertTrue(maxCell > 10f, "the case must drive |c| past any default clip, reached " + maxCell);
        }
        synchronized (REPORT) {
            REPORT.add(String.format(Locale.ROOT, "%-6s max|diff| %.3e  %s", form, max, c.name()));
            worst = Math.max(worst, max);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void fusedOpServesExactlyTheLayersItCanExpress(Case c) {
        SequenceModel model = c.model().apply(new Random(7));
        try (TensorFlowPredictor tf = (TensorFlowPredictor) new TensorFlowBackendProvider().compile(model)) {
            List<Boolean> expected = new ArrayList<>();
            for (LstmLayer l : model.lstmLayers()) {
                boolean fusable = l.hasDefaultActivations() && !l.hasCellClip() && !l.coupledInputForget();
                for (int d = 0; d < l.directionCount(); d++) {
                    expected.add(fusable);
                }
            }
            assertEquals(expected, tf.fusedDirections());
        }
    }

    @AfterAll
    static void printDifferences() {
        REPORT.sort(null);
        REPORT.forEach(System.out::println);
        System.out.printf(Locale.ROOT, "largest |tf - reference| over %d runs: %.3e%n", REPORT.size(), worst);
    }
}
