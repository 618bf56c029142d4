package org.lstm4j.backend.onnx;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.util.Locale;
import org.lstm4j.predict.PredictorOptions;

/**
 * Turns {@link PredictorOptions} into ONNX Runtime session options.
 *
 * <ul>
 *   <li>intra- and inter-op threads from the options (1 by default: on small machines one thread
 *       was the fastest for LSTM inference, see the README's benchmark section);</li>
 *   <li>{@value #THREADS_PROPERTY}{@code =default} leaves both thread counts to ONNX Runtime
 *       (one intra-op thread per physical core);</li>
 *   <li>{@value #OPTIMIZATION_PROPERTY} = {@code ALL} (the default), {@code EXTENDED}, {@code BASIC}
 *       or {@code NONE}: the graph optimisation level.</li>
 * </ul>
 */
final class SessionSettings {

    static final String OPTIMIZATION_PROPERTY = "onnx.optimization";
    static final String THREADS_PROPERTY = "onnx.threads";

    private SessionSettings() {
    }

    /** Session options for {@code options}; the caller closes them once the session is created. */
    static OrtSession.SessionOptions sessionOptions(PredictorOptions options) throws OrtException {
        OrtSession.SessionOptions.OptLevel level = optimizationLevel(options);
        boolean runtimeDefaultThreads = threadsAreRuntimeDefault(options);
        OrtSession.SessionOptions so = new OrtSession.SessionOptions();
        try {
            so.setOptimizationLevel(level);
            so.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            if (!runtimeDefaultThreads) {
                so.setIntraOpNumThreads(options.intraOpThreads());
                so.setInterOpNumThreads(options.interOpThreads());
            }
            return so;
        } catch (OrtException | RuntimeException e) {
            so.close();
            throw e;
        }
    }

    static OrtSession.SessionOptions.OptLevel optimizationLevel(PredictorOptions options) {
        String value = options.property(OPTIMIZATION_PROPERTY, "ALL").strip().toUpperCase(Locale.ROOT);
        switch (value) {
            case "ALL": return OrtSession.SessionOptions.OptLevel.ALL_OPT;
            case "EXTENDED": return OrtSession.SessionOptions.OptLevel.EXTENDED_OPT;
            case "BASIC": return OrtSession.SessionOptions.OptLevel.BASIC_OPT;
            case "NONE": return OrtSession.SessionOptions.OptLevel.NO_OPT;
            default:
                throw new IllegalArgumentException("property " + OPTIMIZATION_PROPERTY + "='" + options.property(OPTIMIZATION_PROPERTY, "")
                        + "' is not an optimisation level; use ALL, EXTENDED, BASIC or NONE");
        }
    }

    static boolean threadsAreRuntimeDefault(PredictorOptions options) {
        String value = options.property(THREADS_PROPERTY, "options").strip().toLowerCase(Locale.ROOT);
        switch (value) {
            case "default": return true;
            case "options": return false;
            default:
                throw new IllegalArgumentException("property " + THREADS_PROPERTY + "='" + value + "' is not known; use 'default' for "
                        + "ONNX Runtime's own thread counts, or leave it out to use the PredictorOptions thread counts");
        }
    }
}
