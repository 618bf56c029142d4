package org.lstm4j.conformance.keras;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Stream;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lstm4j.conformance.keras.KerasExportException.Failure;
import org.testcontainers.DockerClientFactory;

/**
 * The failures of the container route of the Keras export (tools/keras/Dockerfile run by KerasContainerExporter,
 * real Keras 3.15.1 in the container): each a {@link KerasExportException} naming the step, with the container's
 * last output lines, and no container left behind. (Successful exports: KerasParityCheckTest, and the command
 * line's KerasExportCommandTest in lstm-cli.) Needs a Docker engine: skipped without one, failed
 * without one when LSTM4J_REQUIRE_DOCKER=true (CI, after tools/docker/local-engine.sh start).
 */
@Tag("docker")
class KerasContainerExporterTest {

    static final String FIXTURES = "/org/lstm4j/conformance/fixtures/keras/";
    static final String CASES = "/org/lstm4j/conformance/keras/";

    @AfterEach
    void noExportContainerIsLeft() {
        if (KerasContainerExporter.dockerAvailable()) {
            assertEquals(List.of(), exportContainers(), "containers labelled " + KerasContainerExporter.CONTAINER_LABEL);
        }
    }

    @Test
    void aModelKerasCannotLoadIsNamedWithKerasOwnError(@TempDir Path dir) throws Exception {
        KerasParityCheck.assumeDocker();
        // custom_layer.keras holds a layer class registered only in tools/keras/make_container_cases.py
        Path model = copy(CASES + "custom_layer.keras", dir);
        KerasExportException e = assertThrows(KerasExportException.class,
                () -> new KerasContainerExporter().export(model, dir.resolve("out"), 0));
        assertEquals(Failure.MODEL_UNREADABLE, e.failure(), e.getMessage());
        assertEquals(OptionalInt.of(3), e.exitCode());
        assertTrue(e.getMessage().contains("Keras cannot load custom_layer.keras"), e.getMessage());
        assertTrue(e.getMessage().contains("Could not locate class 'Scale'"), "the container's last lines: " + e.getMessage());
        assertFalse(Files.exists(dir.resolve("out")), "nothing is written when the export fails");
    }

    @Test
    void anExportOnnxRuntimeDoesNotReproduceIsRefused(@TempDir Path dir) throws Exception {
        KerasParityCheck.assumeDocker();
        // TimeDistributed(Dense) on a dynamic time dimension: tf2onnx 1.17 converts it wrongly (cases.json)
        Path model = copy(CASES + "td_dynamic_time.keras", dir);
        KerasExportException e = assertThrows(KerasExportException.class,
                () -> new KerasContainerExporter().export(model, dir.resolve("out"), 5));
        assertEquals(Failure.ONNX_RUNTIME_DISAGREES, e.failure(), e.getMessage());
        assertEquals(OptionalInt.of(1), e.exitCode());
        assertTrue(e.getMessage().contains("ONNX Runtime does not reproduce Keras"), e.getMessage());
        assertTrue(e.logTail().contains("ONNX Runtime output 'td' has shape (2, 2, 2), Keras gave (2, 5, 2)"),
                String.join("\n", e.logTail()));
        assertFalse(Files.exists(dir.resolve("out")), "nothing is copied out of a failed export");
    }

    @Test
    void anExportThatFailsInTheContainerGivesTheScriptsReason(@TempDir Path dir) throws Exception {
        KerasParityCheck.assumeDocker();
        Path model = copy(FIXTURES + "seed_lstm50_dense10/model.keras", dir);
        KerasExportException e = assertThrows(KerasExportException.class,
                () -> new KerasContainerExporter().export(model, dir.resolve("out"), 7)); // the model says 100 steps
        assertEquals(Failure.EXPORT_FAILED, e.failure(), e.getMessage());
        assertEquals(OptionalInt.of(4), e.exitCode());
        assertTrue(e.getMessage().contains("input 'x' has a fixed time dimension 100, --time-steps 7 contradicts it"), e.getMessage());
    }

    @Test
    void aRunThatOutlivesItsTimeoutIsStoppedAndRemoved(@TempDir Path dir) throws Exception {
        KerasParityCheck.assumeDocker();
        Path model = copy(FIXTURES + "seed_lstm50_dense10/model.keras", dir);
        KerasContainerExporter exporter = new KerasContainerExporter(KerasContainerOptions.fromEnvironment().withRunTimeout(Duration.ofSeconds(1)));
        KerasExportException e = assertThrows(KerasExportException.class, () -> exporter.export(model, dir.resolve("out"), 0));
        assertEquals(Failure.TIMEOUT, e.failure(), e.getMessage());
        assertTrue(e.getMessage().contains("did not finish within PT1S"), e.getMessage());
        // @AfterEach: the container is gone
    }

