package org.lstm4j.backend.tf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A JVM whose class path lacks the TensorFlow natives jar, as on a platform TensorFlow Java does not
 * ship: the provider must report itself unavailable with the native error as the cause, and compile
 * must refuse with that reason, never crash the JVM.
 */
class NativesMissingTest {

    @Test
    void withoutNativesTheBackendIsUnavailableWithTheCause() throws Exception {
        String classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !(entry.contains("tensorflow-core-native") && entry.contains("linux-x86_64")))
                .collect(Collectors.joining(File.pathSeparator));
        assertTrue(classPath.contains("tensorflow-core-native"), "the Java part of tensorflow-core-native stays");
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // A fresh JavaCPP cache, so that natives extracted by earlier runs cannot be found there.
        Path cache = Files.createTempDirectory("javacpp-empty-cache");
        List<String> lines;
        Process p = new ProcessBuilder(javaBin, "-Xmx128m", "-Dorg.bytedeco.javacpp.cachedir=" + cache, "-cp", classPath,
                AvailabilityProbe.class.getName()).redirectErrorStream(true).start();
        try {
            lines = Arrays.asList(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).split("\n"));
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "probe JVM finished");
        } finally {
            p.destroyForcibly();
            try (var files = Files.walk(cache)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
        assertEquals(0, p.exitValue(), "probe JVM exit status; output: " + lines);
        assertTrue(lines.contains("available=false"), lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("cause=java.lang.") && (l.contains("UnsatisfiedLinkError")
                || l.contains("ExceptionInInitializerError") || l.contains("NoClassDefFoundError"))), lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("reason=TensorFlow natives failed to load on")), lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("compile=backend 'tf' is unavailable")), lines.toString());
    }
}
