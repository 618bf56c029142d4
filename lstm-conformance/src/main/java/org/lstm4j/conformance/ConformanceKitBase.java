package org.lstm4j.conformance;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.lstm4j.backend.BackendProvider;
import org.lstm4j.backend.Capability;
import org.lstm4j.backend.java.ReferenceBackendProvider;
import org.lstm4j.testing.Tolerance;

/**
 * What every group of kit rules needs: the backend under test (opened once per test class), the
 * reference engine as the oracle, the tolerance, and skipping a rule whose capability the backend
 * does not declare. Backends extend {@link BackendConformanceKit}, not this.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ConformanceKitBase {

    private final BackendProvider oracle = new ReferenceBackendProvider();
    private BackendProvider backend;

    /** The backend under test. Called once per test class. */
    protected abstract BackendProvider provider();

    /** The tolerance against the reference engine; backends may only tighten it. */
    protected Tolerance tolerance() {
        return Tolerance.DEFAULT;
    }

    @BeforeAll
    final void openBackend() {
        backend = provider();
        assertTrue(backend.availability().available(), () -> "backend '" + backend.name() + "' is unavailable here: "
                + backend.availability().reason());
    }

    @AfterAll
    final void noteBackend() {
        backend = null;
    }

    protected final BackendProvider backend() {
        return backend;
    }

    /** The reference engine, whose answers are the expected values unless a rule says otherwise. */
    protected final BackendProvider oracle() {
        return oracle;
    }

    /** Skips the calling rule when the backend does not declare all of {@code needed}. */
    protected final void requireCapabilities(Set<Capability> needed, String rule) {
        Set<Capability> missing = EnumSet.noneOf(Capability.class);
        missing.addAll(needed);
        missing.removeAll(backend.capabilities());
        assumeTrue(missing.isEmpty(), () -> "skipped: backend '" + backend.name() + "' declares no " + missing + ", which " + rule + " needs");
    }
}
