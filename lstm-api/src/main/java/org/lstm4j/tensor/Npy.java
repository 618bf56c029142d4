package org.lstm4j.tensor;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and writes NumPy {@code .npy} files (format versions 1.0, 2.0 and 3.0, as specified in
 * {@code numpy/lib/format.py}). Reads float32, float64, int32, int64 (either byte order) and bool;
 * writes float32 and int32 (version 1.0, little-endian). Fortran order and every other dtype are refused
 * with {@link NpyFormatException}, and declared sizes are checked against the bytes present
 * before anything is allocated.
 */
public final class Npy {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    /** numpy itself caps headers at a few KiB; anything larger is not a real .npy file. */
    private static final int MAX_HEADER_BYTES = 1 << 16;
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private Npy() {
    }

    /** Reads a .npy file; errors name the file. */
    public static NpyArray read(Path file) throws IOException {
        long size = Files.size(file);
        if (size > FloatTensor.MAX_ELEMENTS * 8L + MAX_HEADER_BYTES) {
            throw new NpyFormatException(file + ": file of " + size + " bytes is larger than any array lstm4j can hold");
        }
        try {
            return read(Files.readAllBytes(file));
        } catch (NpyFormatException e) {
            throw new NpyFormatException(file + ": " + e.getMessage());
        }
    }

    /** Reads a .npy stream to its end. */
    public static NpyArray read(InputStream in) throws IOException {
        return read(in.readAllBytes());
    }

    /**
     * Parses the bytes of a .npy file. Every malformed input (bad magic, header, dtype, shape, or a
     * data size other than the shape's) is an {@link NpyFormatException} saying what is wrong;
     * memory allocated never exceeds what the bytes hold. Fuzzed in lstm-reliability.
     */
    public static NpyArray read(byte[] bytes) throws NpyFormatException {
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < 10 || !Arrays.equals(Arrays.copyOf(bytes, 6), MAGIC)) {
            throw new NpyFormatException("not a .npy file (the magic string \\x93NUMPY is missing)");
        }
        int major = bytes[6] & 0xff;
        int headerLength;
        int headerStart;
        if (major == 1) {
            headerLength = buf.getShort(8) & 0xffff;
            headerStart = 10;
        } else if (major == 2 || major == 3) {
            if (bytes.length < 12) {
                throw new NpyFormatException("truncated header");
            }
            headerLength = buf.getInt(8);
            headerStart = 12;
        } else {
            throw new NpyFormatException("unsupported .npy format version " + major + "." + (bytes[7] & 0xff) + " (1.0 to 3.0 are read)");
        }
        if (headerLength < 0 || headerLength > MAX_HEADER_BYTES || headerStart + headerLength > bytes.length) {
            throw new NpyFormatException("header length " + headerLength + " does not fit the file of " + bytes.length + " bytes");
        }
        String header = new String(bytes, headerStart, headerLength,
                major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);

