package org.lstm4j.backend.nd4j;

import java.util.Random;
import org.lstm4j.testing.RandomModels;
import org.lstm4j.testing.TensorAssertions;
import org.lstm4j.testing.Tolerance;

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

    /** A model named "random" of the given layers (LSTM builders are built). */
    static SequenceModel model(int inputSize, Object... layers) {
        SequenceModel.Builder b = SequenceModel.builder(inputSize).name("random");
        for (Object l : layers) {
            b.add(l instanceof org.lstm4j.model.LstmLayer.Builder lb ? lb.build() : (org.lstm4j.model.Layer) l);
        }
        return b.build();
    }

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
        Random r = new Random(seed++);
        SequenceModel seedModel = model(10, RandomModels.lstm(r, 10, 50, Direction.FORWARD, false), RandomModels.dense(r, 50, 10, Activation.linear()));
        cases.add(new Case("seed model LSTM(50)+Dense(10), batch 1, 100 steps", seedModel, RandomModels.tensor(r, 1.5f, 1, 100, 10), null, null, "fused"));

        r = new Random(seed++);
        cases.add(new Case("batch 1, time 1, hidden 1", model(3, RandomModels.lstm(r, 3, 1, Direction.FORWARD, false)),
                RandomModels.tensor(r, 1.5f, 1, 1, 3), null, null, "composed"));

        r = new Random(seed++);
        SequenceModel small = model(2, RandomModels.lstm(r, 2, 1, Direction.FORWARD, false));
        cases.add(new Case("hidden 1 with non-zero initial state, 2 steps", small, RandomModels.tensor(r, 1.5f, 3, 2, 2), null, RandomModels.state(r, small, 3), "composed"));

        r = new Random(seed++);
        cases.add(new Case("long sequence, 400 steps, batch 2", model(4, RandomModels.lstm(r, 4, 8, Direction.FORWARD, false)),
                RandomModels.tensor(r, 1.5f, 2, 400, 4), null, null, "fused"));

        r = new Random(seed++);
        SequenceModel stacked = model(5, RandomModels.lstm(r, 5, 7, Direction.FORWARD, false),
                RandomModels.lstm(r, 7, 6, Direction.FORWARD, false).name("second"), RandomModels.dense(r, 6, 3, Activation.tanh()));
        cases.add(new Case("stacked LSTMs + Dense(tanh)", stacked, RandomModels.tensor(r, 1.5f, 3, 12, 5), null, null, "fused"));
        cases.add(new Case("stacked LSTMs, non-zero initial states, 3 steps", stacked, RandomModels.tensor(r, 1.5f, 3, 3, 5), null, RandomModels.state(r, stacked, 3), "fused"));

        for (MergeMode m : MergeMode.values()) {
            for (OutputMode o : OutputMode.values()) {
                r = new Random(seed++);
                SequenceModel bi = model(4, RandomModels.lstm(r, 4, 5, Direction.BIDIRECTIONAL, false).mergeMode(m).outputMode(o));
                cases.add(new Case("bidirectional merge " + m + " output " + o, bi, RandomModels.tensor(r, 1.5f, 2, 6, 4), null, null, "fused"));
                cases.add(new Case("bidirectional merge " + m + " output " + o + ", ragged lengths, initial state", bi,
                        RandomModels.tensor(r, 1.5f, 3, 6, 4), new int[] {6, 2, 4}, RandomModels.state(r, bi, 3), "fused"));
            }
        }
        for (OutputMode o : OutputMode.values()) {
            r = new Random(seed++);
            SequenceModel rev = model(3, RandomModels.lstm(r, 3, 4, Direction.REVERSE, false).outputMode(o));
            cases.add(new Case("reverse output " + o, rev, RandomModels.tensor(r, 1.5f, 2, 7, 3), null, null, "fused"));
            cases.add(new Case("reverse output " + o + ", ragged lengths, initial state", rev, RandomModels.tensor(r, 1.5f, 3, 7, 3), new int[] {3, 7, 1},
                    RandomModels.state(r, rev, 3), "fused"));
        }
        r = new Random(seed++);
        SequenceModel goBackwards = model(3, RandomModels.lstm(r, 3, 4, Direction.REVERSE, false).reversedOutputOrder(true));
        cases.add(new Case("go_backwards (reversed output order)", goBackwards, RandomModels.tensor(r, 1.5f, 2, 5, 3), null, null, "fused"));
        cases.add(new Case("go_backwards, ragged lengths", goBackwards, RandomModels.tensor(r, 1.5f, 2, 5, 3), new int[] {2, 5}, null, "fused"));

        for (OutputMode o : OutputMode.values()) {
            r = new Random(seed++);
            SequenceModel fwd = model(3, RandomModels.lstm(r, 3, 5, Direction.FORWARD, false).outputMode(o), RandomModels.dense(r, 5, 2, Activation.sigmoid()));
            cases.add(new Case("forward output " + o + ", ragged lengths, initial state", fwd, RandomModels.tensor(r, 1.5f, 4, 6, 3), new int[] {6, 1, 3, 5},
                    RandomModels.state(r, fwd, 4), "fused"));
        }

        // Initial states on short sequences: a swapped h0/c0 gives errors of 0.25-0.4 here.
        for (int t = 1; t <= 3; t++) {
            r = new Random(seed++);
            SequenceModel m = model(4, RandomModels.lstm(r, 4, 6, Direction.FORWARD, false));
            cases.add(new Case("non-zero initial state, " + t + " step(s)", m, RandomModels.tensor(r, 1.5f, 2, t, 4), null, RandomModels.state(r, m, 2), "fused"));
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
            r = new Random(seed++);
            SequenceModel m = model(3, RandomModels.lstm(r, 3, 5, Direction.FORWARD, false)
                    .activations((Activation) a[1], (Activation) a[2], (Activation) a[3]));
            cases.add(new Case("activations: " + a[0], m, RandomModels.tensor(r, 1.5f, 2, 5, 3), null, RandomModels.state(r, m, 2), (String) a[4]));
        }

        r = new Random(seed++);
        SequenceModel clipped = model(3, RandomModels.lstm(r, 3, 5, Direction.FORWARD, false).cellClip(0.4f));
        cases.add(new Case("cell clip 0.4 (ONNX: gate pre-activations)", clipped, RandomModels.tensor(r, 1.5f, 2, 6, 3), null, RandomModels.state(r, clipped, 2), "composed"));
        r = new Random(seed++);
        SequenceModel clippedBi = model(3, RandomModels.lstm(r, 3, 4, Direction.BIDIRECTIONAL, true).cellClip(0.6f));
        cases.add(new Case("cell clip, peepholes, bidirectional, ragged", clippedBi, RandomModels.tensor(r, 1.5f, 2, 5, 3), new int[] {5, 3}, RandomModels.state(r, clippedBi, 2), "composed"));

        r = new Random(seed++);
        SequenceModel peep = model(3, RandomModels.lstm(r, 3, 5, Direction.FORWARD, true));
        cases.add(new Case("peepholes", peep, RandomModels.tensor(r, 1.5f, 2, 6, 3), null, RandomModels.state(r, peep, 2), "fused"));
        r = new Random(seed++);
        SequenceModel peepBi = model(3, RandomModels.lstm(r, 3, 4, Direction.BIDIRECTIONAL, true).mergeMode(MergeMode.SUM));
        cases.add(new Case("peepholes, bidirectional, ragged", peepBi, RandomModels.tensor(r, 1.5f, 2, 5, 3), new int[] {2, 5}, RandomModels.state(r, peepBi, 2), "fused"));

        r = new Random(seed++);
        SequenceModel coupled = model(3, RandomModels.lstm(r, 3, 5, Direction.FORWARD, false).coupledInputForget(true));
        cases.add(new Case("coupled input-forget", coupled, RandomModels.tensor(r, 1.5f, 2, 6, 3), null, RandomModels.state(r, coupled, 2), "composed"));
        r = new Random(seed++);
        SequenceModel coupledRev = model(3, RandomModels.lstm(r, 3, 5, Direction.REVERSE, true).coupledInputForget(true));
        cases.add(new Case("coupled input-forget, peepholes, reverse, ragged", coupledRev, RandomModels.tensor(r, 1.5f, 2, 6, 3), new int[] {4, 6},
                RandomModels.state(r, coupledRev, 2), "composed"));

        r = new Random(seed++);
        SequenceModel softmax = model(3, RandomModels.lstm(r, 3, 6, Direction.FORWARD, false).outputMode(OutputMode.FINAL_STATE),
                RandomModels.dense(r, 6, 4, Activation.relu()), RandomModels.dense(r, 4, 3, Activation.softmax()));
        cases.add(new Case("dense relu then softmax on the final state", softmax, RandomModels.tensor(r, 1.5f, 3, 4, 3), null, null, "fused"));

        r = new Random(seed++);
        SequenceModel withActivation = model(3, RandomModels.lstm(r, 3, 6, Direction.FORWARD, false),
                ActivationLayer.of("relu", 6, Activation.relu()), RandomModels.dense(r, 6, 4, Activation.linear()),
                ActivationLayer.of("softmax", 4, Activation.softmax()));
        cases.add(new Case("activation layers (relu between LSTM and Dense, softmax per step)", withActivation, RandomModels.tensor(r, 1.5f, 2, 5, 3),
                new int[] {5, 3}, RandomModels.state(r, withActivation, 2), "fused"));
        r = new Random(seed++);
        SequenceModel activationOnState = model(3, RandomModels.lstm(r, 3, 6, Direction.BIDIRECTIONAL, false)
                .outputMode(OutputMode.FINAL_STATE).mergeMode(MergeMode.SUM), ActivationLayer.of("tanh", 6, Activation.tanh()));
        cases.add(new Case("activation layer on a merged final state", activationOnState, RandomModels.tensor(r, 1.5f, 2, 4, 3), null,
                RandomModels.state(r, activationOnState, 2), "fused"));

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
            largestDifference = Math.max(largestDifference, TensorAssertions.assertClose(e, g, Tolerance.DEFAULT, c.name));
        }
    }
}
