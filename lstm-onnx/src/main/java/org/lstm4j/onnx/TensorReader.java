package org.lstm4j.onnx;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import org.lstm4j.onnx.proto.OnnxProto.StringStringEntryProto;
import org.lstm4j.onnx.proto.OnnxProto.TensorProto;

/**
 * Decodes ONNX {@code TensorProto}s into {@link Tensor}s with every size checked before anything
 * is allocated: dimensions non-negative and their product within {@link OnnxImportOptions#maxTensorElements()},
 * {@code raw_data} exactly as long as the shape and type need, typed fields exactly as many, and
 * external data read only from inside the model's folder.
 */
final class TensorReader {

    private final OnnxImportOptions options;
    /** The folder external data is resolved in; null when the model came as bytes. */
    private final Path modelDir;
    private final String source;
    private long totalElements;

    TensorReader(OnnxImportOptions options, Path modelDir, String source) {
        this.options = options;
        this.modelDir = modelDir;
        this.source = source;
    }

    /** Counts elements against the whole model's budget (constants created by folding included). */
    void charge(long elements, String what) {
        totalElements += elements;
        if (totalElements > options.maxTotalElements()) {
            throw new OnnxImportException(source + ": constant tensors exceed " + options.maxTotalElements()
                    + " elements in total (at " + what + "); raise OnnxImportOptions.maxTotalElements if the model is genuine");
        }
    }

    /** The element count of {@code dims}, refusing negative dimensions, overflow and sizes over the limit. */
    long checkedCount(long[] dims, String what) {
        if (dims.length > options.maxRank()) {
            throw new OnnxImportException(source + ": " + what + " has rank " + dims.length + ", more than the limit "
                    + options.maxRank());
        }
        long n = 1;
        for (long d : dims) {
            if (d < 0) {
                throw new OnnxImportException(source + ": " + what + " declares a negative dimension in " + Arrays.toString(dims));
            }
            try {
                n = Math.multiplyExact(n, d);
            } catch (ArithmeticException e) {
                throw new OnnxImportException(source + ": " + what + " declares dimensions " + Arrays.toString(dims)
                        + " whose product overflows a 64-bit integer");
            }
        }
        // A zero dimension makes n 0 whatever follows, so check each prefix too: [0, 2^62, 2^62] must still fail.
        if (n > options.maxTensorElements()) {
            throw new OnnxImportException(source + ": " + what + " declares dimensions " + Arrays.toString(dims) + " = " + n
                    + " elements, more than the limit of " + options.maxTensorElements() + " (OnnxImportOptions.maxTensorElements)");
        }
        return n;
    }

