package org.lstm4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lstm4j.testing.TensorAssertions.assertClose;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lstm4j.tensor.FloatTensor;
import org.lstm4j.tensor.Npy;
import org.lstm4j.testing.Fixture;

/**
 * The distribution zip (built in the package phase), unpacked in a folder outside the repository, runs as a user
 * runs it: {@code bin/lstm --version} names the version and the backends inside, and {@code bin/lstm predict} on a
 * Keras model of the golden corpus writes Keras's own outputs (keras_output, from Keras 3.15.1) within the
 * fixture's tolerance, on the backend chosen automatically and on java-fast.
 */
class DistributionIT {

    @TempDir
    static Path unpacked;
    static Path lstm;

    @BeforeAll
    static void unpack() throws IOException {
        Path zip = Path.of(System.getProperty("lstm4j.distribution"));
        assertTrue(Files.isRegularFile(zip), "the distribution was built: " + zip);
        try (ZipFile z = new ZipFile(zip.toFile())) {
            for (Enumeration<? extends ZipEntry> e = z.entries(); e.hasMoreElements();) {
                ZipEntry entry = e.nextElement();
                Path to = unpacked.resolve(entry.getName()).normalize();
                assertTrue(to.startsWith(unpacked), entry.getName());
                if (entry.isDirectory()) {
                    Files.createDirectories(to);
                    continue;
                }
                Files.createDirectories(to.getParent());
                try (InputStream in = z.getInputStream(entry)) {
                    Files.copy(in, to);
                }
            }
        }
        lstm = unpacked.resolve("lstm-" + System.getProperty("lstm4j.version")).resolve("bin/lstm");
        assertTrue(Files.isRegularFile(lstm), "bin/lstm in the zip");
        // java.util.zip does not restore Unix modes; unzip does (the assembly stores 0755).
        Files.setPosixFilePermissions(lstm, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** Runs bin/lstm in {@code workDir}; returns exit code and output. */
    private static String[] run(Path workDir, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(lstm.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile()).redirectErrorStream(true);
        pb.environment().remove("LSTM4J_BACKEND");
        pb.environment().remove("CLASSPATH");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "bin/lstm timed out: " + out);
        return new String[] {String.valueOf(p.exitValue()), out};
    }

    @Test
    void versionNamesTheVersionAndTheBackendsInside() throws Exception {
        String[] r = run(unpacked, "--version");
        assertEquals("0", r[0], r[1]);
        assertTrue(r[1].startsWith("lstm4j " + System.getProperty("lstm4j.version") + "\n"), r[1]);
        assertTrue(r[1].contains("backends: java, java-fast (org.lstm4j:lstm-backend-java), nd4j (org.lstm4j:lstm-backend-nd4j), "
                + "onnx (org.lstm4j:lstm-backend-onnx), tf (org.lstm4j:lstm-backend-tf)"), r[1]);
    }

    @Test
    void predictOutsideTheRepositoryWritesKerassOutputs() throws Exception {
        Fixture f = Fixture.group("keras").stream().filter(Fixture::expectsMatch).findFirst().orElseThrow();
        Path work = Files.createDirectories(unpacked.resolve("work"));
        Files.write(work.resolve("model.onnx"), f.modelBytes());
        List<String> inputs = new ArrayList<>();
        for (Map.Entry<String, FloatTensor> e : f.floatInputs().entrySet()) {
            String file = "in-" + PredictCommand.fileName(e.getKey()) + ".npy";
            Npy.write(work.resolve(file), e.getValue());
            inputs.addAll(List.of("--input", e.getKey() + "=" + file));
        }
        for (String backend : List.of("", "java-fast")) {
            Path out = work.resolve("out-" + (backend.isEmpty() ? "default" : backend));
            List<String> args = new ArrayList<>(List.of("predict", "--model", "model.onnx", "--output-dir", out.getFileName().toString()));
            args.addAll(inputs);
            if (!backend.isEmpty()) {
                args.addAll(List.of("--backend", backend));
            }
            String[] r = run(work, args.toArray(new String[0]));
            assertEquals("0", r[0], r[1]);
            for (Map.Entry<String, FloatTensor> e : f.expected().entrySet()) {
                FloatTensor got = Npy.read(out.resolve(PredictCommand.fileName(e.getKey()) + ".npy")).toFloatTensor();
                assertClose(e.getValue(), got, f.tolerance(), f.id() + " output '" + e.getKey() + "' (" + f.source() + "), backend "
                        + (backend.isEmpty() ? "chosen automatically" : backend));
            }
        }
    }
}
