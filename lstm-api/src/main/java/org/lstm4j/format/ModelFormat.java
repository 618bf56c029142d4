package org.lstm4j.format;

import java.nio.file.Path;
import java.util.List;
import org.lstm4j.model.SequenceModel;

/**
 * A model file format an importer reads, registered in
 * {@code META-INF/services/org.lstm4j.format.ModelFormat} as backends register theirs, so that
 * {@link ModelLoader} loads any supported file with one call: {@code lstm-onnx} registers ONNX,
 * {@code lstm-keras} Keras's {@code .keras} and {@code .h5}. {@code lstm-api} itself knows no format.
 */
public interface ModelFormat {

    /** How strongly a format claims a file. */
    enum Claim {
        /** The file's first bytes are this format's signature (a zip, an HDF5 superblock). */
        CONTENT,
        /** Only the file name's extension says so (a format without a signature, such as ONNX's protobuf). */
        NAME,
        NONE
    }

    /** A short name for messages: {@code onnx}, {@code keras}. */
    String name();

    /** The file name extensions it reads, with the dot: {@code .onnx}; {@code .keras}, {@code .h5}. */
    List<String> extensions();

    /** Whether this format reads a file that starts with {@code head} (up to 16 bytes) and is called {@code fileName}. */
    Claim claim(byte[] head, String fileName);

    /** Imports a file; the format's own exception, naming the file and what is wrong, when it cannot. */
    SequenceModel read(Path file);

    /** Imports a file's bytes; {@code sourceName} names it in messages. */
    SequenceModel read(byte[] bytes, String sourceName);
}
