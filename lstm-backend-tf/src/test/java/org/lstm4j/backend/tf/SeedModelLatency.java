package org.lstm4j.backend.tf;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import org.lstm4j.model.Activation;
import org.lstm4j.model.Direction;
import org.lstm4j.model.MergeMode;
import org.lstm4j.model.OutputMode;
import org.lstm4j.model.SequenceModel;
import org.lstm4j.predict.Predictor;
import org.lstm4j.predict.PredictorOptions;
import org.lstm4j.predict.StreamingPredictor;
import org.lstm4j.tensor.FloatTensor;
import org.lstm4j.testing.RandomModels;

/**
 * Not a test: measures the seed model (LSTM(50) over 100 steps of 10 features, Dense(10), batch 1)
 * on TensorFlow, per streaming step and per whole-sequence call, with one thread (the default) or
 * TensorFlow's own thread pools. Run each setting in its own JVM, since TensorFlow sizes some pools
 * once per process:
 * <pre>
 * mvn -q -o -pl lstm-backend-tf -am test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * java -cp lstm-backend-tf/target/test-classes:lstm-backend-tf/target/classes:$(cat lstm-backend-tf/target/cp.txt) \
 *      org.lstm4j.backend.tf.SeedModelLatency one      # or: default
 * </pre>
 */
public final class SeedModelLatency {

    public static void main(String[] args) throws Exception {
        String pools = args.length > 0 ? args[0] : "one";
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        Random r = new Random(42);
        SequenceModel model = SequenceModel.builder(10).name("seed")
                .add(RandomModels.lstm(r, 10, 50, Direction.FORWARD, false).name("lstm").mergeMode(MergeMode.CONCAT).outputMode(OutputMode.FINAL_STATE).build())
                .add(RandomModels.dense(r, "dense", 50, 10, Activation.linear()))
                .build();
        PredictorOptions options = pools.equals("default")
                ? PredictorOptions.builder().property(TensorFlowPredictor.THREAD_POOLS_PROPERTY, "default").build()
                : PredictorOptions.defaults();
        FloatTensor x = RandomModels.tensor(r, 1f, 1, 100, 10);
        float[] xs = x.toArray();
        FloatTensor[] steps = new FloatTensor[100];
        for (int t = 0; t < 100; t++) {
            steps[t] = FloatTensor.of(new int[] {1, 10}, Arrays.copyOfRange(xs, t * 10, t * 10 + 10));
        }
        try (Predictor p = new TensorFlowBackendProvider().compile(model, options)) {
            for (int w = 0; w < 20; w++) {
                p.predict(x);
            }
            double[] whole = new double[rounds * 10];
            long cpu0 = processCpuNanos();
            for (int k = 0; k < whole.length; k++) {
                long t0 = System.nanoTime();
                p.predict(x);
                whole[k] = (System.nanoTime() - t0) / 1e3;
            }
            double wholeCpu = (processCpuNanos() - cpu0) / 1e3 / whole.length;
            double[] perStep = new double[rounds * 100];
            // Each step returns Dense(h_t): the model's prediction for the sequence so far.
            try (StreamingPredictor s = p.stream(1)) {
                for (int t = 0; t < 100; t++) {
                    s.step(steps[t]);  // warm-up pass
                }
                int k = 0;
                cpu0 = processCpuNanos();
                for (int round = 0; round < rounds; round++) {
                    s.reset();
                    for (int t = 0; t < 100; t++) {
                        long t0 = System.nanoTime();
                        s.step(steps[t]);
                        perStep[k++] = (System.nanoTime() - t0) / 1e3;
                    }
                }
            }
            double stepCpu = (processCpuNanos() - cpu0) / 1e3 / perStep.length;
            // Process CPU time per call counts every TensorFlow thread, and is less disturbed by other load than wall time.
            System.out.printf(Locale.ROOT, "tf, thread pools %-8s whole sequence [1,100,10]: median %8.1f us  p90 %8.1f us  cpu %8.1f us/call (%d calls)%n",
                    pools, percentile(whole, 50), percentile(whole, 90), wholeCpu, whole.length);
            System.out.printf(Locale.ROOT, "tf, thread pools %-8s streaming step  [1,10]:     median %8.1f us  p90 %8.1f us  cpu %8.1f us/step (%d steps)%n",
                    pools, percentile(perStep, 50), percentile(perStep, 90), stepCpu, perStep.length);
            System.out.printf(Locale.ROOT, "process resident memory: %s%n", residentMemory());
        }
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static double percentile(double[] values, int p) {
        double[] s = values.clone();
        Arrays.sort(s);
        return s[Math.min(s.length - 1, (int) Math.round(p / 100.0 * (s.length - 1)))];
    }

    private static String residentMemory() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmRSS"))
                    .map(l -> l.replaceAll("\\s+", " ")).findFirst().orElse("unknown");
        } catch (Exception e) {
            return "unknown (" + e + ")";
        }
    }
}
