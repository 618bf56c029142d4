package org.lstm4j.conformance;

import org.lstm4j.backend.BackendProvider;
import org.lstm4j.backend.java.ReferenceBackendProvider;

/**
 * The reference engine runs the kit too. Against itself the agreement rules are trivially exact;
 * what this run checks is the rest of the contract (streaming, snapshot, errors, threads, close),
 * and that the kit itself runs. The oracle's own correctness is checked by
 * {@link ReferenceEngineHandComputedTest} and the framework goldens.
 */
class ReferenceBackendConformanceTest extends BackendConformanceKit {
    @Override
    protected BackendProvider provider() {
        return new ReferenceBackendProvider();
    }
}
