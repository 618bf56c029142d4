package org.lstm4j.backend.onnx;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.lstm4j.backend.java.ReferenceBackendProvider;
import org.lstm4j.testing.TensorAssertions;
import org.lstm4j.testing.RandomModels;
import org.lstm4j.testing.Tolerance;
import org.lstm4j.model.Activation;
import org.lstm4j.model.Direction;
import org.lstm4j.model.LstmLayer;
import org.lstm4j.model.MergeMode;
import org.lstm4j.model.OutputMode;
import org.lstm4j.model.SequenceModel;
import org.lstm4j.predict.Padding;
import org.lstm4j.predict.Prediction;
import org.lstm4j.predict.Predictor;
import org.lstm4j.predict.PredictorOptions;
import org.lstm4j.predict.SequenceBatch;
import org.lstm4j.predict.StreamingPredictor;
import org.lstm4j.tensor.FloatTensor;

/**
 * The ONNX Runtime predictor against the reference engine ({@link ReferenceBackendProvider}, the
 * LSTM equations in double), the source of every expected value here, within
 * |got - expected| <= 1e-5 + 1e-5 |expected|. Each declared capability has a test of its own that
 * also shows the feature changes the result (so agreement is not agreement on a no-op).
 */
class OnnxRuntimePredictorTest {

    private static final OnnxRuntimeBackendProvider ONNX = new OnnxRuntimeBackendProvider();
    private static final ReferenceBackendProvider REFERENCE = new ReferenceBackendProvider();

    /** The largest |onnx - reference| of any comparison in this class, for the test log. */
    private static double largest;

    @AfterAll
    static void reportLargestDifference() {
        System.out.println("OnnxRuntimePredictorTest: largest |onnx - reference| = " + largest);
    }

    private static synchronized void note(double difference) {
        largest = Math.max(largest, difference);
    }

    /** Runs {@code batch} on both backends, asserts agreement, and returns the reference's prediction. */
    private static Prediction agree(String what, SequenceModel model, SequenceBatch batch) {
        Prediction expected;
        Prediction got;
        try (Predictor ref = REFERENCE.compile(model); Predictor onnx = ONNX.compile(model)) {
            expected = ref.predict(batch);
            got = onnx.predict(batch);
        }
        note(TensorAssertions.assertClose(expected, got, Tolerance.DEFAULT, what));
        return expected;
    }

    private static SequenceModel single(LstmLayer layer) {
        return SequenceModel.builder(layer.inputSize()).add(layer).build();
    }

    private static boolean differs(FloatTensor a, FloatTensor b) {
        for (int k = 0; k < a.size(); k++) {
            if (Math.abs(a.get(k) - b.get(k)) > 1e-3) {
                return true;
            }
        }
        return false;
    }

    // ------------------------------------------------------------------ one test per capability

    @Test
    void customActivationsWithAlphaAndBetaIncludingHardSigmoidMatchReference() {
        Random rnd = new Random(31);
        List<Activation> gates = List.of(Activation.hardSigmoid(), Activation.kerasHardSigmoid(), Activation.hardSigmoid(0.35f, 0.6f));
        List<Activation> others = List.of(Activation.relu(), Activation.affine(0.7f, 0.1f), Activation.leakyRelu(0.05f),
                Activation.thresholdedRelu(0.2f), Activation.scaledTanh(0.9f, 1.3f), Activation.elu(0.8f), Activation.softsign(),
                Activation.softplus(), Activation.sigmoid(), Activation.hardSigmoid(0.3f, 0.45f));
        FloatTensor x = RandomModels.input(rnd, 2, 6, 3);
        LstmLayer base = RandomModels.lstm(rnd, 3, 4, Direction.BIDIRECTIONAL, false).build();
        for (Activation f : gates) {
            for (Activation other : others) {
                LstmLayer l = base.toBuilder().activations(f, other, Activation.tanh()).build();
                agree("f=" + f + " g=" + other, single(l), SequenceBatch.of(x).withLengths(6, 4));
                l = base.toBuilder().activations(Activation.sigmoid(), Activation.tanh(), other).build();
                agree("h=" + other, single(l), SequenceBatch.of(x));
            }
        }
        // HardSigmoid's alpha and beta reach the engine: Keras 3's (1/6, 0.5) and ONNX's (0.2, 0.5) give different results.
        Prediction keras3 = agree("keras 3", single(base.toBuilder().activations(Activation.kerasHardSigmoid(), Activation.tanh(), Activation.tanh()).build()),
                SequenceBatch.of(x));
        Prediction onnx = agree("onnx", single(base.toBuilder().activations(Activation.hardSigmoid(), Activation.tanh(), Activation.tanh()).build()),
                SequenceBatch.of(x));
        assertTrue(differs(keras3.output(), onnx.output()), "hard sigmoid alpha changes the output");
    }

