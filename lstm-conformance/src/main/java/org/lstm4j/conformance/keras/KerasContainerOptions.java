package org.lstm4j.conformance.keras;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * How {@link KerasContainerExporter} builds and runs its image. The defaults are the public route: the
 * Dockerfile's own base image ({@code python:3.11-slim} from Docker Hub), the pinned packages from PyPI, and the
 * export run without a network (it needs none).
 *
 * <p>Without Docker Hub or PyPI (an air-gapped or proxied build machine, our CI), give a local base image with
 * Python 3.11 and pip, and a wheelhouse: a folder of the wheels {@code tools/keras/requirements.txt} needs
 * ({@code pip download}); the image is then built with {@code pip install --no-index} and no network at all.
 * {@code tools/docker/local-engine.sh start} makes both and prints the environment variables
 * {@link #fromEnvironment()} reads.
 *
 * @param baseImage  the image the export image starts {@code FROM} (must have {@code python} 3.11 and pip); empty for
 *                   the Dockerfile's default
 * @param wheelhouse a folder of {@code .whl} files to install from, offline; empty to install from PyPI
 * @param network    the network mode of the export run ({@code none} by default)
 * @param runTimeout how long one export run may take once the image is built
 */
public record KerasContainerOptions(Optional<String> baseImage, Optional<Path> wheelhouse, String network, Duration runTimeout) {

    /** Names a base image: {@code LSTM4J_KERAS_BASE_IMAGE=lstm4j/debian-python:3.11-bookworm}. */
    public static final String BASE_IMAGE_VARIABLE = "LSTM4J_KERAS_BASE_IMAGE";
    /** Names a wheelhouse folder. */
    public static final String WHEELHOUSE_VARIABLE = "LSTM4J_KERAS_WHEELHOUSE";
    /** Names the export run's network mode. */
    public static final String NETWORK_VARIABLE = "LSTM4J_KERAS_NETWORK";

    public KerasContainerOptions {
        Objects.requireNonNull(baseImage, "baseImage");
        Objects.requireNonNull(wheelhouse, "wheelhouse");
        Objects.requireNonNull(runTimeout, "runTimeout");
        if (network == null || network.isBlank()) {
            throw new IllegalArgumentException("network must name a Docker network mode (none, bridge, host, ...), was '" + network + "'");
        }
        if (runTimeout.isNegative() || runTimeout.isZero()) {
            throw new IllegalArgumentException("runTimeout must be positive, was " + runTimeout);
        }
        if (baseImage.isPresent() && baseImage.get().isBlank()) {
            throw new IllegalArgumentException("baseImage must not be blank; leave it empty for the Dockerfile's default");
        }
    }

    /** The public route: Docker Hub's Python image, PyPI, no network for the run, 15 minutes per run. */
    public static KerasContainerOptions defaults() {
        return new KerasContainerOptions(Optional.empty(), Optional.empty(), "none", Duration.ofMinutes(15));
    }

    /**
     * {@link #defaults()} with what {@value #BASE_IMAGE_VARIABLE}, {@value #WHEELHOUSE_VARIABLE} and
     * {@value #NETWORK_VARIABLE} set (unset or empty variables leave the default).
     */
    public static KerasContainerOptions fromEnvironment() {
        return fromEnvironment(System::getenv);
    }

    /** As {@link #fromEnvironment()}, reading variables from {@code env}. */
    public static KerasContainerOptions fromEnvironment(Map<String, String> env) {
        return fromEnvironment(env::get);
    }

    private static KerasContainerOptions fromEnvironment(Function<String, String> env) {
        KerasContainerOptions o = defaults();
        String base = env.apply(BASE_IMAGE_VARIABLE);
        String wheels = env.apply(WHEELHOUSE_VARIABLE);
        String network = env.apply(NETWORK_VARIABLE);
        if (base != null && !base.isBlank()) {
            o = o.withBaseImage(base.strip());
        }
        if (wheels != null && !wheels.isBlank()) {
            o = o.withWheelhouse(Path.of(wheels.strip()));
        }
        if (network != null && !network.isBlank()) {
            o = o.withNetwork(network.strip());
        }
        return o;
    }

    public KerasContainerOptions withBaseImage(String image) {
        return new KerasContainerOptions(Optional.of(image), wheelhouse, network, runTimeout);
    }

    public KerasContainerOptions withWheelhouse(Path folder) {
        return new KerasContainerOptions(baseImage, Optional.of(folder), network, runTimeout);
    }

    public KerasContainerOptions withNetwork(String mode) {
        return new KerasContainerOptions(baseImage, wheelhouse, mode, runTimeout);
    }

    public KerasContainerOptions withRunTimeout(Duration timeout) {
        return new KerasContainerOptions(baseImage, wheelhouse, network, timeout);
    }
}
