package org.lstm4j.reliability;

import java.util.Set;
import org.lstm4j.backend.Availability;
import org.lstm4j.backend.BackendProvider;
import org.lstm4j.backend.Capability;
import org.lstm4j.model.SequenceModel;
import org.lstm4j.predict.Predictor;
import org.lstm4j.predict.PredictorOptions;

/**
 * Backends whose native library is missing, registered only in the test class loader that
 * {@link BackendFaultTest} builds. They really call {@link System#loadLibrary} on a library that
 * does not exist, so the JVM throws its own {@link UnsatisfiedLinkError}, as it does for a
 * backend jar without its natives (wrong platform classifier, stripped fat jar).
 */
final class BrokenNativeBackends {

    static final String MISSING_LIBRARY = "lstm4j_reliability_missing_engine";

    private BrokenNativeBackends() {
    }

    /** Loads its library in {@link #availability()}, as the SPI asks; the highest priority, so it would win if it worked. */
    public static final class LinksInAvailability implements BackendProvider {
        public static final String NAME = "broken-native";

        @Override
        public String name() {
            return NAME;
        }

        @Override
        public int priority() {
            return 1_000_000;
        }

        @Override
        public Availability availability() {
            // Against the SPI's "must not throw": the failure mode of a provider that loads natives eagerly.
            System.loadLibrary(MISSING_LIBRARY);
            return Availability.ok();
        }

        @Override
        public Set<Capability> capabilities() {
            return Set.of();
        }

        @Override
        public Predictor compile(SequenceModel model, PredictorOptions options) {
            throw new AssertionError("a backend whose natives did not load must never be asked to compile");
        }
    }

    /** Loads its library in a static initialiser, so the class itself cannot be instantiated by ServiceLoader. */
    public static final class LinksInStaticInitialiser implements BackendProvider {
        static {
            System.loadLibrary(MISSING_LIBRARY);
        }

        @Override
        public String name() {
            return "broken-static";
        }

        @Override
        public int priority() {
            return 1_000_001;
        }

        @Override
        public Availability availability() {
            return Availability.ok();
        }

        @Override
        public Set<Capability> capabilities() {
            return Set.of();
        }

        @Override
        public Predictor compile(SequenceModel model, PredictorOptions options) {
            throw new AssertionError("unreachable: the class cannot initialise");
        }
    }
}
