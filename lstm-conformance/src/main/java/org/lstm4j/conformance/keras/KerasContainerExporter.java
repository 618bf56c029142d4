package org.lstm4j.conformance.keras;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.WaitContainerResultCallback;
import com.github.dockerjava.api.exception.DockerClientException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.lstm4j.conformance.keras.KerasExportException.Failure;
import org.lstm4j.tensor.FloatTensor;
import org.lstm4j.tensor.Npy;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.startupcheck.StartupCheckStrategy;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

/**
 * Converts a Keras 3 model ({@code .keras}) to ONNX with real Keras, without a local Python: builds the image of
 * {@code tools/keras/Dockerfile} and runs {@code export_keras.py} in it once, through Testcontainers. The result
 * holds the ONNX model and Keras's own outputs for the inputs it was fed (a seeded sample, or yours), and the run
 * has already checked that ONNX Runtime reproduces them.
 *
 * <p>Needs a Docker engine ({@link #dockerAvailable()}) and Testcontainers on the class path (an optional
 * dependency of lstm-conformance: add {@code org.testcontainers:testcontainers}). How the image is built (Docker
 * Hub and PyPI, or a local base image and a wheelhouse) is {@link KerasContainerOptions}'s; the container runs
 * with network mode {@code none} and is removed after the run, whatever happened. The image is kept: its tag
 * ({@value KerasExportImage#REPOSITORY}{@code :<digest>}) names what it was built from, so the next export reuses it.
 * Instances are immutable; concurrent exports each start their own container.
 */
public final class KerasContainerExporter {

    /** The files every export writes beside {@code inputs/} and {@code expected/}. */
    public static final List<String> OUTPUT_FILES = List.of("model.onnx", "input.npy", "keras_output.npy", "export.json");
    /** How long {@link #dockerAvailable()} waits for Testcontainers' probe before it answers false. */
    public static final Duration DOCKER_PROBE_LIMIT = Duration.ofSeconds(20);
    /** The label on every container this class starts ({@code docker ps -a --filter label=org.lstm4j.keras-export}). */
    public static final String CONTAINER_LABEL = "org.lstm4j.keras-export";

    static final String CONTAINER_MODEL = "/work/in/model.keras";
    static final String CONTAINER_INPUTS = "/work/in/inputs";
    static final String CONTAINER_OUT = "/work/out";
    private static final int LOG_TAIL_LINES = 40;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KerasContainerOptions options;

    /** An exporter with {@link KerasContainerOptions#fromEnvironment()}: the public route unless the variables say otherwise. */
    public KerasContainerExporter() {
        this(KerasContainerOptions.fromEnvironment());
    }

    public KerasContainerExporter(KerasContainerOptions options) {
        this.options = Objects.requireNonNull(options, "options");
    }

    public KerasContainerOptions options() {
        return options;
    }

