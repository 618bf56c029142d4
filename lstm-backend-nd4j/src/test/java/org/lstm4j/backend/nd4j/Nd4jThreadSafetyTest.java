package org.lstm4j.backend.nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.lstm4j.model.Activation;
import org.lstm4j.model.Direction;
import org.lstm4j.model.MergeMode;
import org.lstm4j.model.SequenceModel;
import org.lstm4j.predict.Prediction;
import org.lstm4j.predict.Predictor;
import org.lstm4j.predict.PredictorOptions;
import org.lstm4j.predict.SequenceBatch;
import org.lstm4j.testing.RandomModels;

/**
 * {@link Nd4jPredictor#isThreadSafe()} says true: 8 threads calling one predictor at once, each
 * on its own batches, must get exactly (bit for bit) what serial calls got.
 */
class Nd4jThreadSafetyTest {

    private static final int THREADS = 8;
    private static final int CALLS_PER_THREAD = 10;

    @ParameterizedTest(name = "kernel {0}")
    @ValueSource(strings = {"auto", "composed"})
    void eightThreadsOnOnePredictorGetTheSerialResults(String kernel) throws Exception {
        Random r = new Random(77);
        SequenceModel model = Nd4jMatchesReferenceTest.model(4,
                RandomModels.lstm(r, 4, 16, Direction.BIDIRECTIONAL, true).mergeMode(MergeMode.CONCAT),
                RandomModels.lstm(r, 32, 8, Direction.FORWARD, false).name("second"), RandomModels.dense(r, 8, 3, Activation.linear()));
        List<SequenceBatch> batches = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
            SequenceBatch b = SequenceBatch.of(RandomModels.tensor(r, 1.5f, 3, 10 + i, 4)).withInitialState(RandomModels.state(r, model, 3));
            batches.add(i % 2 == 0 ? b : b.withLengths(10 + i, 1 + i, 5));
        }
        PredictorOptions options = PredictorOptions.builder().property(Nd4jPredictor.KERNEL_PROPERTY, kernel).build();
        try (Predictor p = new Nd4jBackendProvider().compile(model, options)) {
            assertTrue(p.isThreadSafe());
            List<Prediction> serial = new ArrayList<>();
            for (SequenceBatch b : batches) {
                serial.add(p.predict(b));
            }
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            try {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<?>> futures = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    int id = t;
                    futures.add(pool.submit(() -> {
                        start.await();
                        for (int k = 0; k < CALLS_PER_THREAD; k++) {
                            int which = (id + k) % THREADS;
                            Prediction got = p.predict(batches.get(which));
                            Prediction want = serial.get(which);
                            assertArrayEquals(want.output().toArray(), got.output().toArray(), "output, thread " + id + " call " + k);
                            for (int l = 0; l < want.finalState().layers().size(); l++) {
                                assertArrayEquals(want.finalState().layer(l).hidden().toArray(), got.finalState().layer(l).hidden().toArray());
                                assertArrayEquals(want.finalState().layer(l).cell().toArray(), got.finalState().layer(l).cell().toArray());
                            }
                        }
                        return null;
                    }));
                }
                start.countDown();
                for (Future<?> f : futures) {
                    f.get(120, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
