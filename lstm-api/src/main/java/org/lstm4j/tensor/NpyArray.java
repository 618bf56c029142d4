package org.lstm4j.tensor;

import java.util.Arrays;

/**
 * An array read from a NumPy {@code .npy} file: its dtype, shape and values. Floating-point
 * files become float32 tensors ({@link #toFloatTensor()}); integer and boolean files become
 * token ids or masks ({@link #toIntTensor()}) or sequence lengths ({@link #toIntArray()}).
 */
public final class NpyArray {

    /** The element types lstm4j reads. */
    public enum DType {
        FLOAT32("f4", 4), FLOAT64("f8", 8), INT32("i4", 4), INT64("i8", 8),
        /** NumPy's bool ({@code |b1}): one byte, 0 or 1; masks. */
        BOOL("b1", 1);

        final String code;
        final int bytes;

        DType(String code, int bytes) {
            this.code = code;
            this.bytes = bytes;
        }

        public boolean isFloatingPoint() {
            return this == FLOAT32 || this == FLOAT64;
        }
    }

    private final DType dtype;
    private final int[] shape;
    private final float[] floats;
    private final long[] longs;

    NpyArray(DType dtype, int[] shape, float[] floats, long[] longs) {
        this.dtype = dtype;
        this.shape = shape;
        this.floats = floats;
        this.longs = longs;
    }

    public DType dtype() {
        return dtype;
    }

    public int[] shape() {
        return shape.clone();
    }

    /**
     * The values as a float32 tensor. Float64 files are rounded to float32 (the library computes
     * in float32); integer files are refused, since they are lengths, not values.
     *
     * @throws IllegalStateException when the array holds integers
     */
    public FloatTensor toFloatTensor() {
        if (floats == null) {
            throw new IllegalStateException("this .npy holds " + dtype + " values; a float32 or float64 array was expected");
        }
        return FloatTensor.adopt(shape, floats.clone());
    }

    /**
     * The values of an integer or boolean array as an int32 tensor of the same shape: token ids
     * {@code [batch, time]} (int32 or int64, as Keras and PyTorch save them) or a mask (bool, 1 for a
     * valid step). int64 values must fit an {@code int}.
     *
     * @throws IllegalStateException when the array holds floats, or a value outside {@code int}'s range (named by index)
     */
    public IntTensor toIntTensor() {
        return IntTensor.adopt(shape, toIntArray());
    }

    /**
     * The values of an integer array (sequence lengths), checked to fit an {@code int}.
     *
     * @throws IllegalStateException when the array holds floats, or a value outside {@code int}'s range (named by index)
     */
    public int[] toIntArray() {
        if (longs == null) {
            throw new IllegalStateException("this .npy holds " + dtype + " values; an int32, int64 or bool array was expected");
        }
        int[] out = new int[longs.length];
        for (int i = 0; i < out.length; i++) {
            if (longs[i] < Integer.MIN_VALUE || longs[i] > Integer.MAX_VALUE) {
                throw new IllegalStateException("value " + longs[i] + " at flat index " + i + " of " + Arrays.toString(shape)
                        + " does not fit in an int");
            }
            out[i] = (int) longs[i];
        }
        return out;
    }

    @Override
    public String toString() {
        return "NpyArray[" + dtype + " " + Arrays.toString(shape) + "]";
    }
}
