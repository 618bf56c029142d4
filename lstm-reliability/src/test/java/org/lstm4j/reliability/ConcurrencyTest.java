package org.lstm4j.reliability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.lstm4j.backend.BackendProvider;
import org.lstm4j.backend.Backends;
import org.lstm4j.testing.RandomModels;
import org.lstm4j.model.SequenceModel;
import org.lstm4j.predict.ModelState;
import org.lstm4j.predict.Prediction;
import org.lstm4j.predict.Predictor;
import org.lstm4j.predict.SequenceBatch;
import org.lstm4j.predict.StreamingPredictor;
import org.lstm4j.tensor.FloatTensor;

/**
 * Eight threads against one model, per backend. Expected values are the same backend's serial
 * results (the property under test is that concurrency changes nothing), compared bit for bit:
 * the same engine on the same batch shape does the same float operations in the same order.
 */
class ConcurrencyTest {

    private static final int THREADS = 8;

    static Iterable<String> backends() {
        return InstalledBackends.names();
    }

    /** Batches of varied size, some ragged, some with an initial state, so threads do not run in lock step. */
    private static List<SequenceBatch> batches(SequenceModel model, int count) {
        Random rnd = new Random(29);
        List<SequenceBatch> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int b = 1 + rnd.nextInt(4);
            int t = 1 + rnd.nextInt(16);
            SequenceBatch batch = SequenceBatch.of(RandomModels.input(rnd, b, t, model.inputSize()));
            if (i % 3 == 1) {
                int[] lengths = new int[b];
                for (int k = 0; k < b; k++) {
                    lengths[k] = 1 + rnd.nextInt(t);
                }
                batch = batch.withLengths(lengths);
            }
            if (i % 4 == 2) {
                batch = batch.withInitialState(RandomModels.state(rnd, model, b));
            }
            out.add(batch);
        }
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void eightThreadsSharingAPredictorGetTheSerialResults(String name) throws Exception {
        BackendProvider backend = Backends.select(name);
        SequenceModel model = ReliabilityModels.stacked(5);
        List<SequenceBatch> batches = batches(model, 48);
        List<Prediction> serial = new ArrayList<>();
        try (Predictor p = backend.compile(model)) {
            for (SequenceBatch b : batches) {
                serial.add(p.predict(b));
            }
        }
        try (Predictor shared = backend.compile(model)) {
            // A predictor that does not declare itself thread-safe is used as documented: one per thread.
            boolean share = shared.isThreadSafe();
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            CyclicBarrier start = new CyclicBarrier(THREADS);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    int offset = t;
                    done.add(pool.submit(() -> {
                        Predictor p = share ? shared : backend.compile(model);
                        try {
                            start.await();
                            for (int round = 0; round < 3; round++) {
                                for (int k = 0; k < batches.size(); k++) {
                                    // Each thread walks the batches from its own offset, so different batches overlap.
                                    int i = (k + offset * 7) % batches.size();
                                    assertSame(serial.get(i), p.predict(batches.get(i)),
                                            name + " batch " + i + " on thread " + offset + (share ? " (shared predictor)" : " (own predictor)"));
                                }
                            }
                        } finally {
                            if (!share) {
                                p.close();
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get(4, TimeUnit.MINUTES);
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void eightStreamsAdvancedFromEightThreadsNeverMixState(String name) throws Exception {
        BackendProvider backend = Backends.select(name);
        SequenceModel model = ReliabilityModels.stacked(7);
        int steps = 300;
        float[][][] inputs = new float[THREADS][steps][];
        Random rnd = new Random(31);
        for (int s = 0; s < THREADS; s++) {
            for (int k = 0; k < steps; k++) {
                inputs[s][k] = RandomModels.input(rnd, 1, 1, model.inputSize()).toArray();
            }
        }
        // Serial: each stream run to its end before the next one starts.
        float[][][] serial = new float[THREADS][steps][];
        ModelState[] serialFinal = new ModelState[THREADS];
        try (Predictor p = backend.compile(model)) {
            for (int s = 0; s < THREADS; s++) {
                try (StreamingPredictor stream = p.stream(1)) {
                    for (int k = 0; k < steps; k++) {
                        serial[s][k] = stream.step(FloatTensor.of(new int[] {1, model.inputSize()}, inputs[s][k])).toArray();
                    }
                    serialFinal[s] = stream.snapshot();
                }
            }
        }
        try (Predictor shared = backend.compile(model)) {
            boolean share = shared.isThreadSafe();
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            CyclicBarrier start = new CyclicBarrier(THREADS);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    int s = t;
                    done.add(pool.submit(() -> {
                        Predictor p = share ? shared : backend.compile(model);
                        try (StreamingPredictor stream = p.stream(1)) {
                            start.await();
                            for (int k = 0; k < steps; k++) {
                                float[] got = stream.step(FloatTensor.of(new int[] {1, model.inputSize()}, inputs[s][k])).toArray();
                                assertArrayEquals(serial[s][k], got, name + " stream " + s + " step " + k);
                            }
                            ModelState last = stream.snapshot();
                            for (int l = 0; l < last.layers().size(); l++) {
                                assertArrayEquals(serialFinal[s].layer(l).hidden().toArray(), last.layer(l).hidden().toArray(),
                                        name + " stream " + s + " final hidden state of LSTM layer " + l);
                                assertArrayEquals(serialFinal[s].layer(l).cell().toArray(), last.layer(l).cell().toArray(),
                                        name + " stream " + s + " final cell state of LSTM layer " + l);
                            }
                        } finally {
                            if (!share) {
                                p.close();
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get(4, TimeUnit.MINUTES);
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    private static void assertSame(Prediction expected, Prediction got, String what) {
        assertArrayEquals(expected.output().shape(), got.output().shape(), what + ": output shape");
        assertArrayEquals(expected.output().toArray(), got.output().toArray(), what + ": output");
        assertEquals(expected.finalState().layers().size(), got.finalState().layers().size(), what + ": state layers");
        for (int l = 0; l < expected.finalState().layers().size(); l++) {
            assertArrayEquals(expected.finalState().layer(l).hidden().toArray(), got.finalState().layer(l).hidden().toArray(),
                    what + ": final hidden state of LSTM layer " + l);
            assertArrayEquals(expected.finalState().layer(l).cell().toArray(), got.finalState().layer(l).cell().toArray(),
                    what + ": final cell state of LSTM layer " + l);
        }
    }
}
