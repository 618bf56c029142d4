package org.lstm4j.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * Median wall-clock and process-CPU time of a call after a warm-up. Both are kept: on a shared
 * machine wall time includes waiting for a core, while CPU time does not, so ratios of CPU times
 * stay meaningful when other work competes (the side-by-side table says which it uses). Process
 * CPU, not thread CPU, because some engines compute on their own pool threads; the Python side
 * measures the same way (time.process_time).
 */
final class Timing {
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private static final Path TASKS = Path.of("/proc/self/task");
    private static final boolean SCHEDSTAT = Files.isReadable(TASKS.resolve(String.valueOf(ProcessHandle.current().pid())).resolve("schedstat"))
            || Files.isReadable(Path.of("/proc/self/schedstat"));

    /**
     * CPU time of every thread of this process in nanoseconds: the sum of the first field of
     * /proc/self/task/TID/schedstat (nanosecond counters), since the JVM's own process CPU time counts
     * scheduler ticks of 10 ms. Off Linux, the JVM's figure.
     */
    static long processCpuNanos() {
        if (!SCHEDSTAT) {
            return OS.getProcessCpuTime();
        }
        long total = 0;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS)) {
            for (Path t : tasks) {
                try {
                    String s = Files.readString(t.resolve("schedstat"));
                    total += Long.parseLong(s.substring(0, s.indexOf(' ')));
                } catch (IOException | RuntimeException e) {
                    // the thread ended between listing and reading: its time is gone from both readings alike
                }
            }
        } catch (IOException e) {
            return OS.getProcessCpuTime();
        }
        return total;
    }

    /** A measurement: medians in milliseconds per unit (a step, or a call). */
    record Result(double wallMs, double cpuMs, int samples) {
        String json() {
            return String.format(Locale.ROOT, "\"median_wall_ms\": %.6f, \"median_cpu_ms\": %.6f, \"samples\": %d", wallMs, cpuMs, samples);
        }
    }

    /** The shortest sample: 20 scheduler ticks. */
    static final long SAMPLE_NS = 200_000_000L;

    interface Call {
        void run() throws Exception;
    }

    private Timing() {
    }

    /**
     * Warms up for {@code warmupMs} (at least 2 calls; 1 when {@code warmupMs} is 0), then times up to {@code maxSamples} calls within
     * {@code budgetMs} (at least {@code minSamples}); each call is {@code units} units of work.
     */
    static Result measure(Call call, int units, long warmupMs, long budgetMs, int minSamples, int maxSamples) throws Exception {
        long end = System.nanoTime() + warmupMs * 1_000_000L;
        int warm = 0;
        while (warm < (warmupMs == 0 ? 1 : 2) || System.nanoTime() < end) {
            call.run();
            warm++;
        }
        // A sample repeats the call until it lasts at least SAMPLE_NS, on both sides (Python samples the same
        // way), so that short calls are timed over many repetitions.
        long t = System.nanoTime();
        call.run();
        long once = Math.max(1, System.nanoTime() - t);
        int reps = (int) Math.max(1, Math.min(100_000, SAMPLE_NS / once));
        double[] wall = new double[maxSamples];
        double[] cpu = new double[maxSamples];
        int n = 0;
        long stop = System.nanoTime() + budgetMs * 1_000_000L;
        while (n < maxSamples && (n < minSamples || System.nanoTime() < stop)) {
            long c0 = processCpuNanos();
            long t0 = System.nanoTime();
            for (int r = 0; r < reps; r++) {
                call.run();
            }
            long t1 = System.nanoTime();
            long c1 = processCpuNanos();
            wall[n] = (t1 - t0) / 1e6 / units / reps;
            cpu[n] = (c1 - c0) / 1e6 / units / reps;
            n++;
        }
        return new Result(median(wall, n), median(cpu, n), n);
    }

    static double median(double[] a, int n) {
        double[] s = Arrays.copyOf(a, n);
        Arrays.sort(s);
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }
}
