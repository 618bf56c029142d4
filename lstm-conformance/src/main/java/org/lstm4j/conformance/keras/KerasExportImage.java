package org.lstm4j.conformance.keras;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.BuildImageCmd;
import com.github.dockerjava.api.command.BuildImageResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.BuildResponseItem;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.lstm4j.conformance.keras.KerasExportException.Failure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.utility.DockerImageName;

/**
 * The export image: {@code tools/keras/Dockerfile} with its build context (packaged on the class path under
 * {@value #RESOURCES}), built for one set of {@link KerasContainerOptions}. Its tag is a digest of everything
 * the build reads (the context files, the base image and its local id, the wheel names and sizes), so an image
 * that exists is reused as it is (no 400 MB context sent again) and any change builds a new one.
 */
final class KerasExportImage {

    /** Where the build context (Dockerfile, requirements.txt, export_keras.py, wheels/README.md) lies on the class path. */
    static final String RESOURCES = "org/lstm4j/conformance/keras/image/";
    static final List<String> CONTEXT_FILES = List.of("Dockerfile", "requirements.txt", "export_keras.py", "wheels/README.md");
    /** The repository of every export image; the tag is the digest. */
    static final String REPOSITORY = "lstm4j-keras-export";
    private static final int LOG_TAIL_LINES = 40;
    private static final Logger LOG = LoggerFactory.getLogger(KerasExportImage.class);

    private KerasExportImage() {
    }

    /** The image's tag for {@code options}; builds it unless it exists. */
    static String resolve(DockerClient docker, KerasContainerOptions options) {
        List<Path> wheels = wheels(options);
        String tag = REPOSITORY + ":" + digest(docker, options, wheels);
        if (exists(docker, tag)) {
            return tag;
        }
        Path context = null;
        LogTail log = new LogTail(LOG_TAIL_LINES);
        long t0 = System.nanoTime();
        LOG.info("building the export image {} (once for this Dockerfile, base image and wheelhouse; minutes)", tag);
        try {
            context = context(wheels);
            BuildImageCmd build = docker.buildImageCmd()
                    .withBaseDirectory(context.toFile())
                    .withDockerfile(context.resolve("Dockerfile").toFile())
                    .withTags(Set.of(tag))
                    .withPull(false)
                    .withForcerm(true); // a failed step leaves no container behind
            options.baseImage().ifPresent(b -> build.withBuildArg("BASE_IMAGE", b));
            if (!wheels.isEmpty()) {
                build.withNetworkMode("none"); // offline: the wheelhouse is all pip may use
            }
            build.exec(new BuildImageResultCallback() {
                @Override
                public void onNext(BuildResponseItem item) {
                    log.accept(item.getStream());
                    if (item.getErrorDetail() != null) {
                        log.accept(item.getErrorDetail().getMessage());
                    }
                    super.onNext(item);
                }
            }).awaitImageId();
            LOG.info("built {} in {} s", tag, (System.nanoTime() - t0) / 1_000_000_000L);
            return tag;
        } catch (RuntimeException e) {
            throw new KerasExportException(Failure.IMAGE_BUILD, "building the export image " + tag + " from tools/keras/Dockerfile ("
                    + options.baseImage().map(b -> "BASE_IMAGE=" + b).orElse("its default base image") + ", "
                    + options.wheelhouse().map(w -> "offline from the wheelhouse " + w).orElse("packages from PyPI") + ") failed: "
                    + KerasContainerExporter.rootMessage(e), null, log.lines(), e);
        } finally {
            deleteTree(context);
        }
    }

    private static boolean exists(DockerClient docker, String image) {
        try {
            docker.inspectImageCmd(image).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    /** The wheelhouse's wheels, sorted by name; empty without a wheelhouse. */
    static List<Path> wheels(KerasContainerOptions options) {
        if (options.wheelhouse().isEmpty()) {
            return List.of();
        }
        Path dir = options.wheelhouse().get();
        if (!Files.isDirectory(dir)) {
            throw new KerasExportException(Failure.BAD_REQUEST, "the wheelhouse " + dir + " is not a folder (fill one with "
                    + "tools/docker/local-engine.sh start, or pip download -r tools/keras/requirements.txt -d " + dir + ")");
        }
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> wheels = files.filter(p -> p.getFileName().toString().endsWith(".whl") && Files.isRegularFile(p))
                    .sorted(Comparator.comparing(p -> p.getFileName().toString())).toList();
            if (wheels.isEmpty()) {
                throw new KerasExportException(Failure.BAD_REQUEST, "the wheelhouse " + dir + " holds no .whl files (fill it with "
                        + "tools/docker/local-engine.sh start, or pip download -r tools/keras/requirements.txt -d " + dir + ")");
            }
            return wheels;
        } catch (IOException e) {
            throw new KerasExportException(Failure.BAD_REQUEST, "cannot list the wheelhouse " + dir + ": " + e.getMessage(), e);
        }
    }

    private static String digest(DockerClient docker, KerasContainerOptions options, List<Path> wheels) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String name : CONTEXT_FILES) {
                sha.update(name.getBytes(StandardCharsets.UTF_8));
                sha.update(resource(name));
            }
            String base = options.baseImage().map(b -> b + " " + localImageId(docker, b)).orElse("(the Dockerfile's default)");
            sha.update(("base " + base + "\n").getBytes(StandardCharsets.UTF_8));
            for (Path w : wheels) {
                sha.update(("wheel " + w.getFileName() + " " + Files.size(w) + "\n").getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(sha.digest()).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The local image id of a base image, or "absent" (a public image not pulled yet). */
    private static String localImageId(DockerClient docker, String image) {
        try {
            DockerImageName.parse(image); // rejects a malformed name before the engine sees it
            return docker.inspectImageCmd(image).exec().getId();
        } catch (NotFoundException e) {
            return "absent";
        } catch (IllegalArgumentException e) {
            throw new KerasExportException(Failure.BAD_REQUEST, "base image '" + image + "' is not a valid image name: " + e.getMessage(), e);
        }
    }

    static byte[] resource(String name) {
        try (InputStream in = KerasExportImage.class.getClassLoader().getResourceAsStream(RESOURCES + name)) {
            if (in == null) {
                throw new IllegalStateException("the export image's " + name + " is missing from the class path at " + RESOURCES
                        + name + " (lstm-conformance packages tools/keras there)");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A temporary build context as tools/keras is one: the files, and the wheels (linked where possible) in wheels/. */
    private static Path context(List<Path> wheels) {
        try {
            Path dir = Files.createTempDirectory("lstm4j-keras-image");
            Path wheelDir = Files.createDirectory(dir.resolve("wheels"));
            for (String name : CONTEXT_FILES) {
                Files.write(dir.resolve(name), resource(name));
            }
            for (Path w : wheels) {
                Path target = wheelDir.resolve(w.getFileName().toString());
                try {
                    Files.createLink(target, w);
                } catch (IOException | UnsupportedOperationException e) {
                    Files.copy(w, target); // another file system
                }
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the export image's build context to a temporary folder", e);
        }
    }

    private static void deleteTree(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            List<Path> all = new ArrayList<>(walk.toList());
            all.sort(Comparator.reverseOrder());
            for (Path p : all) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // a temporary folder left behind is harmless; the build's own result matters
        }
    }
}
