package org.lstm4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lstm4j.conformance.keras.KerasContainerExporter;
import org.lstm4j.conformance.keras.KerasExport;
import org.lstm4j.conformance.keras.KerasParityCheck;

/**
 * {@code lstm keras-export} with real Keras in a container (tools/keras/Dockerfile), end to end: the committed
 * seed model (LSTM(50) on [100, 10], then Dense(10)) exported by the command, then every backend of this module's
 * class path (java, java-fast, onnx, tf, nd4j) run on the exported ONNX against Keras's own prediction, made in the
 * container, within 1e-5 + 1e-5 * |keras|. Needs a Docker engine (skipped without one; failed without one when
 * LSTM4J_REQUIRE_DOCKER=true, as in CI).
 */
class KerasExportCommandTest {

    @Test
    void theSeedModelExportedByTheCommandIsReproducedByEveryBackend(@TempDir Path dir) throws Exception {
        KerasParityCheck.assumeDocker();
        Path keras = dir.resolve("seed.keras");
        try (InputStream in = getClass().getResourceAsStream("/org/lstm4j/conformance/fixtures/keras/seed_lstm50_dense10/model.keras")) {
            Files.copy(in, keras);
        }
        Path out = dir.resolve("out");
        String[] r = BackendsCommandTest.run("keras-export", "--model", keras.toString(), "--out", out.toString());
        assertEquals("0", r[0], r[1] + r[2]);
        assertTrue(r[1].contains("ONNX Runtime vs Keras max |diff|") && r[1].contains("wrote " + out.resolve("model.onnx")), r[1]);

        KerasExport export = new KerasExport(out, List.of("x"), List.of("dense"), List.of());
        KerasParityCheck.Report report = KerasParityCheck.of(keras).compare(export);
        System.out.println(report.table());
        report.assertParity();
        for (String backend : List.of("java", "java-fast", "onnx", "tf", "nd4j")) {
            assertTrue(report.results().stream().anyMatch(x -> x.backend().equals(backend) && x.passed()), backend + "\n" + report.table());
        }
    }

    @Test
    void withoutADockerEngineTheCommandExitsPointingToTheScriptAndThePythonRoute(@TempDir Path dir) throws Exception {
        Assumptions.assumeFalse(KerasContainerExporter.dockerAvailable(), "a Docker engine runs here");
        Path keras = Files.write(dir.resolve("m.keras"), new byte[] {'P', 'K'});
        String[] r = BackendsCommandTest.run("keras-export", "--model", keras.toString(), "--out", dir.resolve("o").toString());
        assertEquals("1", r[0], r[1] + r[2]);
        assertTrue(r[2].startsWith("lstm: ") && r[2].contains("no Docker engine") && r[2].contains("local-engine.sh start")
                && r[2].contains("tools/keras/README.md"), r[2]);
    }

    @Test
    void theWheelhouseOptionReachesTheExporter(@TempDir Path dir) throws Exception {
        Path keras = Files.write(dir.resolve("m.keras"), new byte[] {'P', 'K'});
        Path empty = Files.createDirectories(dir.resolve("wheels"));
        String[] r = BackendsCommandTest.run("keras-export", "--model", keras.toString(), "--out", dir.resolve("o").toString(),
                "--wheelhouse", empty.toString(), "--base-image", "local/python:3.11", "--network", "none");
        assertEquals("1", r[0], r[1] + r[2]);
        assertTrue(r[2].contains("the wheelhouse " + empty + " holds no .whl files"), r[2]);
    }
}