    /**
     * Whether a Docker engine answers, by Testcontainers' own probe (environment, DOCKER_HOST,
     * ~/.testcontainers.properties, the usual sockets). Bounded by {@link #DOCKER_PROBE_LIMIT} so that a host that
     * never answers cannot hang a build: the probe runs on a daemon thread and counts as "no engine" when it has
     * not answered in time. A Docker client alone ({@code docker --version}) is not an engine.
     */
    public static boolean dockerAvailable() {
        FutureTask<Boolean> probe = new FutureTask<>(() -> DockerClientFactory.instance().isDockerAvailable());
        Thread thread = new Thread(probe, "lstm4j-docker-probe");
        thread.setDaemon(true);
        thread.start();
        try {
            return probe.get(DOCKER_PROBE_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Exports {@code kerasFile} with a seeded sample input (batch 2) and writes the export into {@code outDir}
     * (created if missing; files of an earlier export there are replaced).
     *
     * @param timeSteps time steps of the sample, needed when the model's time dimension is {@code None}; 0 for the
     *                  model's own
     * @throws KerasExportException naming the step that failed, with the container's last output lines
     */
    public KerasExport export(Path kerasFile, Path outDir, int timeSteps) {
        if (timeSteps < 0) {
            throw new KerasExportException(Failure.BAD_REQUEST, "timeSteps must be 0 (the model's own) or positive, was " + timeSteps);
        }
        return run(kerasFile, outDir, timeSteps > 0 ? List.of("--time-steps", Integer.toString(timeSteps)) : List.of(), Map.of());
    }

    /**
     * Exports {@code kerasFile} and has Keras predict {@code inputs} (one tensor per Keras input, by the input's
     * name: {@code [batch, time, features]} for sequences, {@code [batch, units]} for initial states).
     */
    public KerasExport export(Path kerasFile, Path outDir, Map<String, FloatTensor> inputs) {
        if (inputs.isEmpty()) {
            throw new KerasExportException(Failure.BAD_REQUEST, "no inputs given for " + kerasFile + "; pass one tensor per Keras input");
        }
        return run(kerasFile, outDir, List.of("--inputs", CONTAINER_INPUTS), inputs);
    }

    private KerasExport run(Path kerasFile, Path outDir, List<String> extraArgs, Map<String, FloatTensor> inputs) {
        Objects.requireNonNull(kerasFile, "kerasFile");
        Objects.requireNonNull(outDir, "outDir");
        if (!Files.isRegularFile(kerasFile) || !Files.isReadable(kerasFile)) {
            throw new KerasExportException(Failure.BAD_REQUEST, "Keras model " + kerasFile + " is not a readable file");
        }
        KerasExportImage.wheels(options); // a wheelhouse without wheels is refused before any engine is asked
        if (!dockerAvailable()) {
            throw new KerasExportException(Failure.NO_ENGINE, "cannot export " + kerasFile + " in a container: no Docker engine "
                    + "answered (Testcontainers' probe: no reachable Docker socket or DOCKER_HOST within " + DOCKER_PROBE_LIMIT.toSeconds()
                    + " s; a docker client alone is not enough). Start one (on Linux without Docker Hub: eval \"$(tools/docker/"
                    + "local-engine.sh start)\"), or use the local Python route in tools/keras/README.md: python -m pip install -r "
                    + "tools/keras/requirements.txt, then python tools/keras/export_keras.py " + kerasFile + " " + outDir
                    + (inputs.isEmpty() ? extraArgs.stream().map(a -> " " + a).collect(Collectors.joining()) : " --inputs DIR"));
        }
        DockerClient docker = DockerClientFactory.instance().client();
        String image = KerasExportImage.resolve(docker, options);

        List<String> command = new ArrayList<>(List.of(CONTAINER_MODEL, CONTAINER_OUT));
        command.addAll(extraArgs);
        Path inputDir = inputs.isEmpty() ? null : writeInputs(inputs);
        try (GenericContainer<?> container = new GenericContainer<>(DockerImageName.parse(image))) {
            container.withNetworkMode(options.network())
                    .withLabel(CONTAINER_LABEL, "export")
                    .withCopyFileToContainer(MountableFile.forHostPath(kerasFile), CONTAINER_MODEL)
                    .withCommand(command.toArray(String[]::new))
                    // "started" as soon as it runs: the exit status is awaited below, where a failure can be told
                    // apart (Testcontainers' one-shot check removes a failed container before it can be inspected)
                    .withStartupCheckStrategy(RUNNING);
            if (inputDir != null) {
                container.withCopyFileToContainer(MountableFile.forHostPath(inputDir), CONTAINER_INPUTS);
            }
            String what = "the export of " + kerasFile + " in " + image + " (export_keras.py " + String.join(" ", command) + ")";
            try {
                container.start();
            } catch (RuntimeException e) {
                throw new KerasExportException(Failure.CONTAINER_FAILED, what + " could not start a container: " + rootMessage(e),
                        null, List.of(), e);
            }
            Integer exit = awaitExit(docker, container.getContainerId());
            List<String> log = tail(container.getLogs());
            if (exit == null) { // closing the container below stops and removes it
                throw new KerasExportException(Failure.TIMEOUT, what + " did not finish within " + options.runTimeout()
                        + " and was stopped", null, log, null);
            }
            if (exit != 0) {
                throw failedRun(what, exit, docker.inspectContainerCmd(container.getContainerId()).exec().getState(), kerasFile, log);
            }
            return copyOut(container, kerasFile, outDir, log);
        } finally {
            deleteInputs(inputDir);
        }
    }

    /** The container's exit status, or null when it still runs after {@link KerasContainerOptions#runTimeout()}. */
    private Integer awaitExit(DockerClient docker, String containerId) {
        WaitContainerResultCallback wait = docker.waitContainerCmd(containerId).exec(new WaitContainerResultCallback());
        try {
            return wait.awaitStatusCode(options.runTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (DockerClientException e) { // docker-java's "Awaiting status code timeout."
            return null;
        } finally {
            try {
                wait.close();
            } catch (IOException e) {
                // the wait's connection; the container itself is removed by the caller
            }
        }
    }

    /** Treats a container as started once it runs (or ran): {@link #run} awaits and judges its exit status itself. */
    private static final StartupCheckStrategy RUNNING = new StartupCheckStrategy() {
        @Override
        public StartupStatus checkStartupState(DockerClient docker, String containerId) {
            return StartupStatus.SUCCESSFUL;
        }
    };

    /** The run exited non-zero: which failure, by export_keras.py's exit statuses. */
    private static KerasExportException failedRun(String what, int exit, InspectContainerResponse.ContainerState state, Path kerasFile,
                                                  List<String> log) {
        Failure failure = switch (exit) {
            case 1 -> Failure.ONNX_RUNTIME_DISAGREES;
            case 3 -> Failure.MODEL_UNREADABLE;
            case 4 -> Failure.EXPORT_FAILED;
            default -> Failure.CONTAINER_FAILED;
        };
        String why = switch (failure) {
            case ONNX_RUNTIME_DISAGREES -> "ONNX Runtime does not reproduce Keras's outputs for the exported model beyond "
                    + "1e-5 + 1e-5 * |keras| (tf2onnx converted it wrongly; nothing was copied out)";
            case MODEL_UNREADABLE -> "Keras cannot load " + kerasFile.getFileName() + " (a damaged file, or custom layers "
                    + "Keras cannot find in the container)";
            case EXPORT_FAILED -> "the conversion failed, or the inputs do not fit the model";
            default -> "the container exited with status " + exit + (Boolean.TRUE.equals(state.getOOMKilled()) ? " (killed: out of memory)"
                    : exit == 137 ? " (killed)" : "");
        };
        return new KerasExportException(failure, what + " failed (exit status " + exit + "): " + why, exit, log, null);
    }

    private KerasExport copyOut(GenericContainer<?> container, Path kerasFile, Path outDir, List<String> log) {
        String current = "";
        try {
            Files.createDirectories(outDir.resolve("inputs"));
            Files.createDirectories(outDir.resolve("expected"));
            for (String name : OUTPUT_FILES) {
                current = name;
                container.copyFileFromContainer(CONTAINER_OUT + "/" + name, outDir.resolve(name).toString());
            }
            JsonNode info = JSON.readTree(outDir.resolve("export.json").toFile());
            List<String> inputNames = texts(info.path("inputs"));
            List<String> outputNames = texts(info.path("outputs"));
            for (String n : inputNames) {
                current = "inputs/" + n + ".npy";
                container.copyFileFromContainer(CONTAINER_OUT + "/" + current, outDir.resolve(current).toString());
            }
            for (String n : outputNames) {
                current = "expected/" + n + ".npy";
                container.copyFileFromContainer(CONTAINER_OUT + "/" + current, outDir.resolve(current).toString());
            }
            return new KerasExport(outDir, inputNames, outputNames, log);
        } catch (IOException | RuntimeException e) {
            throw new KerasExportException(Failure.COPY_FAILED, "the export of " + kerasFile + " ran, but copying " + CONTAINER_OUT
                    + "/" + current + " into " + outDir + " failed: " + rootMessage(e), null, log, e);
        }
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static Path writeInputs(Map<String, FloatTensor> inputs) {
        try {
            Path dir = Files.createTempDirectory("lstm4j-keras-inputs");
            for (Map.Entry<String, FloatTensor> e : inputs.entrySet()) {
                if (!e.getKey().matches("[A-Za-z0-9_.-]+")) {
                    throw new KerasExportException(Failure.BAD_REQUEST, "input name '" + e.getKey() + "' is not a Keras input name");
                }
                Npy.write(dir.resolve(e.getKey() + ".npy"), e.getValue());
            }
            return dir;
        } catch (IOException e) {
            throw new KerasExportException(Failure.BAD_REQUEST, "cannot write the inputs to a temporary folder: " + e.getMessage(), e);
        }
    }

    private static void deleteInputs(Path dir) {
        if (dir == null) {
            return;
        }
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                Files.deleteIfExists(p);
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // a temporary folder left behind is harmless
        }
    }

    private static List<String> tail(String text) {
        LogTail t = new LogTail(LOG_TAIL_LINES);
        t.accept(text);
        return t.lines();
    }

    static String rootMessage(Throwable e) {
        StringBuilder sb = new StringBuilder(String.valueOf(e.getMessage()));
        for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            if (c.getMessage() != null && !sb.toString().contains(c.getMessage())) {
                sb.append(" <- ").append(c.getMessage());
            }
        }
        return sb.toString();
    }
}