    @Test
    void anImageThatCannotBeBuiltLeavesNoContainerAndNoImage(@TempDir Path dir) throws Exception {
        KerasParityCheck.assumeDocker();
        // A wheelhouse that lacks the pinned packages: pip --no-index must fail, offline, at the image build.
        Path wheels = Files.createDirectories(dir.resolve("wheels"));
        Files.write(wheels.resolve("lstm4j_placeholder-1.0-py3-none-any.whl"), new byte[0]);
        DockerClient docker = DockerClientFactory.instance().client();
        Set<String> imagesBefore = exportImages(docker);
        int containersBefore = docker.listContainersCmd().withShowAll(true).exec().size();
        KerasContainerExporter exporter = new KerasContainerExporter(KerasContainerOptions.fromEnvironment().withWheelhouse(wheels));
        KerasExportException e = assertThrows(KerasExportException.class,
                () -> exporter.export(copy(FIXTURES + "seed_lstm50_dense10/model.keras", dir), dir.resolve("out"), 0));
        assertEquals(Failure.IMAGE_BUILD, e.failure(), e.getMessage());
        assertTrue(e.getMessage().contains("offline from the wheelhouse " + wheels), e.getMessage());
        assertTrue(e.logTail().stream().anyMatch(l -> l.contains("No matching distribution found for")), String.join("\n", e.logTail()));
        assertEquals(imagesBefore, exportImages(docker), "no export image was tagged");
        assertEquals(containersBefore, docker.listContainersCmd().withShowAll(true).exec().size(), "no build container is left");
    }

    @Test
    void aWheelhouseWithoutWheelsIsRefusedBeforeDockerIsAsked(@TempDir Path dir) throws Exception {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        Path model = Files.write(dir.resolve("m.keras"), new byte[] {'P', 'K'});
        KerasExportException e = assertThrows(KerasExportException.class,
                () -> new KerasContainerExporter(KerasContainerOptions.defaults().withWheelhouse(empty)).export(model, dir.resolve("out"), 0));
        assertEquals(Failure.BAD_REQUEST, e.failure());
        assertTrue(e.getMessage().contains("the wheelhouse " + empty + " holds no .whl files"), e.getMessage());
    }

    @Test
    void withoutADockerEngineTheExportFailsPointingToTheScriptAndThePythonRoute(@TempDir Path dir) throws Exception {
        Assumptions.assumeFalse(KerasContainerExporter.dockerAvailable(), "a Docker engine runs here");
        Path keras = Files.write(dir.resolve("m.keras"), new byte[] {'P', 'K'}); // never read: Docker is checked first
        KerasExportException e = assertThrows(KerasExportException.class,
                () -> new KerasContainerExporter().export(keras, dir.resolve("out"), 7));
        assertEquals(Failure.NO_ENGINE, e.failure());
        assertTrue(e.getMessage().contains("tools/docker/local-engine.sh start") && e.getMessage().contains("tools/keras/README.md")
                && e.getMessage().contains("export_keras.py " + keras + " " + dir.resolve("out") + " --time-steps 7"), e.getMessage());
    }

    @Test
    void aMissingModelFileIsNamed(@TempDir Path dir) {
        Path missing = dir.resolve("nope.keras");
        KerasExportException e = assertThrows(KerasExportException.class,
                () -> new KerasContainerExporter().export(missing, dir.resolve("out"), 0));
        assertEquals(Failure.BAD_REQUEST, e.failure());
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    }

    @Test
    void optionsComeFromTheEnvironmentOverThePublicDefaults() {
        KerasContainerOptions d = KerasContainerOptions.fromEnvironment(Map.of());
        assertEquals(KerasContainerOptions.defaults(), d);
        assertTrue(d.baseImage().isEmpty() && d.wheelhouse().isEmpty());
        assertEquals("none", d.network());
        KerasContainerOptions o = KerasContainerOptions.fromEnvironment(Map.of(KerasContainerOptions.BASE_IMAGE_VARIABLE, "local/py:3.11",
                KerasContainerOptions.WHEELHOUSE_VARIABLE, "/w", KerasContainerOptions.NETWORK_VARIABLE, " bridge "));
        assertEquals("local/py:3.11", o.baseImage().orElseThrow());
        assertEquals(Path.of("/w"), o.wheelhouse().orElseThrow());
        assertEquals("bridge", o.network());
        assertThrows(IllegalArgumentException.class, () -> KerasContainerOptions.defaults().withNetwork(" "));
        assertThrows(IllegalArgumentException.class, () -> KerasContainerOptions.defaults().withRunTimeout(Duration.ZERO));
    }

    static Path copy(String resource, Path dir) throws IOException {
        Path target = dir.resolve(Path.of(resource).getFileName().toString());
        try (InputStream in = KerasContainerExporterTest.class.getResourceAsStream(resource)) {
            assertTrue(in != null, "test resource " + resource);
            Files.copy(in, target);
        }
        return target;
    }

    private static List<Container> exportContainers() {
        return DockerClientFactory.instance().client().listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(KerasContainerExporter.CONTAINER_LABEL, "export")).exec();
    }

    private static Set<String> exportImages(DockerClient docker) {
        return docker.listImagesCmd().exec().stream()
                .flatMap(i -> i.getRepoTags() == null ? Stream.<String>empty() : Arrays.stream(i.getRepoTags()))
                .filter(t -> t.startsWith(KerasExportImage.REPOSITORY + ":"))
                .collect(Collectors.toSet());
    }
}