    @Test
    void cellClipMatchesReferenceAndIsEngaged() {
        Random rnd = new Random(32);
        LstmLayer plain = RandomModels.lstm(rnd, 3, 5, Direction.BIDIRECTIONAL, false).build();
        SequenceBatch batch = SequenceBatch.of(RandomModels.input(rnd, 3, 7, 3)).withLengths(7, 3, 5);
        Prediction clipped = agree("clip 0.3", single(plain.toBuilder().cellClip(0.3f).build()), batch);
        Prediction unclipped = agree("no clip", single(plain), batch);
        assertTrue(differs(clipped.output(), unclipped.output()), "a clip of 0.3 changes the output");
    }

    @Test
    void coupledInputForgetMatchesReferenceAndIsEngaged() {
        Random rnd = new Random(33);
        LstmLayer plain = RandomModels.lstm(rnd, 2, 4, Direction.REVERSE, false).build();
        SequenceBatch batch = SequenceBatch.of(RandomModels.input(rnd, 2, 6, 2)).withLengths(3, 6);
        Prediction coupled = agree("input_forget", single(plain.toBuilder().coupledInputForget(true).build()), batch);
        Prediction apart = agree("separate gates", single(plain), batch);
        assertTrue(differs(coupled.finalState().layer(0).cell(), apart.finalState().layer(0).cell()));
    }

    @Test
    void peepholesMatchReferenceAndAreEngaged() {
        Random rnd = new Random(34);
        Direction[] dirs = Direction.values();
        for (Direction d : dirs) {
            LstmLayer peep = RandomModels.lstm(rnd, 3, 4, d, true).build();
            List<org.lstm4j.weights.LstmWeights> without = new ArrayList<>();
            for (org.lstm4j.weights.LstmWeights w : peep.weights()) {
                without.add(org.lstm4j.weights.LstmWeights.of(w.inputSize(), w.hiddenSize(), w.inputKernel(), w.recurrentKernel(),
                        w.inputBias(), w.recurrentBias(), null));
            }
            SequenceBatch batch = SequenceBatch.of(RandomModels.input(rnd, 2, 5, 3)).withInitialState(RandomModels.state(rnd, single(peep), 2));
            Prediction a = agree("peepholes " + d, single(peep), batch);
            Prediction b = agree("no peepholes " + d, single(peep.toBuilder().weights(without).build()), batch);
            assertTrue(differs(a.output(), b.output()), "peepholes change the output");
        }
    }

    @Test
    void sequenceLengthsMatchReferenceInEveryDirectionAndOutputMode() {
        Random rnd = new Random(35);
        for (Direction d : Direction.values()) {
            for (OutputMode mode : OutputMode.values()) {
                SequenceModel m = single(RandomModels.lstm(rnd, 2, 3, d, false).outputMode(mode).build());
                FloatTensor x = RandomModels.input(rnd, 4, 6, 2);
                agree(d + " " + mode + " ragged", m, SequenceBatch.of(x).withLengths(6, 1, 3, 5));
            }
        }
    }

    @Test
    void leftPaddedBatchesMatchReference() {
        Random rnd = new Random(36);
        SequenceModel m = single(RandomModels.lstm(rnd, 2, 3, Direction.BIDIRECTIONAL, false).build());
        agree("left padding", m, SequenceBatch.of(RandomModels.input(rnd, 3, 5, 2)).withLengths(5, 2, 4).withPadding(Padding.LEFT));
    }

