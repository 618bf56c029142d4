package org.lstm4j.backend.nd4j;

import org.lstm4j.backend.BackendProvider;
import org.lstm4j.conformance.BackendConformanceKit;

/** The ND4J backend runs lstm4j's conformance kit, found through its provider as users get it. */
class Nd4jConformanceTest extends BackendConformanceKit {
    @Override
    protected BackendProvider provider() {
        return new Nd4jBackendProvider();
    }
}