    Tensor read(TensorProto t, String what) {
        long[] dims = new long[t.getDimsCount()];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = t.getDims(i);
        }
        int type = t.getDataType();
        long n = checkedCount(dims, what);
        int count = (int) n;
        int width = byteWidth(type);
        if (width == 0) {
            throw new OnnxImportException(source + ": " + what + " has element type " + Tensor.typeName(type)
                    + ", which an LSTM model does not use (expected float32, float16, float64 or an integer type)");
        }
        if (t.hasSegment()) {
            throw new OnnxImportException(source + ": " + what + " is a segment of a larger tensor, which is not supported");
        }
        double[] v = new double[count];
        if (t.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
            ByteBuffer bytes = readExternal(t, what, n * width);
            decodeRaw(bytes, type, v);
        } else if (t.hasRawData()) {
            ByteString raw = t.getRawData();
            if (raw.size() != n * width) {
                throw new OnnxImportException(source + ": " + what + " has " + raw.size() + " bytes of raw_data but its shape "
                        + Arrays.toString(dims) + " of " + Tensor.typeName(type) + " needs " + n * width + " bytes");
            }
            decodeRaw(raw.asReadOnlyByteBuffer(), type, v);
        } else {
            decodeTyped(t, type, v, what, dims);
        }
        charge(n, what);
        return new Tensor(type, dims, v);
    }

    private static int byteWidth(int type) {
        switch (type) {
            case Tensor.BOOL: case Tensor.INT8: case Tensor.UINT8: return 1;
            case Tensor.INT16: case Tensor.UINT16: case Tensor.FLOAT16: case Tensor.BFLOAT16: return 2;
            case Tensor.FLOAT: case Tensor.INT32: case Tensor.UINT32: return 4;
            case Tensor.INT64: case Tensor.UINT64: case Tensor.DOUBLE: return 8;
            default: return 0;
        }
    }

    private static void decodeRaw(ByteBuffer in, int type, double[] v) {
        ByteBuffer b = in.slice().order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < v.length; i++) {
            switch (type) {
                case Tensor.FLOAT: v[i] = b.getFloat(); break;
                case Tensor.DOUBLE: v[i] = b.getDouble(); break;
                case Tensor.FLOAT16: v[i] = halfToFloat(b.getShort()); break;
                case Tensor.BFLOAT16: v[i] = Float.intBitsToFloat((b.getShort() & 0xffff) << 16); break;
                case Tensor.INT8: v[i] = b.get(); break;
                case Tensor.UINT8: case Tensor.BOOL: v[i] = b.get() & 0xff; break;
                case Tensor.INT16: v[i] = b.getShort(); break;
                case Tensor.UINT16: v[i] = b.getShort() & 0xffff; break;
                case Tensor.INT32: v[i] = b.getInt(); break;
                case Tensor.UINT32: v[i] = b.getInt() & 0xffffffffL; break;
                case Tensor.INT64: v[i] = b.getLong(); break;
                case Tensor.UINT64: v[i] = unsigned(b.getLong()); break;
                default: throw new IllegalStateException("type " + type);
            }
        }
    }

    private void decodeTyped(TensorProto t, int type, double[] v, String what, long[] dims) {
        int got;
        switch (type) {
            case Tensor.FLOAT:
                got = t.getFloatDataCount();
                if (got == v.length) {
                    for (int i = 0; i < v.length; i++) {
                        v[i] = t.getFloatData(i);
                    }
                }
                break;
            case Tensor.DOUBLE:
                got = t.getDoubleDataCount();
                if (got == v.length) {
                    for (int i = 0; i < v.length; i++) {
                        v[i] = t.getDoubleData(i);
                    }
                }
                break;
            case Tensor.INT64:
                got = t.getInt64DataCount();
                if (got == v.length) {
                    for (int i = 0; i < v.length; i++) {
                        v[i] = t.getInt64Data(i);
                    }
                }
                break;
            case Tensor.UINT32: case Tensor.UINT64:
                got = t.getUint64DataCount();
                if (got == v.length) {
                    for (int i = 0; i < v.length; i++) {
                        v[i] = unsigned(t.getUint64Data(i));
                    }
                }
                break;
            default:
                // int32_data carries every narrower type too; float16 and bfloat16 as their bit patterns.
                got = t.getInt32DataCount();
                if (got == v.length) {
                    for (int i = 0; i < v.length; i++) {
                        int x = t.getInt32Data(i);
                        v[i] = type == Tensor.FLOAT16 ? halfToFloat((short) x)
                                : type == Tensor.BFLOAT16 ? Float.intBitsToFloat((x & 0xffff) << 16) : x;
                    }
                }
                break;
        }
        if (got != v.length) {
            throw new OnnxImportException(source + ": " + what + " holds " + got + " values but its shape "
                    + Arrays.toString(dims) + " needs " + v.length);
        }
    }

    private ByteBuffer readExternal(TensorProto t, String what, long expectedBytes) {
        if (!options.allowExternalData()) {
            throw new OnnxImportException(source + ": " + what + " is stored in an external file, which "
                    + "OnnxImportOptions.allowExternalData(false) forbids");
        }
        if (modelDir == null) {
            throw new OnnxImportException(source + ": " + what + " is stored in an external file; import the model "
                    + "from its path (OnnxImporter.importModel(Path)) so that the file can be found next to it");
        }
        String location = null;
        long offset = 0;
        long length = -1;
        for (StringStringEntryProto e : t.getExternalDataList()) {
            try {
                switch (e.getKey()) {
                    case "location": location = e.getValue(); break;
                    case "offset": offset = Long.parseLong(e.getValue()); break;
                    case "length": length = Long.parseLong(e.getValue()); break;
                    default: break;
                }
            } catch (NumberFormatException ex) {
                throw new OnnxImportException(source + ": " + what + " has an external data " + e.getKey()
                        + " that is not a number: '" + e.getValue() + "'");
            }
        }
        if (location == null || location.isEmpty()) {
            throw new OnnxImportException(source + ": " + what + " is marked external but names no location");
        }
        Path dir;
        Path file;
        try {
            dir = modelDir.toRealPath();
            Path base = modelDir.toAbsolutePath().normalize();
            // "../x", "/etc/x" and "a/../../x" all leave the folder; resolve() keeps an absolute location as is.
            Path candidate = base.resolve(location).normalize();
            if (!candidate.startsWith(base) || candidate.equals(base)) {
                throw escape(what, location);
            }
            if (!Files.isRegularFile(candidate)) {
                throw new OnnxImportException(source + ": " + what + " is stored in external file '" + location
                        + "', which does not exist next to the model");
            }
            // Symbolic links are followed only as far as the model's own folder.
            file = candidate.toRealPath();
        } catch (IOException e) {
            throw new OnnxImportException(source + ": cannot resolve external data file '" + location + "' of " + what + ": " + e, e);
        }
        if (!file.startsWith(dir) || file.equals(dir)) {
            throw escape(what, location);
        }
        if (length >= 0 && length != expectedBytes) {
            throw new OnnxImportException(source + ": " + what + " declares " + length + " bytes of external data but its shape needs "
                    + expectedBytes);
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            long size = ch.size();
            if (offset < 0 || offset > size || size - offset < expectedBytes) {
                throw new OnnxImportException(source + ": " + what + " needs " + expectedBytes + " bytes at offset " + offset
                        + " of external file '" + location + "', which has " + size + " bytes");
            }
            ByteBuffer buf = ByteBuffer.allocate((int) expectedBytes);
            while (buf.hasRemaining()) {
                if (ch.read(buf, offset + buf.position()) < 0) {
                    throw new OnnxImportException(source + ": external file '" + location + "' ended early");
                }
            }
            buf.flip();
            return buf;
        } catch (IOException e) {
            throw new OnnxImportException(source + ": cannot read external data file '" + location + "' of " + what + ": " + e, e);
        }
    }

    private OnnxImportException escape(String what, String location) {
        return new OnnxImportException(source + ": " + what + " names external data file '" + location
                + "' outside the model's folder; external data must lie inside the folder of the model file");
    }

    private static double unsigned(long x) {
        return x >= 0 ? x : (x >>> 1) * 2.0 + (x & 1);
    }

    /** IEEE 754 half precision to float (Java 17 has no Float.float16ToFloat). */
    static float halfToFloat(short bits) {
        int h = bits & 0xffff;
        int sign = (h & 0x8000) << 16;
        int exp = (h >>> 10) & 0x1f;
        int mant = h & 0x3ff;
        if (exp == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        }
        if (exp == 0) {
            if (mant == 0) {
                return Float.intBitsToFloat(sign);
            }
            float f = mant / 1024f / 16384f;
            return sign != 0 ? -f : f;
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }

    /** Reads a whole stream, refusing more than {@code max} bytes. */
    static byte[] readLimited(InputStream in, long max, String source) throws IOException {
        byte[] data = in.readNBytes((int) Math.min(max + 1, Integer.MAX_VALUE - 8));
        if (data.length > max) {
            throw new OnnxImportException(source + ": larger than the limit of " + max + " bytes (OnnxImportOptions.maxFileBytes)");
        }
        return data;
    }
}