    @Test
    void bidirectionalInEveryMergeModeAndOutputModeMatchesReference() {
        Random rnd = new Random(37);
        for (MergeMode merge : MergeMode.values()) {
            for (OutputMode mode : OutputMode.values()) {
                LstmLayer l = RandomModels.lstm(rnd, 3, 4, Direction.BIDIRECTIONAL, false).mergeMode(merge).outputMode(mode).build();
                SequenceModel m = SequenceModel.builder(3).add(l).add(RandomModels.dense(rnd, l.outputSize(), 2, Activation.softmax())).build();
                agree(merge + " " + mode, m, SequenceBatch.of(RandomModels.input(rnd, 2, 4, 3)).withLengths(4, 2));
            }
        }
    }

    @Test
    void reverseLayerWithKerasGoBackwardsOrderMatchesReference() {
        Random rnd = new Random(38);
        LstmLayer l = RandomModels.lstm(rnd, 2, 3, Direction.REVERSE, false).reversedOutputOrder(true).build();
        SequenceModel m = SequenceModel.builder(2).add(l).add(RandomModels.lstm(rnd, 3, 2, Direction.FORWARD, false).build()).build();
        agree("go_backwards", m, SequenceBatch.of(RandomModels.input(rnd, 3, 5, 2)).withLengths(5, 2, 3));
    }

    @Test
    void initialStatesOfEveryLayerMatchReference() {
        Random rnd = new Random(39);
        SequenceModel m = SequenceModel.builder(3)
                .add(RandomModels.lstm(rnd, 3, 4, Direction.BIDIRECTIONAL, false).build())
                .add(RandomModels.lstm(rnd, 8, 2, Direction.FORWARD, false).outputMode(OutputMode.FINAL_STATE).build())
                .build();
        agree("initial states", m, SequenceBatch.of(RandomModels.input(rnd, 2, 5, 3)).withInitialState(RandomModels.state(rnd, m, 2)));
    }

    // ------------------------------------------------------------------ random models

