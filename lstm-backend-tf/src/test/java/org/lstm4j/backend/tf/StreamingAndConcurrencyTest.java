package org.lstm4j.backend.tf;

import java.util.Random;
import org.lstm4j.testing.RandomModels;
import org.lstm4j.testing.TensorAssertions;
import org.lstm4j.testing.Tolerance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.lstm4j.backend.java.ReferenceBackendProvider;
import org.lstm4j.model.Activation;
import org.lstm4j.model.Direction;
import org.lstm4j.model.MergeMode;
import org.lstm4j.model.OutputMode;
import org.lstm4j.model.SequenceModel;
import org.lstm4j.predict.ModelState;
import org.lstm4j.predict.Prediction;
import org.lstm4j.predict.Predictor;
import org.lstm4j.predict.PredictorOptions;
import org.lstm4j.predict.SequenceBatch;
import org.lstm4j.predict.StreamingPredictor;
import org.lstm4j.tensor.FloatTensor;

/** Streaming, concurrency and padding rules, each checked against the reference engine or a serial run. */
class StreamingAndConcurrencyTest {

    private static SequenceModel stacked(Random r) {
        return SequenceModel.builder(3).name("stacked")
                .add(RandomModels.lstm(r, 3, 6, Direction.FORWARD, false).name("l0").mergeMode(MergeMode.CONCAT).outputMode(OutputMode.SEQUENCES).build())
                .add(RandomModels.lstm(r, 6, 4, Direction.FORWARD, true).name("l1").mergeMode(MergeMode.CONCAT).outputMode(OutputMode.SEQUENCES).activations(Activation.hardSigmoid(), Activation.tanh(), Activation.softsign()).build())
                .add(RandomModels.dense(r, "d", 4, 2, Activation.linear()))
                .build();
    }

    /** Streams one step at a time, snapshots half way, and compares every step with the reference's whole-sequence run. */
    @ParameterizedTest(name = "lstm form {0}")
    @ValueSource(strings = {"auto", "loop"})
    void streamingStepByStepEqualsTheWholeSequenceOnTheReferenceEngine(String form) {
        Random r = new Random(11);
        SequenceModel model = stacked(r);
        int streams = 3;
        int time = 20;
        FloatTensor x = RandomModels.tensor(r, 1f, streams, time, 3);
        Prediction whole;
        try (Predictor ref = new ReferenceBackendProvider().compile(model)) {
            whole = ref.predict(x);
        }
        PredictorOptions options = PredictorOptions.builder().property(TensorFlowPredictor.LSTM_FORM_PROPERTY, form).build();
        try (TensorFlowPredictor tf = (TensorFlowPredictor) new TensorFlowBackendProvider().compile(model, options);
             StreamingPredictor stream = tf.stream(streams)) {
            int ops = tf.graphOperationCount();
            float[] xs = x.toArray();
            ModelState half = null;
            for (int t = 0; t < time; t++) {
                float[] step = new float[streams * 3];
                for (int s = 0; s < streams; s++) {
                    System.arraycopy(xs, (s * time + t) * 3, step, s * 3, 3);
                }
                FloatTensor out = stream.step(FloatTensor.of(new int[] {streams, 3}, step));
                for (int s = 0; s < streams; s++) {
                    for (int j = 0; j < 2; j++) {
                        double e = whole.output().get(s, t, j);
                        double g = out.get(s, j);
                        assertTrue(Tolerance.DEFAULT.accepts(e, g),
                                "stream " + s + " step " + t + " output " + j + ": " + g + " vs reference " + e);
                    }
                }
                if (t == time / 2 - 1) {
                    half = stream.snapshot();
                }
            }
            for (int k = 0; k < 2; k++) {
                TensorAssertions.assertClose(whole.finalState().layer(k).hidden(), stream.snapshot().layer(k).hidden(), Tolerance.DEFAULT, "final hidden state " + k);
                TensorAssertions.assertClose(whole.finalState().layer(k).cell(), stream.snapshot().layer(k).cell(), Tolerance.DEFAULT, "final cell state " + k);
            }
            // Restoring the snapshot and feeding the second half as one chunk gives the same end state.
            stream.restore(half);
            FloatTensor secondHalf = slice(x, time / 2, time);
            FloatTensor chunkOut = stream.chunk(secondHalf);
            TensorAssertions.assertClose(slice(whole.output(), time / 2, time), chunkOut, Tolerance.DEFAULT, "chunk after restore");
            assertEquals(ops, tf.graphOperationCount(), "streaming must feed and fetch state, not add operations");
        }
    }

    private static FloatTensor slice(FloatTensor t, int from, int to) {
        int b = t.dim(0);
        int time = t.dim(1);
        int f = t.dim(2);
        float[] src = t.toArray();
        float[] out = new float[b * (to - from) * f];
        for (int s = 0; s < b; s++) {
            System.arraycopy(src, (s * time + from) * f, out, s * (to - from) * f, (to - from) * f);
        }
        return FloatTensor.of(new int[] {b, to - from, f}, out);
    }

