package org.lstm4j.backend.nd4j;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;
import org.lstm4j.model.Activation;
import org.lstm4j.model.Direction;
import org.lstm4j.model.SequenceModel;
import org.lstm4j.predict.Predictor;
import org.lstm4j.predict.StreamingPredictor;
import org.lstm4j.tensor.FloatTensor;
import org.lstm4j.testing.RandomModels;

/**
 * Streams single steps through the nd4j backend and prints heap used after a full GC and the
 * process's resident memory (VmRSS) every {@code every} steps: the reproducer for per-step growth.
 * Not a unit test: {@code java -cp ... Nd4jStreamingMemoryMain [steps] [every] [auto|composed] [nogc]}.
 * With {@code nogc} no collection is forced before a sample, as in a real streaming loop.
 * Run it with {@code -Xms} = {@code -Xmx} and {@code -XX:+AlwaysPreTouch}, so that the heap is
 * resident from the start and RSS growth is native.
 */
public final class Nd4jStreamingMemoryMain {

    private Nd4jStreamingMemoryMain() {
    }

    public static void main(String[] args) throws Exception {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int every = args.length > 1 ? Integer.parseInt(args[1]) : 2_000;
        String kernel = args.length > 2 ? args[2] : "auto";
        // "nogc": no System.gc() before a sample, as in a real streaming loop (RSS only is meaningful then).
        boolean collect = args.length <= 3 || !args[3].equals("nogc");
        Random r = new Random(11);
        // The soak test's shape (lstm-reliability ReliabilityModels.stacked): 8 -> LSTM(32, peepholes)
        // -> LSTM(16) -> Dense(3, tanh), four streams.
        int streams = 4;
        SequenceModel model = Nd4jMatchesReferenceTest.model(8, RandomModels.lstm(r, 8, 32, Direction.FORWARD, true),
                RandomModels.lstm(r, 32, 16, Direction.FORWARD, false), RandomModels.dense(r, 16, 3, Activation.tanh()));
        FloatTensor x = FloatTensor.of(new int[] {streams, 8}, RandomModels.uniform(r, streams * 8, 1f));
        MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        try (Predictor p = new Nd4jBackendProvider().compile(model,
                org.lstm4j.predict.PredictorOptions.builder().property(Nd4jPredictor.KERNEL_PROPERTY, kernel).build());
                StreamingPredictor s = p.stream(streams)) {
            for (int i = 1; i <= steps; i++) {
                s.step(x);
                if (i % every == 0) {
                    if (collect) {
                        System.gc();
                        Thread.sleep(200);
                        System.gc();
                    }
                    System.out.printf(Locale.ROOT, "step %7d heap%s %7.2f MiB rss %7.1f MiB%n", i, collect ? "AfterGc" : "Used   ",
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
