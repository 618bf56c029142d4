package org.lstm4j.keras;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;

/**
 * The parts of a Keras 3 {@code .keras} archive (a zip of {@code config.json},
 * {@code metadata.json} and {@code model.weights.h5}, plus {@code assets/}), read without
 * extracting anything to a path the archive chooses. Hostile archives are refused: an entry whose
 * name would escape a folder it were extracted to, duplicate entries, too many entries, parts over
 * their size limits, and compression that inflates more than {@link #MAX_RATIO} times (a zip bomb)
 * are each a {@link KerasImportException}. The weights are spooled to a temporary file (deleted by
 * {@link #close()}), so that they never sit on the heap as bytes.
 */
final class KerasArchive implements AutoCloseable {

    /** Inflation beyond this ratio (past {@link #RATIO_GRACE} bytes) is a zip bomb; Keras stores its entries uncompressed. */
    static final int MAX_RATIO = 100;
    private static final long RATIO_GRACE = 1L << 20;
    private static final byte[] ZIP_MAGIC = {'P', 'K', 3, 4};

    final byte[] config;
    final byte[] metadata;
    final Path weights;

    private KerasArchive(byte[] config, byte[] metadata, Path weights) {
        this.config = config;
        this.metadata = metadata;
        this.weights = weights;
    }

    static boolean isArchive(byte[] head) {
        return head.length >= 4 && head[0] == ZIP_MAGIC[0] && head[1] == ZIP_MAGIC[1] && head[2] == ZIP_MAGIC[2] && head[3] == ZIP_MAGIC[3];
    }

    static KerasArchive read(InputStream raw, String source, KerasImportOptions options) {
        CountingStream counted = new CountingStream(raw);
        byte[] config = null;
        byte[] metadata = null;
        Path weights = null;
        boolean done = false;
        try (ZipInputStream zip = new ZipInputStream(counted)) {
            Set<String> seen = new HashSet<>();
            ZipEntry e;
            while ((e = zip.getNextEntry()) != null) {
                String name = e.getName();
                if (seen.size() >= options.maxArchiveEntries()) {
                    throw new KerasImportException(source + ": more than " + options.maxArchiveEntries()
                            + " entries in the archive (KerasImportOptions.maxArchiveEntries)");
                }
                if (!seen.add(name)) {
                    throw new KerasImportException(source + ": the archive holds '" + name + "' twice");
                }
                requireContained(name, source);
                switch (name) {
                    case "config.json":
                        config = readLimited(zip, counted, options.maxConfigBytes(), source, name, "maxConfigBytes");
                        break;
                    case "metadata.json":
                        metadata = readLimited(zip, counted, options.maxConfigBytes(), source, name, "maxConfigBytes");
                        break;
                    case "model.weights.h5":
                        weights = Files.createTempFile("lstm4j-keras-", ".weights.h5");
                        try (OutputStream out = Files.newOutputStream(weights)) {
                            copyLimited(zip, counted, out, options.maxFileBytes(), source, name, "maxFileBytes");
                        }
                        break;
                    case "model.weights.npz":
                        throw new KerasImportException(source + ": the weights are saved as model.weights.npz; lstm4j reads the default "
                                + "HDF5 weights (save with model.save(\"model.keras\") and the default weights format)");
                    default:
                        break;  // assets/ and other parts Keras may add are not needed for inference
                }
            }
            if (config == null) {
                throw new KerasImportException(source + ": a zip without config.json is not a Keras .keras archive");
            }
            if (weights == null) {
                throw new KerasImportException(source + ": the archive has no model.weights.h5 (a .keras archive as Keras saves it has "
                        + "config.json, metadata.json and model.weights.h5)");
            }
            done = true;
            return new KerasArchive(config, metadata == null ? new byte[0] : metadata, weights);
        } catch (ZipException ex) {
            throw new KerasImportException(source + ": not a readable zip archive (" + ex.getMessage() + ")", ex);
        } catch (IllegalArgumentException ex) {
            // ZipInputStream's answer to an entry name that is not UTF-8 (found by KerasImportFuzzTest)
            throw new KerasImportException(source + ": not a readable zip archive (an entry name is not valid UTF-8: "
                    + ex.getMessage() + ")", ex);
        } catch (IOException ex) {
            throw new KerasImportException(source + ": cannot read the archive: " + ex, ex);
        } finally {
            if (!done) {
                delete(weights);
            }
        }
    }

    /** Entry names that would leave the folder they were extracted to are refused, even though nothing is extracted. */
    private static void requireContained(String name, String source) {
        String n = name.replace('\\', '/');
        boolean escapes = n.startsWith("/") || n.matches("^[A-Za-z]:.*") || n.equals("..") || n.startsWith("../")
                || n.contains("/../") || n.endsWith("/..") || n.indexOf('\0') >= 0;
        if (escapes) {
            throw new KerasImportException(source + ": archive entry '" + name + "' escapes the archive (an absolute path or '..'); "
                    + "refusing the file");
        }
    }

    private static byte[] readLimited(ZipInputStream zip, CountingStream counted, long limit, String source, String entry, String option)
            throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        copyLimited(zip, counted, out, limit, source, entry, option);
        return out.toByteArray();
    }

    private static void copyLimited(ZipInputStream zip, CountingStream counted, OutputStream out, long limit, String source, String entry,
                                    String option) throws IOException {
        long start = counted.count;
        byte[] buf = new byte[64 * 1024];
        long total = 0;
        int n;
        while ((n = zip.read(buf)) > 0) {
            total += n;
            if (total > limit) {
                throw new KerasImportException(source + ": archive entry '" + entry + "' inflates to more than " + limit
                        + " bytes (KerasImportOptions." + option + ")");
            }
            long compressed = Math.max(1, counted.count - start);
            if (total > RATIO_GRACE && total / compressed > MAX_RATIO) {
                throw new KerasImportException(source + ": archive entry '" + entry + "' inflates more than " + MAX_RATIO
                        + " times its compressed size (a zip bomb); Keras stores its parts uncompressed");
            }
            out.write(buf, 0, n);
        }
    }

    static void delete(Path p) {
        if (p == null) {
            return;
        }
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            p.toFile().deleteOnExit();  // a platform that keeps a mapped file locked until the mapping is collected
        }
    }

    @Override
    public void close() {
        delete(weights);
    }

    /** Counts the compressed bytes the zip reader consumed, for the inflation ratio. */
    private static final class CountingStream extends FilterInputStream {
        long count;

        CountingStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }
}
