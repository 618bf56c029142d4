package org.lstm4j.backend.nd4j;

import org.lstm4j.conformance.KitAssertions;
import org.lstm4j.conformance.Tolerance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.lstm4j.backend.java.ReferenceBackendProvider;
import org.lstm4j.model.Activation;
import org.lstm4j.model.ActivationLayer;
import org.lstm4j.model.Direction;
import org.lstm4j.model.MergeMode;
import org.lstm4j.model.OutputMode;
import org.lstm4j.model.SequenceModel;
import org.lstm4j.predict.ModelState;
import org.lstm4j.predict.Prediction;
import org.lstm4j.predict.Predictor;
import org.lstm4j.predict.PredictorOptions;
import org.lstm4j.predict.SequenceBatch;
import org.lstm4j.tensor.FloatTensor;

/**
 * ND4J against the reference engine ({@code org.lstm4j.backend.java}, the LSTM equations in
 * double) on seeded random models covering every feature of the neutral model, each run on the
 * default kernel choice and on the composed kernel. Tolerance: {@link Tolerance}.
 */
class Nd4jMatchesReferenceTest {

    /** The largest difference to the reference engine over every case, reported after the run. */
    private static double largestDifference;

    private static final Nd4jBackendProvider ND4J = new Nd4jBackendProvider();
    private static final ReferenceBackendProvider REFERENCE = new ReferenceBackendProvider();

    record Case(String name, SequenceModel model, FloatTensor input, int[] lengths, ModelState state, String expectedKernel) {
        @Override
        public String toString() {
            return name;
        }
    }

    @BeforeAll
    static void nd4jIsAvailable() {
        assertEquals(true, ND4J.availability().available(), () -> ND4J.availability().reason());
    }

    @AfterAll
    static void report() {
        System.out.println("[nd4j vs reference] largest |difference| over all cases: " + largestDifference);
    }

