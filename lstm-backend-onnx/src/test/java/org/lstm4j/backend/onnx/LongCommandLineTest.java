package org.lstm4j.backend.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * ONNX Runtime 1.29.0 crashes the JVM while starting when the java command line is longer than
 * about 3,980 bytes. The provider must refuse to start it then, reporting the backend unavailable
 * with instructions, rather than let the JVM die. (Surefire starts this JVM through a manifest jar,
 * so its own command line is short; the long one is made in a child JVM.)
 */
class LongCommandLineTest {

    /** Prints the availability of the ONNX Runtime backend; run in a child JVM. */
    public static final class PrintAvailability {
        public static void main(String[] args) {
            System.out.println(new OnnxRuntimeBackendProvider().availability());
        }
    }

    @Test
    void aLongCommandLineMakesTheBackendUnavailableInsteadOfCrashingTheJvm() throws Exception {
        String cp = System.getProperty("java.class.path");
        String padding = "x".repeat(5000);
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dpadding=" + padding, "-cp", cp + File.pathSeparator + "/nonexistent", PrintAvailability.class.getName())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(2, TimeUnit.MINUTES));
        assertEquals(0, p.exitValue(), "the JVM should survive: " + out);
        assertTrue(out.contains("available=false") && out.contains("command line"), out);
    }
}
