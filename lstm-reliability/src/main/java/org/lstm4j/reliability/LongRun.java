package org.lstm4j.reliability;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.lstm4j.backend.BackendProvider;
import org.lstm4j.backend.Backends;
import org.lstm4j.model.SequenceModel;
import org.lstm4j.predict.Predictor;
import org.lstm4j.predict.PredictorOptions;
import org.lstm4j.predict.StreamingPredictor;
import org.lstm4j.tensor.FloatTensor;

/**
 * A soak run of one backend: many streaming steps through one predictor, then many predictor
 * open/close cycles, with resident memory sampled after a warm-up and at the end. A leak of a
 * few bytes per step or a native buffer per predictor shows as growth that does not level off.
 *
 * <p>Run by {@code tools/reliability/long_runs.sh} (10^6 steps, 10^4 cycles, fixed heap so that
 * RSS changes are native or metaspace growth); {@code LongRunTest} runs a short version in CI.
 *
 * <pre>java -Xms256m -Xmx256m -XX:+AlwaysPreTouch -cp ... org.lstm4j.reliability.LongRun [--steps N] [--cycles N] [backend ...]</pre>
 */
public final class LongRun {

    /** Growth allowed between the post-warm-up sample and the last one. */
    public static final double MAX_GROWTH_PERCENT = 5.0;

    private final BackendProvider backend;
    private final PrintStream log;

    public LongRun(BackendProvider backend, PrintStream log) {
        this.backend = backend;
        this.log = log;
    }

    /** What one phase saw: samples after warm-up and at the end, and throughput. */
    public record Phase(String name, long iterations, MemoryProbe.Sample start, MemoryProbe.Sample end, double perSecond) {
        public double rssGrowthPercent() {
            return MemoryProbe.growthPercent(start.rssKiB(), end.rssKiB());
        }

        /** JavaCPP native bytes growth, or 0 when JavaCPP is absent. */
        public double javacppGrowthPercent() {
            return start.javacppBytes() < 0 ? 0 : MemoryProbe.growthPercent(start.javacppBytes(), end.javacppBytes());
        }

        /**
         * Whether resident memory grew less than {@link #MAX_GROWTH_PERCENT}. JavaCPP's byte count is part of
         * RSS and reported beside it, not judged alone: it starts near zero for engines that allocate through
         * their own allocators (ND4J's workspaces, TensorFlow's), where a percentage of it means nothing.
         */
        public boolean withinLimit() {
            return rssGrowthPercent() < MAX_GROWTH_PERCENT;
        }

        /** A Markdown table row: backend, phase, iterations, RSS start/end, growth, heap, JavaCPP, rate. */
        public String row(String backendName) {
            return String.format(Locale.ROOT, "| %s | %s | %,d | %.1f | %.1f | %+.2f %% | %.1f / %.1f | %s | %,.0f/s |",
                    backendName, name, iterations, start.rssKiB() / 1024.0, end.rssKiB() / 1024.0, rssGrowthPercent(),
                    start.heapUsedKiB() / 1024.0, end.heapUsedKiB() / 1024.0,
                    start.javacppBytes() < 0 ? "n/a" : String.format(Locale.ROOT, "%.1f / %.1f MiB",
                            start.javacppBytes() / 1048576.0, end.javacppBytes() / 1048576.0),
                    perSecond);
        }
    }

    /**
     * Advances 4 streams by {@code steps} steps on one predictor. The first tenth (at least 1000
     * steps) warms up the JIT, the engine's caches and the heap before the first sample.
     */
    public Phase streaming(SequenceModel model, long steps) {
        return streaming(model, Math.max(1000, steps / 10), steps);
    }

