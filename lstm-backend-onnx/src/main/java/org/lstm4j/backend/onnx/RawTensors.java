package org.lstm4j.backend.onnx;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.TensorInfo;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.ShortBuffer;
import java.util.EnumSet;
import java.util.Set;
import org.lstm4j.tensor.FloatTensor;
import org.lstm4j.tensor.IntTensor;
import org.lstm4j.tensor.TensorBuilder;

/**
 * Raw mode's conversions between lstm4j's tensors and ONNX Runtime's, by the element type the graph
 * declares: float inputs from {@link FloatTensor}s (float32, or float64 widened), integer and bool
 * inputs from {@link IntTensor}s (each value checked against the type's range); float outputs as
 * FloatTensors (float64 narrowed to float32), integer and bool outputs as IntTensors (int64 values
 * checked to fit an int). Package-private.
 */
final class RawTensors {
    private RawTensors() {
    }

    static final Set<OnnxJavaType> FLOATS = EnumSet.of(OnnxJavaType.FLOAT, OnnxJavaType.DOUBLE);
    static final Set<OnnxJavaType> INTEGERS = EnumSet.of(OnnxJavaType.INT8, OnnxJavaType.UINT8, OnnxJavaType.INT16,
            OnnxJavaType.INT32, OnnxJavaType.INT64, OnnxJavaType.BOOL);

    static OnnxTensor floats(OrtEnvironment env, TensorInfo info, FloatTensor t) throws OrtException {
        long[] shape = longs(t.shape());
        int n = t.size();
        if (info.type == OnnxJavaType.DOUBLE) {
            DoubleBuffer b = ByteBuffer.allocateDirect(8 * n).order(ByteOrder.nativeOrder()).asDoubleBuffer();
            for (int k = 0; k < n; k++) {
                b.put(k, t.get(k));
            }
            return OnnxTensor.createTensor(env, b, shape);
        }
        FloatBuffer b = ByteBuffer.allocateDirect(4 * n).order(ByteOrder.nativeOrder()).asFloatBuffer();
        for (int k = 0; k < n; k++) {
            b.put(k, t.get(k));
        }
        return OnnxTensor.createTensor(env, b, shape);
    }

    /** An integer or bool input; {@code what} names it in the message when a value does not fit the type. */
    static OnnxTensor ints(OrtEnvironment env, TensorInfo info, IntTensor t, String what) throws OrtException {
        long[] shape = longs(t.shape());
        int n = t.size();
        switch (info.type) {
            case INT64: {
                LongBuffer b = ByteBuffer.allocateDirect(8 * n).order(ByteOrder.nativeOrder()).asLongBuffer();
                for (int k = 0; k < n; k++) {
                    b.put(k, t.get(k));
                }
                return OnnxTensor.createTensor(env, b, shape);
            }
            case INT32: {
                IntBuffer b = ByteBuffer.allocateDirect(4 * n).order(ByteOrder.nativeOrder()).asIntBuffer();
                for (int k = 0; k < n; k++) {
                    b.put(k, t.get(k));
                }
                return OnnxTensor.createTensor(env, b, shape);
            }
            case INT16: {
                ShortBuffer b = ByteBuffer.allocateDirect(2 * n).order(ByteOrder.nativeOrder()).asShortBuffer();
                for (int k = 0; k < n; k++) {
                    b.put(k, (short) inRange(t, k, Short.MIN_VALUE, Short.MAX_VALUE, what));
                }
                return OnnxTensor.createTensor(env, b, shape);
            }
            case INT8: case UINT8: case BOOL: {
                int lo = info.type == OnnxJavaType.INT8 ? Byte.MIN_VALUE : 0;
                int hi = info.type == OnnxJavaType.INT8 ? Byte.MAX_VALUE : info.type == OnnxJavaType.UINT8 ? 255 : 1;
                ByteBuffer b = ByteBuffer.allocateDirect(n).order(ByteOrder.nativeOrder());
                for (int k = 0; k < n; k++) {
                    b.put(k, (byte) inRange(t, k, lo, hi, what));
                }
                return OnnxTensor.createTensor(env, b, shape, info.type);
            }
            default:
                throw new IllegalStateException(info.type.toString());
        }
    }

