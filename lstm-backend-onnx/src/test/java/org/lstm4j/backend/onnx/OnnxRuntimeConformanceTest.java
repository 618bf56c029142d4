package org.lstm4j.backend.onnx;

import org.lstm4j.backend.BackendProvider;
import org.lstm4j.conformance.BackendConformanceKit;

/** The ONNX Runtime backend runs the whole conformance kit at the kit's default tolerance; it declares every capability, so no rule is skipped. */
class OnnxRuntimeConformanceTest extends BackendConformanceKit {
    @Override
    protected BackendProvider provider() {
        return new OnnxRuntimeBackendProvider();
    }
}
