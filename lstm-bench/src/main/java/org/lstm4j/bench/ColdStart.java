package org.lstm4j.bench;

import org.lstm4j.model.SequenceModel;
import org.lstm4j.predict.Prediction;
import org.lstm4j.predict.Predictor;
import org.lstm4j.tensor.FloatTensor;

/**
 * Cold start: a new JVM that selects a backend, compiles the seed model (b) and makes one prediction,
 * (or the one the second argument names), then prints the wall-clock time at that moment ({@code first_prediction_epoch_ms}) for the script,
 * which started the clock before it launched the process and also reads the process's peak RSS.
 *
 * <pre>java [--add-modules jdk.incubator.vector] -cp lstm-bench/target/benchmarks.jar org.lstm4j.bench.ColdStart BACKEND [a|b|c|d]</pre>
 */
public final class ColdStart {
    private ColdStart() {
    }

    /**
     * This process's peak resident set (VmHWM in /proc/self/status), or -1 off Linux. Read here rather than
     * from the parent's wait4: a forked child's max RSS starts from its parent's, a Python process with
     * PyTorch loaded.
     */
    static long peakRssKib() {
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    public static void main(String[] args) {
        String backend = args[0];
        BenchShape s = args.length > 1 ? BenchShape.of(args[1]) : BenchShape.B_SEQUENCE;
        try {
            SequenceModel model = BenchModels.random(s);
            FloatTensor x = BenchModels.input(s);
            try (Predictor p = BenchBackends.open(backend).compile(model, BenchBackends.options(1))) {
                Prediction r = p.predict(x);
                long at = System.currentTimeMillis();
                System.out.println("first_prediction_epoch_ms=" + at + " output0=" + r.output().get(0) + " peak_rss_kib=" + peakRssKib());
            }
        } catch (BenchBackends.Unavailable e) {
            System.out.println("skipped=" + e.getMessage());
        }
    }
}
