package org.lstm4j.cli.keras;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lstm4j.backend.java.ReferenceBackendProvider;
import org.lstm4j.cli.LstmCli;
import org.lstm4j.testing.Tolerance;
import org.lstm4j.model.SequenceModel;
import org.lstm4j.onnx.OnnxImporter;
import org.lstm4j.predict.Prediction;
import org.lstm4j.predict.Predictor;
import org.lstm4j.predict.PredictorOptions;
import org.lstm4j.predict.SequenceBatch;
import org.lstm4j.tensor.FloatTensor;
import org.lstm4j.tensor.Npy;

/**
 * The container route of the Keras export (tools/keras/Dockerfile, run by KerasContainerExporter):
 * the committed seed model (LSTM(50) on [100, 10], then Dense(10)) exported in the container, imported
 * by lstm4j and run on the reference engine, gives Keras's own prediction (keras_output.npy, written
 * by Keras 3.15.1 inside the container) within |got - exp| <= 1e-5 + 1e-5 * |exp|.
 *
 * <p>Needs a Docker engine; where none runs (our build machines have the docker client but no engine)
 * the test is skipped, and the container route is then untested on that machine.
 */
class KerasContainerExporterTest {

    private static final String SEED_MODEL =
            "/org/lstm4j/conformance/fixtures/keras/seed_lstm50_dense10/model.keras";

    @Test
    void theSeedModelExportedInTheContainerPredictsWhatKerasPredicts(@TempDir Path dir) throws Exception {
        long t0 = System.nanoTime();
        boolean docker = KerasContainerExporter.dockerAvailable();
        long probeMillis = (System.nanoTime() - t0) / 1_000_000;
        Assumptions.assumeTrue(docker, "no Docker engine runs here (Testcontainers' probe said so in " + probeMillis
                + " ms; DOCKER_HOST=" + System.getenv("DOCKER_HOST") + ", /var/run/docker.sock "
                + (Files.exists(Path.of("/var/run/docker.sock")) ? "exists" : "absent") + "): the container route of "
                + "tools/keras is not tested on this machine; the local Python route (tools/keras/README.md) made the "
                + "committed keras fixtures");

        Path keras = dir.resolve("seed.keras");
        try (InputStream in = KerasContainerExporterTest.class.getResourceAsStream(SEED_MODEL)) {
            assertTrue(in != null, "fixture " + SEED_MODEL + " is on the test class path (lstm-conformance)");
            Files.copy(in, keras);
        }
        Path out = dir.resolve("out");
        Path onnx = new KerasContainerExporter().export(keras, out, 0); // the model declares 100 time steps
        for (String name : KerasContainerExporter.OUTPUT_FILES) {
            assertTrue(Files.isRegularFile(out.resolve(name)), name + " copied back from the container");
        }

        FloatTensor x = Npy.read(out.resolve("input.npy")).toFloatTensor();
        FloatTensor expected = Npy.read(out.resolve("keras_output.npy")).toFloatTensor();
        assertArrayEquals(new int[] {2, 100, 10}, x.shape(), "the sample input: batch 2, the model's 100 steps, 10 features");
        SequenceModel model = OnnxImporter.importModel(onnx);
        try (Predictor predictor = new ReferenceBackendProvider().compile(model, PredictorOptions.defaults())) {
            Prediction p = predictor.predict(SequenceBatch.of(x));
            assertArrayEquals(expected.shape(), p.output().shape(), "output shape");
            Tolerance.Comparison c = Tolerance.DEFAULT.compare(expected, p.output());
            assertTrue(c.passed(), "reference engine vs Keras (in the container): " + c.detail());
        }
    }

    @Test
    void withoutADockerEngineTheExportFailsPointingToTheLocalPythonRoute(@TempDir Path dir) throws Exception {
        Assumptions.assumeFalse(KerasContainerExporter.dockerAvailable(), "a Docker engine runs here");
        Path keras = Files.write(dir.resolve("m.keras"), new byte[] {'P', 'K'}); // never read: Docker is checked first
        KerasContainerExporter.KerasExportException e = assertThrows(KerasContainerExporter.KerasExportException.class,
                () -> new KerasContainerExporter().export(keras, dir.resolve("out"), 7));
        assertTrue(e.getMessage().contains("no Docker engine"), e.getMessage());
        assertTrue(e.getMessage().contains("tools/keras/README.md")
                && e.getMessage().contains("export_keras.py " + keras + " " + dir.resolve("out") + " --time-steps 7"),
                e.getMessage());
    }

    @Test
    void theCliSubcommandExitsWithTheSameReasonWithoutDocker(@TempDir Path dir) throws Exception {
        Assumptions.assumeFalse(KerasContainerExporter.dockerAvailable(), "a Docker engine runs here");
        Path keras = Files.write(dir.resolve("m.keras"), new byte[] {'P', 'K'});
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = LstmCli.run(new String[] {"keras-export", "--model", keras.toString(), "--out", dir.resolve("o").toString()},
                new PrintWriter(out, true), new PrintWriter(err, true));
        assertEquals(1, code, out + "" + err);
        assertTrue(err.toString().startsWith("lstm: ") && err.toString().contains("no Docker engine")
                && err.toString().contains("tools/keras/README.md"), err.toString());
    }

    @Test
    void aMissingModelFileIsNamed(@TempDir Path dir) {
        Path missing = dir.resolve("nope.keras");
        KerasContainerExporter.KerasExportException e = assertThrows(KerasContainerExporter.KerasExportException.class,
                () -> new KerasContainerExporter().export(missing, dir.resolve("out"), 0));
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    }
}
