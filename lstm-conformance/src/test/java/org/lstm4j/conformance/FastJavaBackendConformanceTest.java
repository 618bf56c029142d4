package org.lstm4j.conformance;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.lstm4j.backend.BackendProvider;
import org.lstm4j.backend.java.fast.FastJavaBackendProvider;

/**
 * The fast pure-Java engine ({@code java-fast}) runs the whole kit against the double-precision
 * reference engine, on the Vector API kernels: this module's surefire JVM is started with
 * {@code --add-modules jdk.incubator.vector}, and the test below makes sure those kernels were the
 * ones under test rather than a silent fallback.
 */
class FastJavaBackendConformanceTest extends BackendConformanceKit {

    private final FastJavaBackendProvider provider = new FastJavaBackendProvider();

    @Override
    protected BackendProvider provider() {
        return provider;
    }

    @Test
    void theVectorApiKernelsAreTheOnesUnderTest() {
        assertTrue(provider.kernelDescription().startsWith("vector"), () -> "kernels: " + provider.kernelDescription());
    }

}
