package org.lstm4j.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lstm4j.testing.TensorAssertions.assertClose;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.lstm4j.backend.BackendProvider;
import org.lstm4j.backend.Capability;
import org.lstm4j.model.Activation;
import org.lstm4j.model.Direction;
import org.lstm4j.model.OutputMode;
import org.lstm4j.model.SequenceModel;
import org.lstm4j.predict.ModelState;
import org.lstm4j.predict.Prediction;
import org.lstm4j.predict.Predictor;
import org.lstm4j.predict.SequenceBatch;
import org.lstm4j.predict.StreamingPredictor;
import org.lstm4j.tensor.FloatTensor;
import org.lstm4j.testing.Fixture;
import org.lstm4j.testing.RandomModels;
import org.lstm4j.testing.Tolerance;

/**
 * The conformance kit every backend runs, modelled on the Reactive Streams TCK: a backend's test
 * class extends this and supplies its {@link BackendProvider}. Each test is a rule of lstm4j's
 * contract; its expected values come from the reference engine (the LSTM equations in double,
 * itself checked against hand-computed and framework goldens) unless the rule says otherwise.
 * Rules whose feature the backend does not declare are skipped with the reason, never passed.
 * The rules for token inputs, masks and heads are in {@link MaskAndTokenRules}.
 */
public abstract class BackendConformanceKit extends MaskAndTokenRules {

    static Stream<KitCase> referenceCases() {
        return KitCase.referenceAgreement().stream();
    }

    // ------------------------------------------------------------------ the equations

    @ParameterizedTest(name = "{0}")
    @MethodSource("referenceCases")
    void agreesWithTheReferenceEngine(KitCase c) {
        requireCapabilities(c.requires(), "'" + c.name() + "'");
        Prediction expected;
        try (Predictor ref = oracle().compile(c.model())) {
            expected = ref.predict(c.batch());
        }
        try (Predictor p = backend().compile(c.model())) {
            assertClose(expected, p.predict(c.batch()), tolerance(), c.name() + " on backend '" + backend().name() + "'");
        }
    }

    // ------------------------------------------------------------------ each framework's layout and semantics

    static Stream<Fixture> frameworkFixtures() {
        return Fixture.all().stream().filter(FrameworkModels::supports);
    }

    /**
     * PyTorch and Keras fixtures rebuilt from the framework's own weight arrays with the layout
     * converters ({@code fromPyTorch}, {@code fromKeras}) must reproduce the framework's own outputs
     * (expected values: PyTorch eager or Keras, as each fixture.json says). This covers models that
     * no exporter can write as a fused LSTM, such as Keras 3's hard_sigmoid and Masking.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("frameworkFixtures")
    void frameworkWeightLayoutsReproduceTheFrameworksOutputs(Fixture f) {
        FrameworkModels.Built built = FrameworkModels.build(f);
        assertFixtureOutputs(f, built.model(), built.batch());
    }

    /** Runs {@code model} on {@code batch} here and compares every graph output with the fixture's independent source. */
    private void assertFixtureOutputs(Fixture f, SequenceModel model, SequenceBatch batch) {
        requireCapabilities(KitCase.requirementsOf(model, batch), f.id());
        try (Predictor p = backend().compile(model)) {
            java.util.Map<String, FloatTensor> got = org.lstm4j.predict.PortBinding.toOutputs(model, p.predict(batch));
            for (java.util.Map.Entry<String, FloatTensor> e : f.expected().entrySet()) {
                assertClose(e.getValue(), got.get(e.getKey()), f.tolerance(), f.id() + " output '" + e.getKey() + "' vs " + f.source());
            }
        }
    }

    static Stream<Fixture> importableFixtures() {
        return Fixture.all().stream().filter(Fixture::expectsMatch);
    }

