package org.lstm4j.backend.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.lstm4j.testing.RandomModels;
import org.lstm4j.model.Activation;
import org.lstm4j.model.Direction;
import org.lstm4j.model.SequenceModel;
import org.lstm4j.predict.ModelState;
import org.lstm4j.predict.Prediction;
import org.lstm4j.predict.Predictor;
import org.lstm4j.predict.SequenceBatch;

/**
 * {@link OnnxRuntimePredictor#isThreadSafe()} is true: one predictor called from 8 threads at once
 * gives, for every batch, bit for bit what the same predictor gave when called serially (the
 * expected values are that serial run; each call owns its buffers, so nothing may leak between
 * calls), and closing it under load never crashes the JVM.
 */
class ThreadSafetyTest {

    private static final int THREADS = 8;
    private static final int CALLS_PER_THREAD = 40;

    private static SequenceModel model() {
        Random rnd = new Random(50);
        return SequenceModel.builder(4)
                .add(RandomModels.lstm(rnd, 4, 12, Direction.BIDIRECTIONAL, false).build())
                .add(RandomModels.lstm(rnd, 24, 8, Direction.FORWARD, true).build())
                .add(RandomModels.dense(rnd, 8, 3, Activation.softmax()))
                .build();
    }

    @Test
    void eightThreadsGiveExactlyTheSerialResults() throws Exception {
        SequenceModel m = model();
        Random rnd = new Random(51);
        int n = THREADS * CALLS_PER_THREAD;
        List<SequenceBatch> batches = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            // Different shapes, lengths and states per call, so a call reading another's buffer would show.
            int b = 1 + rnd.nextInt(3);
            int t = 2 + rnd.nextInt(10);
            int[] lengths = new int[b];
            for (int s = 0; s < b; s++) {
                lengths[s] = 1 + rnd.nextInt(t);
            }
            batches.add(SequenceBatch.of(RandomModels.input(rnd, b, t, 4)).withLengths(lengths)
                    .withInitialState(RandomModels.state(rnd, m, b)));
        }
        try (Predictor p = new OnnxRuntimeBackendProvider().compile(m)) {
            assertTrue(p.isThreadSafe());
            List<Prediction> serial = new ArrayList<>();
            for (SequenceBatch sb : batches) {
                serial.add(p.predict(sb));
            }
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            try {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Integer>> futures = new ArrayList<>();
                for (int w = 0; w < THREADS; w++) {
                    int worker = w;
                    futures.add(pool.submit(() -> {
                        start.await();
                        int checked = 0;
                        // Each worker walks every batch from its own offset, so all threads run all batches concurrently.
                        for (int k = 0; k < n; k++) {
                            int i = (k + worker * CALLS_PER_THREAD) % n;
                            Prediction got = p.predict(batches.get(i));
                            assertIdentical("batch " + i + " on thread " + worker, serial.get(i), got);
                            checked++;
                        }
                        return checked;
                    }));
                }
                start.countDown();
                int total = 0;
                for (Future<Integer> f : futures) {
                    total += f.get(120, TimeUnit.SECONDS);
                }
                assertEquals(THREADS * n, total);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    private static void assertIdentical(String what, Prediction expected, Prediction got) {
        assertArrayEquals(expected.output().shape(), got.output().shape(), what);
        assertArrayEquals(expected.output().toArray(), got.output().toArray(), what + ": output");
        ModelState e = expected.finalState();
        ModelState g = got.finalState();
        for (int k = 0; k < e.layers().size(); k++) {
            assertArrayEquals(e.layer(k).hidden().toArray(), g.layer(k).hidden().toArray(), what + ": hidden " + k);
            assertArrayEquals(e.layer(k).cell().toArray(), g.layer(k).cell().toArray(), what + ": cell " + k);
        }
    }

    @Test
    void closingWhileOtherThreadsPredictEndsTheirCallsWithIllegalStateException() throws Exception {
        SequenceModel m = model();
        SequenceBatch sb = SequenceBatch.of(RandomModels.input(new Random(52), 2, 30, 4));
        Predictor p = new OnnxRuntimeBackendProvider().compile(m);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        AtomicInteger completed = new AtomicInteger();
        try {
            List<Future<Throwable>> futures = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                futures.add(pool.submit(() -> {
                    try {
                        while (true) {
                            p.predict(sb);
                            completed.incrementAndGet();
                        }
                    } catch (Throwable t) {
                        return t;
                    }
                }));
            }
            while (completed.get() < 20) {
                Thread.sleep(1);
            }
            p.close();
            for (Future<Throwable> f : futures) {
                Throwable t = f.get(60, TimeUnit.SECONDS);
                assertTrue(t instanceof IllegalStateException && t.getMessage().contains("closed"), "ended with " + t);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