        String descr = match(DESCR, header, "descr");
        String fortran = match(FORTRAN, header, "fortran_order");
        String shapeText = match(SHAPE, header, "shape");
        if (fortran.equals("True")) {
            throw new NpyFormatException("Fortran-order arrays are not supported; save with np.ascontiguousarray(a) first");
        }
        ByteOrder order = byteOrder(descr);
        NpyArray.DType dtype = dtype(descr);
        int[] shape = parseShape(shapeText);
        long count = FloatTensor.elementCount(shape);
        int dataStart = headerStart + headerLength;
        long expectedBytes = count * dtype.bytes;
        long present = bytes.length - (long) dataStart;
        if (present != expectedBytes) {
            throw new NpyFormatException("shape " + Arrays.toString(shape) + " of " + descr + " needs " + expectedBytes
                    + " data bytes but the file holds " + present);
        }
        ByteBuffer data = ByteBuffer.wrap(bytes, dataStart, (int) expectedBytes).slice().order(order);
        int n = (int) count;
        switch (dtype) {
            case FLOAT32: {
                float[] out = new float[n];
                data.asFloatBuffer().get(out);
                return new NpyArray(dtype, shape, out, null);
            }
            case FLOAT64: {
                float[] out = new float[n];
                for (int i = 0; i < n; i++) {
                    out[i] = (float) data.getDouble(i * 8);
                }
                return new NpyArray(dtype, shape, out, null);
            }
            case INT32: {
                long[] out = new long[n];
                for (int i = 0; i < n; i++) {
                    out[i] = data.getInt(i * 4);
                }
                return new NpyArray(dtype, shape, null, out);
            }
            case BOOL: {
                long[] out = new long[n];
                for (int i = 0; i < n; i++) {
                    byte v = data.get(i);
                    if (v != 0 && v != 1) {
                        throw new NpyFormatException("bool array holds byte " + v + " at flat index " + i + " (0 or 1 expected)");
                    }
                    out[i] = v;
                }
                return new NpyArray(dtype, shape, null, out);
            }
            default: {
                long[] out = new long[n];
                data.asLongBuffer().get(out);
                return new NpyArray(dtype, shape, null, out);
            }
        }
    }

    /** Writes a float32 tensor as a version 1.0, little-endian, C-order .npy file. */
    public static void write(Path file, FloatTensor tensor) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            write(out, tensor);
        }
    }

    /** Writes a float32 tensor as a version 1.0 .npy stream. */
    public static void write(OutputStream out, FloatTensor tensor) throws IOException {
        ByteBuffer body = ByteBuffer.allocate(tensor.size() * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < tensor.size(); i++) {
            body.putFloat(tensor.get(i));
        }
        writeArray(out, "<f4", tensor.shape(), body.array());
    }

    /** Writes sequence lengths (or any int values) as a one-dimensional int32 .npy file. */
    public static void writeLengths(Path file, int[] lengths) throws IOException {
        write(file, IntTensor.of(lengths));
    }

    /** Writes an int32 tensor (token ids, class indexes) as a version 1.0, little-endian, C-order .npy file. */
    public static void write(Path file, IntTensor tensor) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            write(out, tensor);
        }
    }

    /** Writes an int32 tensor as a version 1.0 .npy stream. */
    public static void write(OutputStream out, IntTensor tensor) throws IOException {
        ByteBuffer body = ByteBuffer.allocate(tensor.size() * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < tensor.size(); i++) {
            body.putInt(tensor.get(i));
        }
        writeArray(out, "<i4", tensor.shape(), body.array());
    }

    private static void writeArray(OutputStream out, String descr, int[] shape, byte[] littleEndianData) throws IOException {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < shape.length; i++) {
            s.append(shape[i]).append(shape.length == 1 ? "," : (i + 1 < shape.length ? ", " : ""));
        }
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + s + "), }";
        // The header is padded with spaces and a newline so that the data starts on a 64-byte boundary.
        int unpadded = 10 + dict.length() + 1;
        int pad = (64 - unpadded % 64) % 64;
        String header = dict + " ".repeat(pad) + "\n";
        ByteBuffer head = ByteBuffer.allocate(10).order(ByteOrder.LITTLE_ENDIAN);
        head.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) header.length());
        out.write(head.array());
        out.write(header.getBytes(StandardCharsets.ISO_8859_1));
        out.write(littleEndianData);
    }

    private static String match(Pattern p, String header, String key) throws NpyFormatException {
        Matcher m = p.matcher(header);
        if (!m.find()) {
            throw new NpyFormatException("header has no '" + key + "' entry: " + header.strip());
        }
        return m.group(1);
    }

    private static ByteOrder byteOrder(String descr) {
        char c = descr.isEmpty() ? '?' : descr.charAt(0);
        return c == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    }

    private static NpyArray.DType dtype(String descr) throws NpyFormatException {
        String code = descr.length() > 1 && "<>|=".indexOf(descr.charAt(0)) >= 0 ? descr.substring(1) : descr;
        for (NpyArray.DType t : NpyArray.DType.values()) {
            if (t.code.equals(code)) {
                return t;
            }
        }
        throw new NpyFormatException("unsupported dtype '" + descr + "' (float32, float64, int32, int64 and bool are read)");
    }

    private static int[] parseShape(String text) throws NpyFormatException {
        List<Integer> dims = new ArrayList<>();
        for (String part : text.split(",")) {
            String p = part.strip();
            if (p.isEmpty()) {
                continue;
            }
            try {
                long d = Long.parseLong(p.endsWith("L") ? p.substring(0, p.length() - 1) : p);
                if (d < 0 || d > Integer.MAX_VALUE) {
                    throw new NpyFormatException("dimension " + d + " in shape (" + text + ") is out of range");
                }
                dims.add((int) d);
            } catch (NumberFormatException e) {
                throw new NpyFormatException("cannot read shape (" + text + ")");
            }
        }
        int[] shape = dims.stream().mapToInt(Integer::intValue).toArray();
        try {
            FloatTensor.elementCount(shape);
        } catch (IllegalArgumentException e) {
            throw new NpyFormatException(e.getMessage());
        }
        return shape;
    }
}
