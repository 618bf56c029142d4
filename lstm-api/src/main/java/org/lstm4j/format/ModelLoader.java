package org.lstm4j.format;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import org.lstm4j.model.SequenceModel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads a model file with whichever {@link ModelFormat} on the class path reads it:
 * {@code ModelLoader.load(Path.of("model.keras"))}, {@code .h5} or {@code .onnx} alike. A format
 * whose signature matches the file's first bytes wins; else one whose extension matches the name.
 * Formats are found with {@link ServiceLoader} (this class's loader), each guarded on its own so
 * that one broken jar does not hide the others. Thread-safe.
 */
public final class ModelLoader {

    private static final Logger LOG = LoggerFactory.getLogger(ModelLoader.class);
    private static final int HEAD = 16;
    private static volatile List<ModelFormat> discovered;

    private ModelLoader() {
    }

    /** Imports {@code file} with the format that claims it. */
    public static SequenceModel load(Path file) {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(HEAD);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read model file " + file + ": " + e.getMessage(), e);
        }
        return formatFor(head, file.getFileName() == null ? file.toString() : file.getFileName().toString()).read(file);
    }

    /** Imports a file's bytes; {@code sourceName} (a file name, so its extension counts) names it in messages. */
    public static SequenceModel load(byte[] bytes, String sourceName) {
        return formatFor(Arrays.copyOf(bytes, Math.min(bytes.length, HEAD)), sourceName).read(bytes, sourceName);
    }

    /** The format that reads a file starting with {@code head} and called {@code fileName}. */
    public static ModelFormat formatFor(byte[] head, String fileName) {
        return formatFor(formats(), head, fileName);
    }

    static ModelFormat formatFor(List<ModelFormat> formats, byte[] head, String fileName) {
        for (ModelFormat.Claim wanted : List.of(ModelFormat.Claim.CONTENT, ModelFormat.Claim.NAME)) {
            for (ModelFormat f : formats) {
                if (f.claim(head, fileName) == wanted) {
                    return f;
                }
            }
        }
        if (formats.isEmpty()) {
            throw new UnknownModelFormatException("no model format on the class path to read '" + fileName + "': add lstm-onnx "
                    + "(.onnx) or lstm-keras (.keras, .h5) as a dependency");
        }
        throw new UnknownModelFormatException("'" + fileName + "' is not a model file any format on the class path reads ("
                + describe(formats) + ")" + (hasName(formats, "keras") ? "" : "; Keras files need lstm-keras")
                + (hasName(formats, "onnx") ? "" : "; ONNX files need lstm-onnx"));
    }

    /** The formats on the class path, discovered once. */
    public static List<ModelFormat> formats() {
        List<ModelFormat> f = discovered;
        if (f == null) {
            synchronized (ModelLoader.class) {
                f = discovered;
                if (f == null) {
                    f = List.copyOf(discover(ModelLoader.class.getClassLoader()));
                    discovered = f;
                }
            }
        }
        return f;
    }

    private static List<ModelFormat> discover(ClassLoader loader) {
        List<ModelFormat> out = new ArrayList<>();
        Iterator<ModelFormat> it = ServiceLoader.load(ModelFormat.class, loader).iterator();
        while (true) {
            try {
                if (!it.hasNext()) {
                    break;
                }
                out.add(it.next());
            } catch (ServiceConfigurationError | LinkageError e) {
                LOG.warn("a model format on the class path failed to load and is skipped: {}", e.toString());
            }
        }
        return out;
    }

    private static boolean hasName(List<ModelFormat> formats, String name) {
        return formats.stream().anyMatch(f -> f.name().equals(name));
    }

    private static String describe(List<ModelFormat> formats) {
        return formats.stream().map(f -> f.name() + " " + String.join(", ", f.extensions())).collect(Collectors.joining("; "));
    }
}