    /**
     * Every golden fixture that lstm4j imports (models written by torch.onnx.export, tf2onnx and
     * onnx.helper) runs on this backend and matches the outputs of the implementation that made
     * the golden (PyTorch, Keras, or the float64 ONNX-specification implementation cross-checked
     * with ONNX Runtime), within the fixture's stated tolerance.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("importableFixtures")
    void importedFixturesMatchTheirIndependentSource(Fixture f) {
        SequenceModel m = org.lstm4j.onnx.OnnxImporter.importModel(f.modelBytes(), f.id());
        assertFixtureOutputs(f, m, org.lstm4j.predict.PortBinding.batchOf(m, f.floatInputs(), f.integerInputs()));
    }

    // ------------------------------------------------------------------ streaming

    private static SequenceModel streamingModel(long seed) {
        Random rnd = new Random(seed);
        return SequenceModel.builder(3).name("streaming")
                .add(RandomModels.lstm(rnd, 3, 6, Direction.FORWARD, false).name("l0").build())
                .add(RandomModels.lstm(rnd, 6, 5, Direction.FORWARD, false).name("l1").build())
                .add(RandomModels.dense(rnd, 5, 2, Activation.linear())).build();
    }

    @Test
    void streamingStepByStepEqualsTheWholeSequence() {
        requireCapabilities(EnumSet.of(Capability.STREAMING), "streaming");
        SequenceModel m = streamingModel(100);
        FloatTensor x = RandomModels.input(new Random(101), 3, 20, 3);
        try (Predictor p = backend().compile(m); StreamingPredictor s = p.stream(3)) {
            Prediction whole = p.predict(x);
            float[][][] steps = x.toArray3d();
            float[][][] expected = whole.output().toArray3d();
            for (int t = 0; t < 20; t++) {
                float[][] in = new float[3][];
                float[][] exp = new float[3][];
                for (int b = 0; b < 3; b++) {
                    in[b] = steps[b][t];
                    exp[b] = expected[b][t];
                }
                assertClose(FloatTensor.of(exp), s.step(FloatTensor.of(in)), tolerance(), "streaming step " + t);
            }
            assertClose(whole.finalState(), s.snapshot(), tolerance(), "state after streaming every step");
        }
    }

    @Test
    void streamingInChunksEqualsTheWholeSequence() {
        requireCapabilities(EnumSet.of(Capability.STREAMING), "streaming");
        SequenceModel m = streamingModel(110);
        FloatTensor x = RandomModels.input(new Random(111), 2, 12, 3);
        try (Predictor p = backend().compile(m); StreamingPredictor s = p.stream(2)) {
            Prediction whole = p.predict(x);
            FloatTensor a = s.chunk(timeSlice(x, 0, 5));
            FloatTensor b = s.chunk(timeSlice(x, 5, 12));
            assertClose(timeSlice(whole.output(), 0, 5), a, tolerance(), "first chunk");
            assertClose(timeSlice(whole.output(), 5, 12), b, tolerance(), "second chunk");
        }
    }

    @Test
    void snapshotAndRestoreContinueExactly() {
        requireCapabilities(EnumSet.of(Capability.STREAMING), "snapshot and restore");
        SequenceModel m = streamingModel(120);
        FloatTensor x = RandomModels.input(new Random(121), 2, 10, 3);
        try (Predictor p = backend().compile(m); StreamingPredictor s = p.stream(2)) {
            s.chunk(timeSlice(x, 0, 4));
            ModelState saved = s.snapshot();
            FloatTensor first = s.chunk(timeSlice(x, 4, 10));
            s.chunk(timeSlice(x, 0, 3));  // wander off
            s.restore(saved);
            FloatTensor again = s.chunk(timeSlice(x, 4, 10));
            assertClose(first, again, Tolerance.EXACT, "continuation after restore");
        }
    }

    @Test
    void resettingOneStreamLeavesTheOthers() {
        requireCapabilities(EnumSet.of(Capability.STREAMING), "per-stream reset");
        SequenceModel m = streamingModel(130);
        FloatTensor x = RandomModels.input(new Random(131), 2, 6, 3);
        try (Predictor p = backend().compile(m); StreamingPredictor s = p.stream(2)) {
            s.chunk(timeSlice(x, 0, 3));
            ModelState before = s.snapshot();
            s.reset(0);
            ModelState after = s.snapshot();
            assertClose(before.slice(1, 2), after.slice(1, 2), Tolerance.EXACT, "stream 1 after resetting stream 0");
            assertClose(ModelState.zeros(m, 1), after.slice(0, 1), Tolerance.EXACT, "stream 0 after its reset");
        }
    }

    // ------------------------------------------------------------------ batches, threads, lifecycle

    @Test
    void aSequencesOutputDoesNotDependOnItsNeighbours() {
        Random rnd = new Random(140);
        SequenceModel m = SequenceModel.builder(4).add(RandomModels.lstm(rnd, 4, 5, Direction.FORWARD, false).build()).build();
        FloatTensor x = RandomModels.input(rnd, 4, 9, 4);
        try (Predictor p = backend().compile(m)) {
            Prediction all = p.predict(x);
            for (int b = 0; b < 4; b++) {
                Prediction alone = p.predict(x.slice0(b, b + 1));
                assertClose(all.output().slice0(b, b + 1), alone.output(), tolerance(), "sequence " + b + " alone vs in a batch of 4");
            }
        }
    }

    @Test
    void concurrentPredictionsEqualSerialOnesAsDeclared() throws Exception {
        Random rnd = new Random(150);
        SequenceModel m = SequenceModel.builder(4).add(RandomModels.lstm(rnd, 4, 8, Direction.FORWARD, false)
                .outputMode(OutputMode.FINAL_STATE).build()).add(RandomModels.dense(rnd, 8, 3, Activation.linear())).build();
        List<FloatTensor> inputs = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            inputs.add(RandomModels.input(rnd, 2, 15, 4));
        }
        int threads = 8;
        try (Predictor shared = backend().compile(m)) {
            List<FloatTensor> serial = new ArrayList<>();
            for (FloatTensor in : inputs) {
                serial.add(shared.predict(in).output());
            }
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<?>> futures = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int offset = t;
                    futures.add(pool.submit(() -> {
                        // A predictor declared thread-safe is shared; otherwise each thread compiles its own, as the contract says.
                        Predictor p = shared.isThreadSafe() ? shared : backend().compile(m);
                        try {
                            for (int round = 0; round < 20; round++) {
                                int i = (offset + round) % inputs.size();
                                assertClose(serial.get(i), p.predict(inputs.get(i)).output(), Tolerance.EXACT,
                                        "input " + i + " on thread " + offset + (shared.isThreadSafe() ? " (shared predictor)" : " (own predictor)"));
                            }
                        } finally {
                            if (p != shared) {
                                p.close();
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : futures) {
                    f.get(120, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void closingTwiceIsHarmlessAndUseAfterCloseFailsClearly() {
        Random rnd = new Random(160);
        SequenceModel m = SequenceModel.builder(2).add(RandomModels.lstm(rnd, 2, 3, Direction.FORWARD, false).build()).build();
        Predictor p = backend().compile(m);
        p.predict(RandomModels.input(rnd, 1, 2, 2));
        p.close();
        p.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> p.predict(RandomModels.input(rnd, 1, 2, 2)));
        assertTrue(e.getMessage().contains("closed"), () -> "message should say the predictor is closed: " + e.getMessage());
    }

    @Test
    void aWrongFeatureCountIsRefusedWithBothSizes() {
        Random rnd = new Random(170);
        SequenceModel m = SequenceModel.builder(4).add(RandomModels.lstm(rnd, 4, 3, Direction.FORWARD, false).build()).build();
        try (Predictor p = backend().compile(m)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> p.predict(RandomModels.input(rnd, 2, 5, 3)));
            assertTrue(e.getMessage().contains("3") && e.getMessage().contains("4"), () -> "message should name 3 and 4: " + e.getMessage());
        }
    }

    @Test
    void aStateOfTheWrongShapeIsRefusedNamingTheLayer() {
        requireCapabilities(EnumSet.of(Capability.INITIAL_STATE), "initial states");
        Random rnd = new Random(180);
        SequenceModel m = SequenceModel.builder(2).add(RandomModels.lstm(rnd, 2, 3, Direction.FORWARD, false).name("encoder").build()).build();
        try (Predictor p = backend().compile(m)) {
            SequenceBatch bad = SequenceBatch.of(RandomModels.input(rnd, 2, 3, 2)).withInitialState(ModelState.zeros(m, 3));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> p.predict(bad));
            assertTrue(e.getMessage().contains("encoder"), () -> "message should name the layer: " + e.getMessage());
        }
    }

    @Test
    void theFinalStateOfOneCallContinuesTheNext() {
        requireCapabilities(EnumSet.of(Capability.INITIAL_STATE), "initial states");
        SequenceModel m = streamingModel(190);
        FloatTensor x = RandomModels.input(new Random(191), 2, 10, 3);
        try (Predictor p = backend().compile(m)) {
            Prediction whole = p.predict(x);
            Prediction first = p.predict(timeSlice(x, 0, 6));
            Prediction second = p.predict(SequenceBatch.of(timeSlice(x, 6, 10)).withInitialState(first.finalState()));
            assertClose(timeSlice(whole.output(), 6, 10), second.output(), tolerance(), "second half from the first half's final state");
            assertClose(whole.finalState(), second.finalState(), tolerance(), "final state");
        }
    }

    @Test
    void theDeclaredBackendIsTheOneThatRan() {
        Random rnd = new Random(200);
        SequenceModel m = SequenceModel.builder(2).add(RandomModels.lstm(rnd, 2, 3, Direction.FORWARD, false).build()).build();
        try (Predictor p = backend().compile(m)) {
            assertEquals(backend().name(), p.backendName());
        }
    }

    /** Steps {@code [from, to)} of a rank-3 tensor. */
    protected static FloatTensor timeSlice(FloatTensor x, int from, int to) {
        float[][][] a = x.toArray3d();
        float[][][] out = new float[a.length][][];
        for (int b = 0; b < a.length; b++) {
            out[b] = java.util.Arrays.copyOfRange(a[b], from, to);
        }
        return FloatTensor.of(out);
    }
}
