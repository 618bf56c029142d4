package org.lstm4j.backend.tf;

import org.lstm4j.backend.BackendProvider;
import org.lstm4j.conformance.BackendConformanceKit;

/** The conformance kit, every rule, on the TensorFlow backend (expected values: the reference engine and the fixtures' frameworks). */
class TensorFlowConformanceTest extends BackendConformanceKit {
    @Override
    protected BackendProvider provider() {
        return new TensorFlowBackendProvider();
    }
}
