package org.lstm4j.bench;

import org.lstm4j.backend.Availability;
import org.lstm4j.backend.BackendProvider;
import org.lstm4j.backend.Backends;
import org.lstm4j.backend.java.fast.FastJavaBackendProvider;
import org.lstm4j.predict.PredictorOptions;

/** Backends by name for the benchmarks, and the options every one of them runs with. */
public final class BenchBackends {

    /** Every backend lstm4j knows, in the order tables list them. Unavailable ones are skipped with a message. */
    public static final String ALL = "java,java-fast,java-fast-scalar,onnx,tf,nd4j";

    /** The fast engine on its scalar kernels: what it does on a JVM without jdk.incubator.vector. */
    public static final String FAST_SCALAR = "java-fast-scalar";

    private BenchBackends() {
    }

    /**
     * The provider called {@code name}, through {@link Backends#select(String)} as users select it.
     *
     * @throws Unavailable with the reason when it is not on the class path or cannot run here
     */
    public static BackendProvider open(String name) {
        if (FAST_SCALAR.equals(name)) {
            return FastJavaBackendProvider.scalarOnly();
        }
        BackendProvider p;
        try {
            p = Backends.select(name);
        } catch (RuntimeException e) {
            throw new Unavailable("backend '" + name + "' skipped: " + e.getMessage());
        }
        Availability a = p.availability();
        if (!a.available()) {
            throw new Unavailable("backend '" + name + "' skipped: " + a.reason());
        }
        return p;
    }

    /** One engine thread for every backend, as for every Python anchor. */
    public static PredictorOptions options(int threads) {
        return PredictorOptions.builder().intraOpThreads(threads).interOpThreads(1).build();
    }

    /** A backend that cannot run here. */
    public static final class Unavailable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public Unavailable(String message) {
            super(message);
        }
    }
}
