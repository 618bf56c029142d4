package org.lstm4j.backend.nd4j;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.lstm4j.model.Activation;
import org.lstm4j.model.Direction;
import org.lstm4j.model.SequenceModel;
import org.lstm4j.predict.Predictor;
import org.lstm4j.predict.StreamingPredictor;
import org.lstm4j.tensor.FloatTensor;

/**
 * Streams single steps through the nd4j backend and prints heap used after a full GC and the
 * process's resident memory (VmRSS) every {@code every} steps: the reproducer for per-step growth.
 * Not a unit test: {@code java -cp ... Nd4jStreamingMemoryMain [steps] [every] [kernel]}.
 */
public final class Nd4jStreamingMemoryMain {

    private Nd4jStreamingMemoryMain() {
    }

    public static void main(String[] args) throws Exception {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int every = args.length > 1 ? Integer.parseInt(args[1]) : 2_000;
        String kernel = args.length > 2 ? args[2] : "auto";
        RandomModels r = new RandomModels(11);
        // The soak test's shape (lstm-reliability ReliabilityModels.stacked): 8 -> LSTM(32, peepholes)
        // -> LSTM(16) -> Dense(3, tanh), four streams.
        int streams = 4;
        SequenceModel model = RandomModels.model(8, r.lstm(8, 32, Direction.FORWARD, true),
                r.lstm(32, 16, Direction.FORWARD, false), r.dense(16, 3, Activation.tanh()));
        FloatTensor x = FloatTensor.of(new int[] {streams, 8}, r.uniform(streams * 8, 1f));
        MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        try (Predictor p = new Nd4jBackendProvider().compile(model,
                org.lstm4j.predict.PredictorOptions.builder().property(Nd4jPredictor.KERNEL_PROPERTY, kernel).build());
                StreamingPredictor s = p.stream(streams)) {
            for (int i = 1; i <= steps; i++) {
                s.step(x);
                if (i % every == 0) {
                    System.gc();
                    Thread.sleep(200);
                    System.gc();
                    System.out.printf(Locale.ROOT, "step %7d heapAfterGc %7.2f MiB rss %7.1f MiB%n", i,
                            mem.getHeapMemoryUsage().getUsed() / 1048576.0, rssMiB());
                }
            }
        }
    }

    private static double rssMiB() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
            }
        }
        return Double.NaN;
    }
}
