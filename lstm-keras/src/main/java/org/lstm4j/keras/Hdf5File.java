package org.lstm4j.keras;

import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.jhdf.object.datatype.DataType;
import io.jhdf.object.datatype.FloatingPoint;
import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * The HDF5 reads Keras files need, through jHDF, with every failure turned into a
 * {@link KerasImportException} that names the file and the object.
 *
 * <p>jHDF is handed the whole file as one read-only buffer (a memory map, or the caller's bytes),
 * never a file channel: jHDF's channel storage allocates a heap buffer of whatever length a header
 * declares before checking it against the file (jHDF 0.13.0 {@code HdfFileChannel.readBufferNoOffset}),
 * so a hostile header could demand gigabytes; over a buffer, every read is a slice bounded by the file.
 * A dataset's declared shape is checked against the shape the model configuration implies before
 * its data is read, so no array is ever allocated from a size the file alone declares.
 */
final class Hdf5File implements AutoCloseable {

    private final HdfFile file;
    private final String source;

    private Hdf5File(HdfFile file, String source) {
        this.file = file;
        this.source = source;
    }

    static Hdf5File open(Path path, String source, long maxBytes) {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size > maxBytes) {
                throw new KerasImportException(source + ": " + size + " bytes of HDF5, larger than the limit of " + maxBytes
                        + " bytes (KerasImportOptions.maxFileBytes)");
            }
            MappedByteBuffer buffer = ch.map(FileChannel.MapMode.READ_ONLY, 0, size);
            return open(() -> HdfFile.fromByteBuffer(buffer), source);
        } catch (IOException e) {
            throw new KerasImportException(source + ": cannot read the file: " + e, e);
        }
    }

    static Hdf5File open(byte[] bytes, String source) {
        return open(() -> HdfFile.fromBytes(bytes), source);
    }

    private static Hdf5File open(Supplier<HdfFile> opener, String source) {
        try {
            return new Hdf5File(opener.get(), source);
        } catch (RuntimeException | StackOverflowError e) {
            throw new KerasImportException(source + ": not a readable HDF5 file (" + describe(e) + ")", e);
        }
    }

    /**
     * Whether {@code path} names a group or dataset. Walked member by member: over a buffer, jHDF
     * 0.13.0 answers {@code getByPath} of a missing member with "No backing file" (it looks for an
     * external file) rather than an invalid-path error.
     */
    boolean exists(String path) {
        return guard(path, () -> {
            Node n = file;
            for (String part : path.split("/")) {
                if (part.isEmpty()) {
                    continue;
                }
                if (!(n instanceof Group g) || !g.getChildren().containsKey(part)) {
                    return false;
                }
                n = g.getChild(part);
            }
            return true;
        });
    }

    /** The names of a group's members, in the file's order. */
    List<String> children(String groupPath) {
        return guard(groupPath, () -> {
            Node n = groupPath.isEmpty() ? file : file.getByPath(groupPath);
            if (!(n instanceof Group g)) {
                throw new KerasImportException(source + ": '" + groupPath + "' is not an HDF5 group");
            }
            return new ArrayList<>(g.getChildren().keySet());
        });
    }

    /** A string attribute, or null when the object has none of that name. */
    String stringAttribute(String path, String name) {
        return guard(path + "@" + name, () -> {
            Attribute a = node(path).getAttribute(name);
            if (a == null) {
                return null;
            }
            Object v = a.getData();
            if (v instanceof String s) {
                return s;
            }
            if (v instanceof String[] arr && arr.length == 1) {
                return arr[0];
            }
            throw new KerasImportException(source + ": attribute '" + name + "' of '" + path + "' should be a string, got "
                    + a.getJavaType().getSimpleName() + " " + Arrays.toString(a.getDimensions()));
        });
    }

    /** A list-of-strings attribute (h5py writes an empty list as an empty float64 array), or null when absent. */
    List<String> stringListAttribute(String path, String name) {
        return guard(path + "@" + name, () -> {
            Attribute a = node(path).getAttribute(name);
            if (a == null) {
                return null;
            }
            if (a.isEmpty() || a.getSize() == 0) {
                return List.of();
            }
            Object v = a.getData();
            if (v instanceof String[] arr) {
                return List.of(arr);
            }
            if (v instanceof String s) {
                return List.of(s);
            }
            throw new KerasImportException(source + ": attribute '" + name + "' of '" + path + "' should list strings, got "
                    + a.getJavaType().getSimpleName() + " " + Arrays.toString(a.getDimensions()));
        });
    }

    /**
     * A floating-point dataset of exactly {@code shape}, as float32 (float64 data is narrowed, as Keras
     * casts it to the layer's float32 variables when loading).
     *
     * @param what the weight in messages, such as {@code layer 'lstm' (LSTM) weight 'kernel'}
     */
    float[] floats(String path, int[] shape, String what) {
        return guard(path, () -> {
            Node n = file.getByPath(path);
            if (!(n instanceof Dataset d)) {
                throw new KerasImportException(source + ": " + what + " at '" + path + "' is not a dataset");
            }
            DataType type = d.getDataType();
            if (!(type instanceof FloatingPoint) || (type.getSize() != 4 && type.getSize() != 8)) {
                throw new KerasImportException(source + ": " + what + " at '" + path + "' holds " + typeName(type)
                        + ", expected float32 or float64 weights");
            }
            long[] dims = d.getDimensionsAsLong();
            if (!sameShape(dims, shape)) {
                throw new KerasImportException(source + ": " + what + " at '" + path + "' has shape " + Arrays.toString(dims)
                        + " but the model configuration implies " + Arrays.toString(shape));
            }
            Object flat = d.getDataFlat();
            if (flat instanceof float[] f) {
                return f;
            }
            if (flat instanceof double[] dd) {
                float[] f = new float[dd.length];
                for (int i = 0; i < dd.length; i++) {
                    f[i] = (float) dd[i];
                }
                return f;
            }
            throw new KerasImportException(source + ": " + what + " at '" + path + "' read as " + flat.getClass().getSimpleName());
        });
    }

    private static boolean sameShape(long[] dims, int[] shape) {
        if (dims.length != shape.length) {
            return false;
        }
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] != shape[i]) {
                return false;
            }
        }
        return true;
    }

    private static String typeName(DataType t) {
        String kind = t.getClass().getSimpleName();
        return t instanceof FloatingPoint ? "float" + 8 * t.getSize() : kind + " (" + t.getSize() + " bytes)";
    }

    private Node node(String path) {
        return path.isEmpty() || path.equals("/") ? file : file.getByPath(path);
    }

    private <T> T guard(String where, Supplier<T> read) {
        try {
            return read.get();
        } catch (KerasImportException e) {
            throw e;
        } catch (io.jhdf.exceptions.HdfInvalidPathException e) {
            throw new KerasImportException(source + ": no '" + where + "' in the HDF5 file", e);
        } catch (RuntimeException | StackOverflowError e) {
            throw new KerasImportException(source + ": corrupt HDF5 at '" + where + "' (" + describe(e) + ")", e);
        }
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + (m.length() > 200 ? m.substring(0, 200) + "..." : m));
    }

    @Override
    public void close() {
        try {
            file.close();
        } catch (RuntimeException e) {
            // Closing a read-only buffer-backed file releases nothing that could fail the import.
        }
    }
}
