package org.lstm4j.spark;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.lstm4j.model.SequenceModel;
import org.lstm4j.onnx.OnnxImporter;

/**
 * A model file's bytes as the driver read them (from {@code modelPath}, or given), the file name that tells its
 * format, and the SHA-256 that names it on the executors. The bytes are what is broadcast and what a saved
 * {@link LstmTransformer} keeps, so a saved pipeline never reads the original path again. Immutable.
 */
final class ModelFile {
    /** A byte array's limit, less the JVM's header margin. */
    private static final long MAX_BYTES = Integer.MAX_VALUE - 8;

    private final String fileName;
    private final byte[] bytes;
    private final String sha256;
    /** The modelPath these bytes were read from, or null when they were given. */
    private final String source;

    private ModelFile(String fileName, byte[] bytes, String source) {
        this.fileName = fileName;
        this.bytes = bytes;
        this.sha256 = sha256(bytes);
        this.source = source;
    }

    /** Bytes given by the user; {@code fileName}'s extension tells the format ({@code .onnx}). */
    static ModelFile of(byte[] bytes, String fileName) {
        Objects.requireNonNull(bytes, "model bytes");
        String name = Objects.requireNonNull(fileName, "model file name");
        if (name.isBlank() || name.contains("/") || name.contains("\\")) {
            throw new IllegalArgumentException("the model's file name must be a plain file name such as 'model.onnx', got '"
                    + fileName + "'");
        }
        return new ModelFile(name, bytes.clone(), null);
    }

    /**
     * Reads {@code path} (any Hadoop file system URI: {@code hdfs://}, {@code s3a://}, {@code file:}, or a path on the
     * default file system) on the driver.
     *
     * @throws IllegalArgumentException naming the path and what went wrong
     */
    static ModelFile read(String path, Configuration hadoop) {
        return read(path, path, hadoop);
    }

    /** Reads the file at {@code path}, recording {@code source} as where it came from. */
    static ModelFile read(String path, String source, Configuration hadoop) {
        Path p = new Path(path);
        try {
            FileSystem fs = p.getFileSystem(hadoop);
            FileStatus status = fs.getFileStatus(p);
            if (status.isDirectory()) {
                throw new IllegalArgumentException("modelPath '" + path + "' is a directory; give the model file (.onnx)");
            }
            if (status.getLen() > MAX_BYTES) {
                throw new IllegalArgumentException("modelPath '" + path + "' holds " + status.getLen() + " bytes, more than a Java array ("
                        + MAX_BYTES + ")");
            }
            byte[] bytes;
            try (InputStream in = fs.open(p)) {
                bytes = in.readAllBytes();
            }
            return new ModelFile(p.getName(), bytes, source);
        } catch (FileNotFoundException e) {
            throw new IllegalArgumentException(cannotRead(path, "no such file"), e);
        } catch (IOException | UncheckedIOException | SecurityException e) {
            throw new IllegalArgumentException(cannotRead(path, e.toString()), e);
        }
    }

    private static String cannotRead(String path, String reason) {
        return "lstm4j cannot read the model at modelPath '" + path + "' (" + reason + "). The driver reads it once through "
                + "Hadoop's FileSystem and broadcasts its bytes to the executors: on a cluster give a path the driver can reach "
                + "(hdfs://, s3a://, ... or a file shipped with --files), or pass the bytes with setModel(bytes, fileName)";
    }

    /** Writes the bytes under {@code dir} (created), as a saved transformer keeps them. */
    void writeTo(Path dir, Configuration hadoop) throws IOException {
        FileSystem fs = dir.getFileSystem(hadoop);
        fs.mkdirs(dir);
        try (FSDataOutputStream out = fs.create(new Path(dir, fileName), true)) {
            out.write(bytes);
        }
    }

    /** Reads the one file a saved transformer kept under {@code dir}. */
    static ModelFile readSaved(Path dir, String source, Configuration hadoop) throws IOException {
        FileSystem fs = dir.getFileSystem(hadoop);
        FileStatus[] files = fs.listStatus(dir);
        if (files.length != 1 || !files[0].isFile()) {
            throw new IOException("a saved LstmTransformer keeps exactly one model file in " + dir + ", found " + files.length);
        }
        return read(files[0].getPath().toString(), source, hadoop);
    }

    /**
     * Imports the bytes. Thread-safe.
     *
     * @throws RuntimeException the importer's own exception ({@code OnnxImportException}), naming the file
     */
    SequenceModel load() {
        return load(bytes, fileName);
    }

    /** Imports model bytes named {@code fileName} (executors call this on the broadcast bytes). */
    static SequenceModel load(byte[] bytes, String fileName) {
        if (!fileName.toLowerCase(java.util.Locale.ROOT).endsWith(".onnx")) {
            throw new IllegalArgumentException("lstm4j reads .onnx model files; '" + fileName + "' is not one");
        }
        return OnnxImporter.importModel(bytes, fileName);
    }

    String fileName() {
        return fileName;
    }

    /** The bytes themselves (not a copy: callers only broadcast or write them). */
    byte[] bytes() {
        return bytes;
    }

    String sha256() {
        return sha256;
    }

    String source() {
        return source;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
