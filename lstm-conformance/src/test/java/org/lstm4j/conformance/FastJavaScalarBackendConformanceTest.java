package org.lstm4j.conformance;

import org.lstm4j.backend.BackendProvider;
import org.lstm4j.backend.java.fast.FastJavaBackendProvider;

/**
 * The fast engine's scalar kernels, which run on a JVM without jdk.incubator.vector, pass the same
 * kit against the reference engine.
 */
class FastJavaScalarBackendConformanceTest extends BackendConformanceKit {
    @Override
    protected BackendProvider provider() {
        return FastJavaBackendProvider.scalarOnly();
    }
}