    static Stream<Arguments> cases() {
        List<Case> cases = new ArrayList<>();
        long seed = 1000;

        // The seed model: LSTM(50) on 100 steps of 10 features, then Dense(10).
        RandomModels r = new RandomModels(seed++);
        SequenceModel seedModel = RandomModels.model(10, r.lstm(10, 50, Direction.FORWARD, false), r.dense(50, 10, Activation.linear()));
        cases.add(new Case("seed model LSTM(50)+Dense(10), batch 1, 100 steps", seedModel, r.input(1, 100, 10), null, null, "fused"));

        r = new RandomModels(seed++);
        cases.add(new Case("batch 1, time 1, hidden 1", RandomModels.model(3, r.lstm(3, 1, Direction.FORWARD, false)),
                r.input(1, 1, 3), null, null, "composed"));

        r = new RandomModels(seed++);
        SequenceModel small = RandomModels.model(2, r.lstm(2, 1, Direction.FORWARD, false));
        cases.add(new Case("hidden 1 with non-zero initial state, 2 steps", small, r.input(3, 2, 2), null, r.state(small, 3), "composed"));

        r = new RandomModels(seed++);
        cases.add(new Case("long sequence, 400 steps, batch 2", RandomModels.model(4, r.lstm(4, 8, Direction.FORWARD, false)),
                r.input(2, 400, 4), null, null, "fused"));

        r = new RandomModels(seed++);
        SequenceModel stacked = RandomModels.model(5, r.lstm(5, 7, Direction.FORWARD, false),
                r.lstm(7, 6, Direction.FORWARD, false).name("second"), r.dense(6, 3, Activation.tanh()));
        cases.add(new Case("stacked LSTMs + Dense(tanh)", stacked, r.input(3, 12, 5), null, null, "fused"));
        cases.add(new Case("stacked LSTMs, non-zero initial states, 3 steps", stacked, r.input(3, 3, 5), null, r.state(stacked, 3), "fused"));

        for (MergeMode m : MergeMode.values()) {
            for (OutputMode o : OutputMode.values()) {
                r = new RandomModels(seed++);
                SequenceModel bi = RandomModels.model(4, r.lstm(4, 5, Direction.BIDIRECTIONAL, false).mergeMode(m).outputMode(o));
                cases.add(new Case("bidirectional merge " + m + " output " + o, bi, r.input(2, 6, 4), null, null, "fused"));
                cases.add(new Case("bidirectional merge " + m + " output " + o + ", ragged lengths, initial state", bi,
                        r.input(3, 6, 4), new int[] {6, 2, 4}, r.state(bi, 3), "fused"));
            }
        }
        for (OutputMode o : OutputMode.values()) {
            r = new RandomModels(seed++);
            SequenceModel rev = RandomModels.model(3, r.lstm(3, 4, Direction.REVERSE, false).outputMode(o));
            cases.add(new Case("reverse output " + o, rev, r.input(2, 7, 3), null, null, "fused"));
            cases.add(new Case("reverse output " + o + ", ragged lengths, initial state", rev, r.input(3, 7, 3), new int[] {3, 7, 1},
                    r.state(rev, 3), "fused"));
        }
        r = new RandomModels(seed++);
        SequenceModel goBackwards = RandomModels.model(3, r.lstm(3, 4, Direction.REVERSE, false).reversedOutputOrder(true));
        cases.add(new Case("go_backwards (reversed output order)", goBackwards, r.input(2, 5, 3), null, null, "fused"));
        cases.add(new Case("go_backwards, ragged lengths", goBackwards, r.input(2, 5, 3), new int[] {2, 5}, null, "fused"));

        for (OutputMode o : OutputMode.values()) {
            r = new RandomModels(seed++);
            SequenceModel fwd = RandomModels.model(3, r.lstm(3, 5, Direction.FORWARD, false).outputMode(o), r.dense(5, 2, Activation.sigmoid()));
            cases.add(new Case("forward output " + o + ", ragged lengths, initial state", fwd, r.input(4, 6, 3), new int[] {6, 1, 3, 5},
                    r.state(fwd, 4), "fused"));
        }

        // Initial states on short sequences: a swapped h0/c0 gives errors of 0.25-0.4 here.
        for (int t = 1; t <= 3; t++) {
            r = new RandomModels(seed++);
            SequenceModel m = RandomModels.model(4, r.lstm(4, 6, Direction.FORWARD, false));
            cases.add(new Case("non-zero initial state, " + t + " step(s)", m, r.input(2, t, 4), null, r.state(m, 2), "fused"));
        }

        Object[][] activations = {
            {"hard sigmoid (ONNX/Keras 2: 0.2, 0.5)", Activation.hardSigmoid(), Activation.tanh(), Activation.tanh(), "fused"},
            {"hard sigmoid (Keras 3: 1/6, 0.5)", Activation.kerasHardSigmoid(), Activation.tanh(), Activation.tanh(), "composed"},
            {"relu cell and hidden", Activation.sigmoid(), Activation.relu(), Activation.relu(), "fused"},
            {"different cell and hidden activations", Activation.sigmoid(), Activation.softsign(), Activation.tanh(), "fused"},
            {"different cell and hidden activations, reversed", Activation.sigmoid(), Activation.tanh(), Activation.softsign(), "fused"},
            {"softplus hidden", Activation.sigmoid(), Activation.tanh(), Activation.softplus(), "fused"},
            {"affine gates", Activation.affine(0.3f, 0.4f), Activation.tanh(), Activation.tanh(), "fused"},
            {"scaled tanh", Activation.sigmoid(), Activation.scaledTanh(1.3f, 0.7f), Activation.scaledTanh(0.9f, 1.2f), "fused"},
            {"leaky relu and elu", Activation.sigmoid(), Activation.leakyRelu(0.05f), Activation.elu(0.8f), "fused"},
            {"thresholded relu", Activation.sigmoid(), Activation.thresholdedRelu(0.1f), Activation.tanh(), "fused"},
        };
        for (Object[] a : activations) {
            r = new RandomModels(seed++);
            SequenceModel m = RandomModels.model(3, r.lstm(3, 5, Direction.FORWARD, false)
                    .activations((Activation) a[1], (Activation) a[2], (Activation) a[3]));
            cases.add(new Case("activations: " + a[0], m, r.input(2, 5, 3), null, r.state(m, 2), (String) a[4]));
        }

        r = new RandomModels(seed++);
        SequenceModel clipped = RandomModels.model(3, r.lstm(3, 5, Direction.FORWARD, false).cellClip(0.4f));
        cases.add(new Case("cell clip 0.4 (ONNX: gate pre-activations)", clipped, r.input(2, 6, 3), null, r.state(clipped, 2), "composed"));
        r = new RandomModels(seed++);
        SequenceModel clippedBi = RandomModels.model(3, r.lstm(3, 4, Direction.BIDIRECTIONAL, true).cellClip(0.6f));
        cases.add(new Case("cell clip, peepholes, bidirectional, ragged", clippedBi, r.input(2, 5, 3), new int[] {5, 3}, r.state(clippedBi, 2), "composed"));

        r = new RandomModels(seed++);
        SequenceModel peep = RandomModels.model(3, r.lstm(3, 5, Direction.FORWARD, true));
        cases.add(new Case("peepholes", peep, r.input(2, 6, 3), null, r.state(peep, 2), "fused"));
        r = new RandomModels(seed++);
        SequenceModel peepBi = RandomModels.model(3, r.lstm(3, 4, Direction.BIDIRECTIONAL, true).mergeMode(MergeMode.SUM));
        cases.add(new Case("peepholes, bidirectional, ragged", peepBi, r.input(2, 5, 3), new int[] {2, 5}, r.state(peepBi, 2), "fused"));

        r = new RandomModels(seed++);
        SequenceModel coupled = RandomModels.model(3, r.lstm(3, 5, Direction.FORWARD, false).coupledInputForget(true));
        cases.add(new Case("coupled input-forget", coupled, r.input(2, 6, 3), null, r.state(coupled, 2), "composed"));
        r = new RandomModels(seed++);
        SequenceModel coupledRev = RandomModels.model(3, r.lstm(3, 5, Direction.REVERSE, true).coupledInputForget(true));
        cases.add(new Case("coupled input-forget, peepholes, reverse, ragged", coupledRev, r.input(2, 6, 3), new int[] {4, 6},
                r.state(coupledRev, 2), "composed"));

        r = new RandomModels(seed++);
        SequenceModel softmax = RandomModels.model(3, r.lstm(3, 6, Direction.FORWARD, false).outputMode(OutputMode.FINAL_STATE),
                r.dense(6, 4, Activation.relu()), r.dense(4, 3, Activation.softmax()));
        cases.add(new Case("dense relu then softmax on the final state", softmax, r.input(3, 4, 3), null, null, "fused"));

        r = new RandomModels(seed++);
        SequenceModel withActivation = RandomModels.model(3, r.lstm(3, 6, Direction.FORWARD, false),
                ActivationLayer.of("relu", 6, Activation.relu()), r.dense(6, 4, Activation.linear()),
                ActivationLayer.of("softmax", 4, Activation.softmax()));
        cases.add(new Case("activation layers (relu between LSTM and Dense, softmax per step)", withActivation, r.input(2, 5, 3),
                new int[] {5, 3}, r.state(withActivation, 2), "fused"));
        r = new RandomModels(seed++);
        SequenceModel activationOnState = RandomModels.model(3, r.lstm(3, 6, Direction.BIDIRECTIONAL, false)
                .outputMode(OutputMode.FINAL_STATE).mergeMode(MergeMode.SUM), ActivationLayer.of("tanh", 6, Activation.tanh()));
        cases.add(new Case("activation layer on a merged final state", activationOnState, r.input(2, 4, 3), null,
                r.state(activationOnState, 2), "fused"));

        List<Arguments> args = new ArrayList<>();
        for (Case c : cases) {
            args.add(Arguments.of(c, "auto"));
            args.add(Arguments.of(c, "composed"));
        }
        return args.stream();
    }

    @ParameterizedTest(name = "{0} [{1}]")
    @MethodSource("cases")
    void matchesReferenceEngine(Case c, String kernel) {
        SequenceBatch batch = SequenceBatch.of(c.input);
        if (c.lengths != null) {
            batch = batch.withLengths(c.lengths);
        }
        if (c.state != null) {
            batch = batch.withInitialState(c.state);
        }
        PredictorOptions options = PredictorOptions.builder().property(Nd4jPredictor.KERNEL_PROPERTY, kernel).build();
        try (Predictor expected = REFERENCE.compile(c.model);
             Predictor got = ND4J.compile(c.model, options)) {
            String expectedKernel = kernel.equals("auto") ? c.expectedKernel : "composed";
            assertEquals(expectedKernel, ((Nd4jPredictor) got).lstmKernels().get(0), "kernel chosen for " + c.name);
            Prediction e = expected.predict(batch);
            Prediction g = got.predict(batch);
            largestDifference = Math.max(largestDifference, KitAssertions.assertClose(e, g, Tolerance.DEFAULT, c.name));
        }
    }
}