    /** As {@link #streaming(SequenceModel, long)} with an explicit warm-up, for short runs. */
    public Phase streaming(SequenceModel model, long warmUp, long steps) {
        int streams = 4;
        try (Predictor p = backend.compile(model, PredictorOptions.defaults());
             StreamingPredictor s = p.stream(streams)) {
            float[] step = new float[streams * model.inputSize()];
            for (long i = 0; i < warmUp; i++) {
                advance(s, step, i);
            }
            MemoryProbe.Sample start = MemoryProbe.sample();
            long t0 = System.nanoTime();
            long reportEvery = Math.max(1, steps / 10);
            for (long i = 0; i < steps; i++) {
                advance(s, step, warmUp + i);
                if ((i + 1) % reportEvery == 0 && log != null) {
                    log.printf(Locale.ROOT, "  %s streaming: %,d / %,d steps, RSS %d MiB%n", backend.name(), i + 1, steps,
                            MemoryProbe.rssKiB().orElse(-1) / 1024);
                }
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            MemoryProbe.Sample end = MemoryProbe.sample();
            return new Phase("stream steps", steps, start, end, steps / seconds);
        }
    }

    /** A slowly varying input, bounded so that the state stays in the range real data gives. */
    private static void advance(StreamingPredictor s, float[] step, long t) {
        int f = step.length / s.streams();
        for (int k = 0; k < step.length; k++) {
            step[k] = (float) Math.sin(0.01 * t + 0.7 * k);
        }
        FloatTensor out = s.step(FloatTensor.of(new int[] {s.streams(), f}, step));
        if (!Float.isFinite(out.get(0))) {
            throw new IllegalStateException("step " + t + " gave a non-finite output " + out.get(0) + " from finite input");
        }
    }

    /** Compiles, runs one small batch on, and closes a predictor {@code cycles} times. */
    public Phase cycles(SequenceModel model, int cycles) {
        int warmUp = Math.max(20, cycles / 10);
        FloatTensor x = FloatTensor.zeros(2, 5, model.inputSize());
        for (int i = 0; i < warmUp; i++) {
            cycle(model, x);
        }
        MemoryProbe.Sample start = MemoryProbe.sample();
        long t0 = System.nanoTime();
        int reportEvery = Math.max(1, cycles / 10);
        for (int i = 0; i < cycles; i++) {
            cycle(model, x);
            if ((i + 1) % reportEvery == 0 && log != null) {
                log.printf(Locale.ROOT, "  %s cycles: %,d / %,d, RSS %d MiB%n", backend.name(), i + 1, cycles,
                        MemoryProbe.rssKiB().orElse(-1) / 1024);
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        MemoryProbe.Sample end = MemoryProbe.sample();
        return new Phase("open/close cycles", cycles, start, end, cycles / seconds);
    }

    private void cycle(SequenceModel model, FloatTensor x) {
        try (Predictor p = backend.compile(model, PredictorOptions.defaults())) {
            p.predict(x);
        }
    }

    public static void main(String[] args) {
        long steps = 1_000_000;
        int cycles = 10_000;
        List<String> names = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--steps" -> steps = Long.parseLong(args[++i]);
                case "--cycles" -> cycles = Integer.parseInt(args[++i]);
                default -> names.add(args[i]);
            }
        }
        if (names.isEmpty()) {
            Backends.defaultSelector().candidates().stream()
                    .filter(c -> c.provider().isPresent() && c.availability().available())
                    .forEach(c -> names.add(c.provider().get().name()));
        }
        SequenceModel model = ReliabilityModels.stacked(11);
        System.out.println("| backend | phase | iterations | RSS start MiB | RSS end MiB | RSS growth | heap used start / end MiB | JavaCPP | rate |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        List<String> rows = new ArrayList<>();
        boolean ok = true;
        for (String name : names) {
            LongRun run = new LongRun(Backends.select(name), System.err);
            for (Phase phase : List.of(run.streaming(model, steps), run.cycles(model, cycles))) {
                String row = phase.row(name) + (phase.withinLimit() ? "" : " **over " + MAX_GROWTH_PERCENT + " %**");
                System.out.println(row);
                rows.add(row);
                ok &= phase.withinLimit();
            }
        }
        if (!ok) {
            System.err.println("memory grew by more than " + MAX_GROWTH_PERCENT + " % after warm-up in: " + rows);
            System.exit(1);
        }
    }
}