    /** Eight threads share one predictor; every result equals, bit for bit, the serial run of the same batch. */
    @Test
    void eightThreadsOnOnePredictorGiveTheSerialResults() throws Exception {
        Random r = new Random(21);
        SequenceModel model = SequenceModel.builder(3).name("bidi")
                .add(RandomModels.lstm(r, 3, 8, Direction.BIDIRECTIONAL, false).name("l0").mergeMode(MergeMode.CONCAT).outputMode(OutputMode.SEQUENCES).build())
                .add(RandomModels.lstm(r, 16, 5, Direction.FORWARD, false).name("l1").mergeMode(MergeMode.CONCAT).outputMode(OutputMode.FINAL_STATE).cellClip(2f).build())
                .build();
        int threads = 8;
        int perThread = 12;
        List<SequenceBatch> batches = new ArrayList<>();
        for (int k = 0; k < threads * perThread; k++) {
            int b = 1 + k % 4;
            int t = 3 + k % 11;
            batches.add(SequenceBatch.of(RandomModels.tensor(r, 1f, b, t, 3)).withLengths(RandomModels.lengths(r, b, t)));
        }
        try (Predictor tf = new TensorFlowBackendProvider().compile(model)) {
            assertTrue(tf.isThreadSafe());
            List<Prediction> serial = new ArrayList<>();
            for (SequenceBatch b : batches) {
                serial.add(tf.predict(b));
            }
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<List<Prediction>>> futures = new ArrayList<>();
                for (int w = 0; w < threads; w++) {
                    int first = w * perThread;
                    futures.add(pool.submit(() -> {
                        start.await();
                        List<Prediction> out = new ArrayList<>();
                        for (int k = first; k < first + perThread; k++) {
                            out.add(tf.predict(batches.get(k)));
                        }
                        return out;
                    }));
                }
                start.countDown();
                for (int w = 0; w < threads; w++) {
                    List<Prediction> got = futures.get(w).get(2, TimeUnit.MINUTES);
                    for (int k = 0; k < perThread; k++) {
                        Prediction e = serial.get(w * perThread + k);
                        Prediction g = got.get(k);
                        assertArrayEquals(e.output().toArray(), g.output().toArray(), "batch " + (w * perThread + k));
                        for (int l = 0; l < 2; l++) {
                            assertArrayEquals(e.finalState().layer(l).hidden().toArray(), g.finalState().layer(l).hidden().toArray());
                            assertArrayEquals(e.finalState().layer(l).cell().toArray(), g.finalState().layer(l).cell().toArray());
                        }
                    }
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    /**
     * Padding past a sequence's end holds NaN and infinities: ONNX defines outputs there as 0 and the
     * final state as that after the last valid step, so none of it may leak (the reference engine
     * never reads padding, so it is the expected value).
     */
    @ParameterizedTest(name = "lstm form {0}")
    @ValueSource(strings = {"auto", "loop"})
    void nonFinitePaddingNeverLeaksIntoOutputsOrStates(String form) {
        Random r = new Random(31);
        SequenceModel model = SequenceModel.builder(2).name("bidi-stack")
                .add(RandomModels.lstm(r, 2, 4, Direction.BIDIRECTIONAL, false).name("l0").mergeMode(MergeMode.SUM).outputMode(OutputMode.SEQUENCES).build())
                .add(RandomModels.lstm(r, 4, 3, Direction.REVERSE, false).name("l1").mergeMode(MergeMode.CONCAT).outputMode(OutputMode.SEQUENCES).build())
                .build();
        int[] lengths = {6, 2, 4};
        float[] x = RandomModels.tensor(r, 1f, 3, 6, 2).toArray();
        for (int b = 0; b < 3; b++) {
            for (int t = lengths[b]; t < 6; t++) {
                x[(b * 6 + t) * 2] = Float.NaN;
                x[(b * 6 + t) * 2 + 1] = t % 2 == 0 ? Float.POSITIVE_INFINITY : Float.NEGATIVE_INFINITY;
            }
        }
        SequenceBatch batch = SequenceBatch.of(FloatTensor.of(new int[] {3, 6, 2}, x)).withLengths(lengths);
        Prediction expected;
        try (Predictor ref = new ReferenceBackendProvider().compile(model)) {
            expected = ref.predict(batch);
        }
        PredictorOptions options = PredictorOptions.builder().property(TensorFlowPredictor.LSTM_FORM_PROPERTY, form).build();
        try (Predictor tf = new TensorFlowBackendProvider().compile(model, options)) {
            Prediction got = tf.predict(batch);
            TensorAssertions.assertClose(expected, got, Tolerance.DEFAULT, "NaN padding");
            for (int b = 0; b < 3; b++) {
                for (int t = lengths[b]; t < 6; t++) {
                    for (int j = 0; j < 3; j++) {
                        assertEquals(0f, got.output().get(b, t, j), "output past the end of sequence " + b + " at step " + t);
                    }
                }
            }
        }
    }
}
