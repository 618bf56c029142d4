package org.lstm4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lstm4j.backend.BackendProvider;
import org.lstm4j.tensor.FloatTensor;
import org.lstm4j.tensor.Npy;

/**
 * Every backend on one class path (this module's) agrees with every other over the whole golden
 * corpus and with each fixture's independent source, through {@code lstm conformance --fixtures}; the
 * same command fails when a broken backend is put on the class path, alone or beside another; and
 * {@code --expected} compares every backend with a framework's output.
 */
class CorpusAgreementTest {

    @Test
    void allBackendsAgreeOverTheWholeCorpus() {
        String[] r = BackendsCommandTest.run("conformance", "--fixtures");
        assertEquals("0", r[0], r[1] + r[2]);
        for (String backend : List.of("java", "onnx", "tf", "nd4j")) {
            assertTrue(r[1].contains(backend), "backend " + backend + " took part: " + r[1]);
        }
        assertTrue(r[1].contains(" 0 with disagreeing backends, 0 outputs differing from their fixture's independent source"), r[1]);
    }

    @Test
    void aBrokenBackendOnTheClassPathMakesItFail(@TempDir Path extra) throws IOException, InterruptedException {
        String[] r = runWithBrokenBackend(extra, "--backends", "java,broken");
        assertEquals("1", r[0], r[1]);
        assertTrue(r[1].contains("DISAGREE java vs broken"), r[1]);
    }

    @Test
    void aBackendAloneThatDiffersFromTheFixturesSourcesFails(@TempDir Path extra) throws IOException, InterruptedException {
        // One backend: no pair can disagree, so only the comparison with each fixture's own source can catch it.
        String[] r = runWithBrokenBackend(extra, "--backends", "broken");
        assertEquals("1", r[0], r[1]);
        assertTrue(r[1].contains("backend 'broken' output") && r[1].contains("differs from"), r[1]);
        assertTrue(r[1].contains(" 0 with disagreeing backends") && !r[1].contains(" 0 outputs differing"), r[1]);
    }

    @Test
    void expectedComparesEveryBackendWithTheFrameworksOutput(@TempDir Path dir) throws IOException {
        // The seed model and Keras's own output for its input (the golden fixture, written by tools/keras).
        Path seed = Path.of("../lstm-conformance/src/main/resources/org/lstm4j/conformance/fixtures/keras/seed_lstm50_dense10");
        String model = seed.resolve("model.onnx").toString();
        String x = seed.resolve("inputs/x.npy").toString();
        String[] r = BackendsCommandTest.run("conformance", "--model", model, "--input", x, "--expected", seed.resolve("expected/dense.npy").toString());
        assertEquals("0", r[0], r[1] + r[2]);
        for (String backend : List.of("java", "java-fast", "onnx", "tf", "nd4j")) {
            assertTrue(r[1].lines().anyMatch(l -> l.startsWith(backend + " ") && l.contains("within")), backend + " vs Keras: " + r[1]);
        }
        assertTrue(r[1].contains("every backend matches --expected"), r[1]);

        // The same output with one value moved by 1e-3: every backend now differs from it.
        FloatTensor keras = Npy.read(seed.resolve("expected/dense.npy")).toFloatTensor();
        float[] v = keras.toArray();
        v[3] += 1e-3f;
        Path moved = dir.resolve("moved.npy");
        Npy.write(moved, FloatTensor.of(keras.shape(), v));
        r = BackendsCommandTest.run("conformance", "--model", model, "--input", x, "--expected", moved.toString());
        assertEquals("1", r[0], r[1] + r[2]);
        assertTrue(r[1].contains("DIFFERS: element 3") && r[1].contains("a backend DIFFERS from --expected"), r[1]);
    }

    /** {@code lstm conformance --fixtures ARGS} in a child JVM whose class path also registers {@link BrokenBackend}. */
    private static String[] runWithBrokenBackend(Path extra, String... args) throws IOException, InterruptedException {
        Path services = extra.resolve("META-INF/services");
        Files.createDirectories(services);
        Files.writeString(services.resolve(BackendProvider.class.getName()), BrokenBackend.class.getName() + "\n");
        String cp = System.getProperty("java.class.path") + java.io.File.pathSeparator + extra;
        // In an argument file: ONNX Runtime 1.29.0 will not start under a java command line this long.
        Path argFile = extra.resolve("java-args.txt");
        Files.writeString(argFile, "-cp \"" + cp + "\"\n");
        List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "@" + argFile, LstmCli.class.getName(), "conformance", "--fixtures"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "conformance run timed out");
        return new String[] {Integer.toString(p.exitValue()), out};
    }
}
