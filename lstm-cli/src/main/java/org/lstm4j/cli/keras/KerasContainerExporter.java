package org.lstm4j.cli.keras;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.output.OutputFrame;
import org.testcontainers.containers.startupcheck.OneShotStartupCheckStrategy;
import org.testcontainers.images.builder.ImageFromDockerfile;
import org.testcontainers.utility.MountableFile;

/**
 * Converts a Keras 3 model ({@code .keras}) to ONNX without a local Python: builds the image of
 * {@code tools/keras/Dockerfile} (its build context is packaged in this jar under
 * {@value #IMAGE_RESOURCES}) and runs {@code export_keras.py} in it once, through Testcontainers.
 *
 * <p>Needs a running Docker engine. Without one, the local Python route of {@code tools/keras/README.md}
 * ({@code python tools/keras/export_keras.py model.keras out/}) does the same thing.
 *
 * <p>The first build installs TensorFlow and friends (several minutes, about 2 GB); the image keeps the tag
 * {@value #IMAGE_TAG} so that later runs reuse Docker's layer cache, and the same tag is what
 * {@code docker build -t lstm4j-keras-export tools/keras} makes by hand.
 */
public final class KerasContainerExporter {

    /** Where the image's build context (Dockerfile, requirements.txt, export_keras.py) lies on the class path. */
    public static final String IMAGE_RESOURCES = "org/lstm4j/cli/keras/image/";
    /** The tag of the built image; kept after the JVM exits so that the next build is a cache hit. */
    public static final String IMAGE_TAG = "lstm4j-keras-export:latest";
    /** What {@link #export} copies back from the container's {@code /work/out}. */
    public static final List<String> OUTPUT_FILES = List.of("model.onnx", "input.npy", "keras_output.npy", "export.json");

    static final String CONTAINER_MODEL = "/work/in/model.keras";
    static final String CONTAINER_OUT = "/work/out";
    private static final int LOG_TAIL_LINES = 40;

    private final Duration runTimeout;

    /** An exporter that gives one export run (after the image is built) up to 15 minutes. */
    public KerasContainerExporter() {
        this(Duration.ofMinutes(15));
    }

    /** An exporter that gives one export run (after the image is built) up to {@code runTimeout}. */
    public KerasContainerExporter(Duration runTimeout) {
        this.runTimeout = Objects.requireNonNull(runTimeout, "runTimeout");
        if (runTimeout.isNegative() || runTimeout.isZero()) {
            throw new IllegalArgumentException("runTimeout must be positive, was " + runTimeout);
        }
    }

    /** How long {@link #dockerAvailable()} waits for Testcontainers' probe before it answers false. */
    public static final Duration DOCKER_PROBE_LIMIT = Duration.ofSeconds(20);

