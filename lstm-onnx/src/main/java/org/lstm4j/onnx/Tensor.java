package org.lstm4j.onnx;

import java.util.Arrays;

/**
 * A constant tensor met while importing (an initializer, a {@code Constant} or a folded value):
 * ONNX element type, shape, and values held as doubles, which represent every float32, float16
 * and integer an LSTM graph carries exactly (int64 beyond 2^53 only appears as the "to the end"
 * sentinel of Slice, where rounding does not matter). Immutable by convention; package-private.
 */
final class Tensor {
    static final int FLOAT = 1;
    static final int UINT8 = 2;
    static final int INT8 = 3;
    static final int UINT16 = 4;
    static final int INT16 = 5;
    static final int INT32 = 6;
    static final int INT64 = 7;
    static final int BOOL = 9;
    static final int FLOAT16 = 10;
    static final int DOUBLE = 11;
    static final int UINT32 = 12;
    static final int UINT64 = 13;
    static final int BFLOAT16 = 16;

    final int type;
    final long[] shape;
    final double[] values;

    Tensor(int type, long[] shape, double[] values) {
        this.type = type;
        this.shape = shape;
        this.values = values;
        if (count(shape) != values.length) {
            throw new IllegalStateException("tensor of shape " + Arrays.toString(shape) + " with " + values.length + " values");
        }
    }

    static Tensor scalar(int type, double v) {
        return new Tensor(type, new long[0], new double[] {v});
    }

    static Tensor vector(int type, double... v) {
        return new Tensor(type, new long[] {v.length}, v);
    }

    static long count(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    int rank() {
        return shape.length;
    }

    int size() {
        return values.length;
    }

    boolean isFloat() {
        return type == FLOAT || type == DOUBLE || type == FLOAT16 || type == BFLOAT16;
    }

    float[] toFloats() {
        float[] out = new float[values.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) values[i];
        }
        return out;
    }

    long[] toLongs() {
        long[] out = new long[values.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (long) values[i];
        }
        return out;
    }

    /** Whether every element equals {@code v}. */
    boolean allEqual(double v) {
        for (double x : values) {
            if (x != v) {
                return false;
            }
        }
        return true;
    }

    static String typeName(int type) {
        switch (type) {
            case FLOAT: return "float32";
            case UINT8: return "uint8";
            case INT8: return "int8";
            case UINT16: return "uint16";
            case INT16: return "int16";
            case INT32: return "int32";
            case INT64: return "int64";
            case 8: return "string";
            case BOOL: return "bool";
            case FLOAT16: return "float16";
            case DOUBLE: return "float64";
            case UINT32: return "uint32";
            case UINT64: return "uint64";
            case BFLOAT16: return "bfloat16";
            default: return "ONNX type " + type;
        }
    }

    @Override
    public String toString() {
        return typeName(type) + Arrays.toString(shape);
    }
}
