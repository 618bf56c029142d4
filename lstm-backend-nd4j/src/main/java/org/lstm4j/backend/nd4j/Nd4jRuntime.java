package org.lstm4j.backend.nd4j;

import org.lstm4j.backend.Availability;
import org.lstm4j.predict.PredictorOptions;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts ND4J once per process: quiet defaults first, then the natives, then the thread count.
 *
 * <p><b>Threads.</b> ND4J's OpenMP and OpenBLAS pools are process-wide. Unless told otherwise we
 * run them with one thread: on 2-core machines ND4J's default (one thread per core) made a
 * streaming step of the seed model 20-60x slower at the median under load, and about 9x slower
 * at p99 on a quiet machine (see the module README for the figures and the command).
 * {@value #THREADS_PROPERTY} sets another count ({@code native} keeps ND4J's own choice:
 * {@code OMP_NUM_THREADS} or the core count), and a
 * predictor compiled with {@code intraOpThreads > 1} raises it for the whole process.
 *
 * <p><b>Logging.</b> ND4J logs through SLF4J; JavaCPP's loader is pointed at SLF4J too, and
 * ND4J's start-up banner and version check are off unless the user sets those properties.
 */
final class Nd4jRuntime {

    /** System property: ND4J threads for the process, a number or {@code native}; default 1. */
    static final String THREADS_PROPERTY = "lstm4j.nd4j.threads";

    /** System property: {@code true} keeps ND4J's periodic System.gc() (off by default). */
    static final String PERIODIC_GC_PROPERTY = "lstm4j.nd4j.periodicGc";

    private static final Logger LOG = LoggerFactory.getLogger(Nd4jRuntime.class);
    private static int threads;

    private Nd4jRuntime() {
    }

    /** Starts ND4J on the first call (the JVM initialises {@link Started} once); never throws. */
    static Availability availability() {
        return Started.AVAILABILITY;
    }

    /** ND4J's process-wide start: its settings (threads, periodic GC) must be applied once, before any op. */
    private static final class Started {
        static final Availability AVAILABILITY = start();
    }

    private static Availability start() {
        setIfAbsent("org.bytedeco.javacpp.logger", "slf4j");
        setIfAbsent("org.nd4j.log.initialization", "false");
        setIfAbsent("org.nd4j.versioncheck", "false");
        try {
            // A tiny op proves that the natives loaded and run, not only that the classes resolved.
            float probe = Nd4j.createFromArray(1f, 2f).sumNumber().floatValue();
            if (probe != 3f) {
                return Availability.unavailable("ND4J loaded but computed 1 + 2 = " + probe, null);
            }
            if (!Boolean.getBoolean(PERIODIC_GC_PROPERTY)) {
                // ND4J calls System.gc() every few seconds by default to free arrays the collector
                // has not reached; our calls release their arrays with their workspace, and those
                // full collections were the 30 ms p99 steps of a streaming loop.
                Nd4j.getMemoryManager().togglePeriodicGc(false);
            }
            String requested = System.getProperty(THREADS_PROPERTY, "1").trim();
            if (!requested.equalsIgnoreCase("native")) {
                setThreads(parseThreads(requested));
            } else {
                threads = Nd4j.getEnvironment().maxThreads();
            }
            LOG.debug("ND4J {} started with {} thread(s)", Nd4j.getBackend().getClass().getSimpleName(), threads);
            return Availability.ok();
        } catch (LinkageError | RuntimeException e) {
            // UnsatisfiedLinkError (no natives for this platform, or a JavaCPP mismatch),
            // ExceptionInInitializerError / NoClassDefFoundError from Nd4j's static start-up.
            return Availability.unavailable("ND4J natives failed to load on " + System.getProperty("os.name") + "/"
                    + System.getProperty("os.arch") + ": " + e + " (see 'lstm-backend-nd4j' in the README for the "
                    + "nd4j-native classifier of your platform)", e);
        }
    }

    private static int parseThreads(String value) {
        try {
            int n = Integer.parseInt(value);
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException("system property " + THREADS_PROPERTY + " must be a positive number or 'native', got '"
                + value + "'");
    }

    /** Raises the process-wide thread count when a predictor asks for more than the current one. */
    static synchronized void applyThreads(PredictorOptions options) {
        int wanted = options.intraOpThreads();
        if (wanted > threads) {
            LOG.info("ND4J threads raised from {} to {} for the whole process (intraOpThreads of a predictor)", threads, wanted);
            setThreads(wanted);
        }
    }

    /** The thread count ND4J runs with. */
    static synchronized int threads() {
        return threads;
    }

    private static synchronized void setThreads(int n) {
        Nd4j.getEnvironment().setMaxThreads(n);
        Nd4j.getEnvironment().setMaxMasterThreads(n);
        Nd4j.factory().blas().setMaxThreads(n);
        threads = n;
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