    /**
     * Whether a Docker engine answers, by Testcontainers' own probe (environment, DOCKER_HOST,
     * ~/.testcontainers.properties, the usual sockets). Bounded by {@link #DOCKER_PROBE_LIMIT} so that a
     * host that never answers (say a DOCKER_HOST pointing nowhere) cannot hang a build: the probe runs on a
     * daemon thread and counts as "no engine" when it has not answered in time. Where no engine runs and
     * no socket exists it answers false in about 2 s (mostly class loading). A Docker client alone
     * ({@code docker --version}) is not an engine.
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
     * Exports {@code kerasFile} in the container and copies {@link #OUTPUT_FILES} into {@code outDir}
     * (created if missing).
     *
     * @param timeSteps time steps of the sample input, needed when the model's time dimension is
     *                  {@code None}; 0 to use the time dimension the model declares
     * @return {@code outDir/model.onnx}
     * @throws KerasExportException naming what failed: no Docker engine, the image build, or the export
     *                              run (with the end of its output; the run exits 1 when ONNX Runtime and
     *                              Keras disagree beyond 1e-5 + 1e-5*|keras|)
     */
    public Path export(Path kerasFile, Path outDir, int timeSteps) {
        Objects.requireNonNull(kerasFile, "kerasFile");
        Objects.requireNonNull(outDir, "outDir");
        if (!Files.isRegularFile(kerasFile)) {
            throw new KerasExportException("Keras model " + kerasFile + " is not a readable file");
        }
        if (timeSteps < 0) {
            throw new KerasExportException("timeSteps must be 0 (the model's own) or positive, was " + timeSteps);
        }
        if (!dockerAvailable()) {
            throw new KerasExportException("cannot export " + kerasFile + " in a container: no Docker engine answered "
                    + "(Testcontainers' probe: no reachable Docker socket or DOCKER_HOST within " + DOCKER_PROBE_LIMIT.toSeconds()
                    + " s; a docker client alone is not enough). Without Docker, use the local "
                    + "Python route in tools/keras/README.md: python -m pip install -r tools/keras/requirements.txt, then "
                    + "python tools/keras/export_keras.py " + kerasFile + " " + outDir
                    + (timeSteps > 0 ? " --time-steps " + timeSteps : ""));
        }

        ImageFromDockerfile image = new ImageFromDockerfile(IMAGE_TAG, false)
                .withFileFromClasspath("Dockerfile", IMAGE_RESOURCES + "Dockerfile")
                .withFileFromClasspath("requirements.txt", IMAGE_RESOURCES + "requirements.txt")
                .withFileFromClasspath("export_keras.py", IMAGE_RESOURCES + "export_keras.py");
        try {
            image.get(); // builds now, so that a build failure is told apart from a failed export run
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new KerasExportException("building the export image " + IMAGE_TAG + " from tools/keras/Dockerfile failed: "
                    + rootMessage(e), e);
        }

        List<String> command = new ArrayList<>(List.of(CONTAINER_MODEL, CONTAINER_OUT));
        if (timeSteps > 0) {
            command.add("--time-steps");
            command.add(Integer.toString(timeSteps));
        }
        LogTail log = new LogTail(LOG_TAIL_LINES);
        try (GenericContainer<?> container = new GenericContainer<>(image)) {
            container.withCopyFileToContainer(MountableFile.forHostPath(kerasFile), CONTAINER_MODEL)
                    .withCommand(command.toArray(String[]::new))
                    // one-shot: "started" means exited with status 0; any other status fails start()
                    .withStartupCheckStrategy(new OneShotStartupCheckStrategy().withTimeout(runTimeout))
                    .withLogConsumer(log);
            try {
                container.start();
            } catch (RuntimeException e) {
                throw new KerasExportException("the export run of " + kerasFile + " in " + IMAGE_TAG + " (export_keras.py "
                        + String.join(" ", command) + ") failed or did not finish within " + runTimeout + ": "
                        + rootMessage(e) + "\ncontainer output (last lines):\n" + log.text(), e);
            }
            Files.createDirectories(outDir);
            for (String name : OUTPUT_FILES) {
                try {
                    container.copyFileFromContainer(CONTAINER_OUT + "/" + name, outDir.resolve(name).toString());
                } catch (Exception e) {
                    throw new KerasExportException("copying " + CONTAINER_OUT + "/" + name + " out of the export container "
                            + "into " + outDir + " failed: " + rootMessage(e) + "\ncontainer output (last lines):\n"
                            + log.text(), e);
                }
            }
        } catch (IOException e) {
            throw new KerasExportException("cannot create output folder " + outDir + ": " + e.getMessage(), e);
        }
        return outDir.resolve("model.onnx");
    }

    private static String rootMessage(Throwable e) {
        StringBuilder sb = new StringBuilder(String.valueOf(e.getMessage()));
        for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            if (c.getMessage() != null && !sb.toString().contains(c.getMessage())) {
                sb.append(" <- ").append(c.getMessage());
            }
        }
        return sb.toString();
    }

    /** Keeps the last lines the container printed, for the failure message. */
    private static final class LogTail implements java.util.function.Consumer<OutputFrame> {
        private final int max;
        private final java.util.ArrayDeque<String> lines = new java.util.ArrayDeque<>();

        LogTail(int max) {
            this.max = max;
        }

        @Override
        public synchronized void accept(OutputFrame frame) {
            String s = frame.getUtf8StringWithoutLineEnding();
            if (s == null || s.isEmpty()) {
                return;
            }
            lines.addLast(s);
            while (lines.size() > max) {
                lines.removeFirst();
            }
        }

        synchronized String text() {
            return lines.isEmpty() ? "  (none captured)" : "  " + String.join("\n  ", lines);
        }
    }

    /** The container export failed; the message names the step (Docker, image build, run, copy) and why. */
    public static final class KerasExportException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public KerasExportException(String message) {
            super(message);
        }

        public KerasExportException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