    static LongStream seeds() {
        return LongStream.rangeClosed(1, 120);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void randomModelsMatchReference(long seed) {
        Random rnd = new Random(seed);
        int in = 1 + rnd.nextInt(4);
        SequenceModel.Builder b = SequenceModel.builder(in);
        int layers = 1 + rnd.nextInt(3);
        int width = in;
        for (int k = 0; k < layers; k++) {
            Direction d = Direction.values()[rnd.nextInt(3)];
            LstmLayer.Builder lb = RandomModels.lstm(rnd, width, 1 + rnd.nextInt(6), d, rnd.nextInt(4) == 0)
                    .name("lstm" + k).mergeMode(MergeMode.values()[rnd.nextInt(4)])
                    .outputMode(k == layers - 1 ? OutputMode.values()[rnd.nextInt(3)] : OutputMode.SEQUENCES);
            if (rnd.nextInt(4) == 0) {
                lb.cellClip(0.5f + rnd.nextFloat());
            }
            if (rnd.nextInt(5) == 0) {
                lb.coupledInputForget(true);
            }
            LstmLayer l = lb.build();
            b.add(l);
            width = l.outputSize();
        }
        if (rnd.nextBoolean()) {
            b.add(RandomModels.dense(rnd, width, 1 + rnd.nextInt(4), rnd.nextBoolean() ? Activation.softmax() : Activation.relu()));
        }
        SequenceModel m = b.build();
        int batch = 1 + rnd.nextInt(4);
        int time = 1 + rnd.nextInt(8);
        SequenceBatch sb = SequenceBatch.of(RandomModels.input(rnd, batch, time, in));
        if (rnd.nextBoolean()) {
            int[] lengths = new int[batch];
            for (int i = 0; i < batch; i++) {
                lengths[i] = 1 + rnd.nextInt(time);
            }
            sb = sb.withLengths(lengths);
        }
        if (rnd.nextBoolean()) {
            sb = sb.withInitialState(RandomModels.state(rnd, m, batch));
        }
        agree("seed " + seed + ": " + m, m, sb);
    }

    // ------------------------------------------------------------------ one session, many calls

    @Test
    void oneCompiledPredictorServesBatchesOfEveryShape() {
        Random rnd = new Random(40);
        SequenceModel m = SequenceModel.builder(3).add(RandomModels.lstm(rnd, 3, 5, Direction.BIDIRECTIONAL, false).build()).build();
        try (Predictor ref = REFERENCE.compile(m); Predictor onnx = ONNX.compile(m)) {
            for (int[] shape : new int[][] {{1, 1}, {4, 9}, {2, 3}, {1, 50}, {7, 2}}) {
                SequenceBatch sb = SequenceBatch.of(RandomModels.input(rnd, shape[0], shape[1], 3));
                TensorAssertions.assertClose(ref.predict(sb), onnx.predict(sb), Tolerance.DEFAULT, "batch " + shape[0] + " x " + shape[1]);
            }
        }
    }

    /**
     * The predictor reuses its direct buffers and tensors from call to call: a call without an
     * initial state or lengths after one with them (same shape) must not see the previous call's
     * state or lengths, and a shape change in between must not disturb either. Expected values: a
     * fresh predictor (a new session, never reused) for each batch, bit for bit, and the reference
     * engine within the default tolerance.
     */
    @Test
    void reusedBuffersCarryNothingFromOneCallToTheNext() {
        Random rnd = new Random(43);
        SequenceModel m = SequenceModel.builder(3)
                .add(RandomModels.lstm(rnd, 3, 6, Direction.BIDIRECTIONAL, false).build())
                .add(RandomModels.lstm(rnd, 12, 4, Direction.FORWARD, true).build())
                .build();
        SequenceBatch withState = SequenceBatch.of(RandomModels.input(rnd, 3, 6, 3)).withLengths(new int[] {6, 2, 4})
                .withInitialState(RandomModels.state(rnd, m, 3));
        SequenceBatch plain = SequenceBatch.of(RandomModels.input(rnd, 3, 6, 3));
        SequenceBatch otherShape = SequenceBatch.of(RandomModels.input(rnd, 2, 9, 3)).withLengths(new int[] {9, 5})
                .withInitialState(RandomModels.state(rnd, m, 2));
        List<SequenceBatch> calls = List.of(plain, withState, plain, withState, otherShape, plain, withState, plain);
        try (Predictor ref = REFERENCE.compile(m); Predictor reused = ONNX.compile(m)) {
            Prediction previous = null;
            for (int i = 0; i < calls.size(); i++) {
                SequenceBatch sb = calls.get(i);
                Prediction fresh;
                try (Predictor once = ONNX.compile(m)) {
                    fresh = once.predict(sb);
                }
                Prediction got = reused.predict(sb);
                assertEquals(fresh, got, "call " + i + " on the reused predictor differs from a fresh one");
                note(TensorAssertions.assertClose(ref.predict(sb), got, Tolerance.DEFAULT, "call " + i));
                if (previous != null && previous.output().rank() == got.output().rank()
                        && java.util.Arrays.equals(previous.output().shape(), got.output().shape())) {
                    // The batches of consecutive calls give different results, so a stale buffer would show.
                    assertTrue(differs(previous.output(), got.output()), "calls " + (i - 1) + " and " + i + " should differ");
                }
                previous = got;
            }
        }
    }

    @Test
    void streamingInChunksGivesTheWholeSequenceResult() {
        Random rnd = new Random(41);
        SequenceModel m = SequenceModel.builder(2)
                .add(RandomModels.lstm(rnd, 2, 4, Direction.FORWARD, true).build())
                .add(RandomModels.dense(rnd, 4, 3, Activation.tanh()))
                .build();
        FloatTensor x = RandomModels.input(rnd, 2, 8, 2);
        Prediction whole;
        try (Predictor ref = REFERENCE.compile(m)) {
            whole = ref.predict(x);
        }
        try (Predictor onnx = ONNX.compile(m); StreamingPredictor s = onnx.stream(2)) {
            float[][][] expected = whole.output().toArray3d();
            float[][][] all = x.toArray3d();
            int t = 0;
            for (int chunk : new int[] {3, 1, 4}) {
                float[][][] part = new float[2][chunk][];
                for (int b = 0; b < 2; b++) {
                    for (int k = 0; k < chunk; k++) {
                        part[b][k] = all[b][t + k];
                    }
                }
                FloatTensor got = s.chunk(FloatTensor.of(part));
                float[][][] want = new float[2][chunk][];
                for (int b = 0; b < 2; b++) {
                    for (int k = 0; k < chunk; k++) {
                        want[b][k] = expected[b][t + k];
                    }
                }
                TensorAssertions.assertClose(FloatTensor.of(want), got, Tolerance.DEFAULT, "chunk at step " + t);
                t += chunk;
            }
            TensorAssertions.assertClose(whole.finalState().layer(0).hidden(), s.snapshot().layer(0).hidden(), Tolerance.DEFAULT, "state after the stream");
        }
    }

    // ------------------------------------------------------------------ options and lifecycle

    @ParameterizedTest
    @ValueSource(strings = {"ALL", "EXTENDED", "BASIC", "NONE", "basic"})
    void everyOptimisationLevelGivesTheReferenceResult(String level) {
        Random rnd = new Random(42);
        SequenceModel m = SequenceModel.builder(2)
                .add(RandomModels.lstm(rnd, 2, 3, Direction.BIDIRECTIONAL, false).mergeMode(MergeMode.AVE).outputMode(OutputMode.LAST_STEP).build())
                .add(RandomModels.dense(rnd, 3, 2, Activation.linear()))
                .build();
        SequenceBatch sb = SequenceBatch.of(RandomModels.input(rnd, 2, 5, 2));
        PredictorOptions options = PredictorOptions.builder().property(SessionSettings.OPTIMIZATION_PROPERTY, level).build();
        try (Predictor ref = REFERENCE.compile(m); Predictor onnx = ONNX.compile(m, options)) {
            TensorAssertions.assertClose(ref.predict(sb), onnx.predict(sb), Tolerance.DEFAULT, "level " + level);
        }
    }

    @Test
    void runtimeDefaultThreadsAndTwoThreadsGiveTheReferenceResult() {
        Random rnd = new Random(43);
        SequenceModel m = single(RandomModels.lstm(rnd, 4, 16, Direction.FORWARD, false).build());
        SequenceBatch sb = SequenceBatch.of(RandomModels.input(rnd, 8, 20, 4));
        for (PredictorOptions options : List.of(
                PredictorOptions.builder().property(SessionSettings.THREADS_PROPERTY, "default").build(),
                PredictorOptions.builder().intraOpThreads(2).interOpThreads(2).build())) {
            try (Predictor ref = REFERENCE.compile(m); Predictor onnx = ONNX.compile(m, options)) {
                TensorAssertions.assertClose(ref.predict(sb), onnx.predict(sb), Tolerance.DEFAULT, "threads " + options.properties());
            }
        }
    }

    @Test
    void unknownOptimisationLevelIsRefusedWithTheValidOnes() {
        SequenceModel m = single(RandomModels.lstm(new Random(44), 1, 1, Direction.FORWARD, false).build());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ONNX.compile(m, PredictorOptions.builder().property("onnx.optimization", "MAX").build()));
        assertTrue(e.getMessage().contains("onnx.optimization='MAX'") && e.getMessage().contains("ALL, EXTENDED, BASIC or NONE"), e.getMessage());
    }

    @Test
    void closedPredictorRefusesCallsAndClosingTwiceIsHarmless() {
        SequenceModel m = single(RandomModels.lstm(new Random(45), 2, 2, Direction.FORWARD, false).build());
        Predictor p = ONNX.compile(m);
        FloatTensor x = RandomModels.input(new Random(1), 1, 2, 2);
        assertDoesNotThrow(() -> p.predict(x));
        p.close();
        p.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> p.predict(x));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
        assertEquals("onnx", p.backendName());
    }

    @Test
    void wrongFeatureCountIsRefusedBeforeReachingTheRuntime() {
        SequenceModel m = single(RandomModels.lstm(new Random(46), 3, 2, Direction.FORWARD, false).build());
        try (Predictor p = ONNX.compile(m)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> p.predict(RandomModels.input(new Random(2), 1, 4, 2)));
            assertTrue(e.getMessage().contains("expects [batch, time, 3]"), e.getMessage());
        }
    }
}
