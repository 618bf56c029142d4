package org.lstm4j.backend.nd4j;

import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import org.lstm4j.model.Activation;
import org.lstm4j.model.Direction;
import org.lstm4j.model.SequenceModel;
import org.lstm4j.predict.Predictor;
import org.lstm4j.predict.PredictorOptions;
import org.lstm4j.predict.StreamingPredictor;
import org.lstm4j.tensor.FloatTensor;
import org.lstm4j.testing.RandomModels;

/**
 * Latency of the seed model (LSTM(50) on 100 steps of 10 features, then Dense(10), batch 1) on
 * ND4J: per streaming step and per whole-sequence call, p50 and p99. Not a unit test: run it
 * once per thread setting, since ND4J's thread pools are process-wide (see the module README):
 * <pre>
 *   java -Dlstm4j.nd4j.threads=1 ...      Nd4jLatencyMain [kernel]
 *   java -Dlstm4j.nd4j.threads=native ... Nd4jLatencyMain [kernel]
 * </pre>
 */
public final class Nd4jLatencyMain {

    private Nd4jLatencyMain() {
    }

    public static void main(String[] args) {
        String kernel = args.length > 0 ? args[0] : "auto";
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 5_000;
        Random r = new Random(2026);
        SequenceModel model = Nd4jMatchesReferenceTest.model(10, RandomModels.lstm(r, 10, 50, Direction.FORWARD, false), RandomModels.dense(r, 50, 10, Activation.linear()));
        FloatTensor sequence = RandomModels.tensor(r, 1.5f, 1, 100, 10);
        float[] values = sequence.toArray();
        PredictorOptions options = PredictorOptions.builder().property(Nd4jPredictor.KERNEL_PROPERTY, kernel).build();
        try (Predictor p = new Nd4jBackendProvider().compile(model, options)) {
            System.out.printf(Locale.ROOT, "ND4J threads: %d (%s=%s), kernel %s, cores %d%n", Nd4jRuntime.threads(),
                    Nd4jRuntime.THREADS_PROPERTY, System.getProperty(Nd4jRuntime.THREADS_PROPERTY, "1 (default)"),
                    ((Nd4jPredictor) p).lstmKernels(), Runtime.getRuntime().availableProcessors());
            long[] step = new long[steps];
            try (StreamingPredictor s = p.stream(1)) {
                for (int i = 0; i < steps + 1_000; i++) {
                    int t = i % 100;
                    FloatTensor x = FloatTensor.of(new int[] {1, 10}, Arrays.copyOfRange(values, t * 10, t * 10 + 10));
                    long t0 = System.nanoTime();
                    s.step(x);
                    long dt = System.nanoTime() - t0;
                    if (i >= 1_000) {
                        step[i - 1_000] = dt;
                    }
                }
            }
            int calls = Math.max(100, steps / 25);
            long[] whole = new long[calls];
            for (int i = 0; i < calls + 50; i++) {
                long t0 = System.nanoTime();
                p.predict(sequence);
                long dt = System.nanoTime() - t0;
                if (i >= 50) {
                    whole[i - 50] = dt;
                }
            }
            report("streaming step (1 of 100)", step);
            report("whole sequence (100 steps)", whole);
        }
    }

    private static void report(String what, long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        System.out.printf(Locale.ROOT, "%-28s n=%d  p50 %.3f ms  p99 %.3f ms%n", what, sorted.length,
                sorted[sorted.length / 2] / 1e6, sorted[(int) Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)] / 1e6);
    }
}