    private static int inRange(IntTensor t, int k, int lo, int hi, String what) {
        int v = t.get(k);
        if (v < lo || v > hi) {
            throw new IllegalArgumentException(what + ": element " + k + " is " + v + ", outside [" + lo + ", " + hi + "]");
        }
        return v;
    }

    static FloatTensor floatOutput(OnnxTensor t) {
        TensorBuilder b = new TensorBuilder(ints(t.getInfo().getShape()));
        // Output shapes of an arbitrary graph are known only after the run, so outputs cannot be pinned as the
        // predictor does: ONNX Runtime's buffer getters copy them to the heap, and the tensor's array takes a second copy.
        if (t.getInfo().type == OnnxJavaType.DOUBLE) {
            DoubleBuffer d = t.getDoubleBuffer();
            for (int k = 0; k < b.values().length; k++) {
                b.values()[k] = (float) d.get(k);
            }
        } else {
            t.getFloatBuffer().get(b.values());
        }
        return b.build();
    }

    static IntTensor intOutput(OnnxTensor t, String what) {
        int[] shape = ints(t.getInfo().getShape());
        int[] out = new int[Math.toIntExact(FloatTensor.elementCount(shape))];
        switch (t.getInfo().type) {
            case INT64: {
                LongBuffer b = t.getLongBuffer();
                for (int k = 0; k < out.length; k++) {
                    long v = b.get(k);
                    if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
                        throw new IllegalArgumentException(what + ": element " + k + " is " + v + ", outside the int range of IntTensor");
                    }
                    out[k] = (int) v;
                }
                break;
            }
            case INT32: t.getIntBuffer().get(out); break;
            case INT16: {
                ShortBuffer b = t.getShortBuffer();
                for (int k = 0; k < out.length; k++) {
                    out[k] = b.get(k);
                }
                break;
            }
            default: {
                ByteBuffer b = t.getByteBuffer();
                boolean unsigned = t.getInfo().type != OnnxJavaType.INT8;
                for (int k = 0; k < out.length; k++) {
                    out[k] = unsigned ? b.get(k) & 0xff : b.get(k);
                }
            }
        }
        return IntTensor.of(shape, out);
    }

    /** Whether {@code shape} fits the graph's declared one (negative declared sizes are symbolic). */
    static boolean fits(TensorInfo info, int[] shape) {
        long[] declared = info.getShape();
        if (declared.length != shape.length) {
            return false;
        }
        for (int i = 0; i < shape.length; i++) {
            if (declared[i] >= 0 && declared[i] != shape[i]) {
                return false;
            }
        }
        return true;
    }

    /** As messages show it: {@code float [?, 30, 17]}. */
    static String describe(TensorInfo info) {
        long[] s = info.getShape();
        StringBuilder sb = new StringBuilder(typeName(info.type)).append(" [");
        for (int i = 0; i < s.length; i++) {
            sb.append(i > 0 ? ", " : "").append(s[i] < 0 ? "?" : Long.toString(s[i]));
        }
        return sb.append(']').toString();
    }

    private static String typeName(OnnxJavaType t) {
        return t == OnnxJavaType.UINT8 ? "uint8" : t.toString().toLowerCase(java.util.Locale.ROOT);
    }

    static long[] longs(int[] shape) {
        long[] out = new long[shape.length];
        for (int i = 0; i < shape.length; i++) {
            out[i] = shape[i];
        }
        return out;
    }

    private static int[] ints(long[] shape) {
        int[] s = new int[shape.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = Math.toIntExact(shape[i]);
        }
        return s;
    }
}
