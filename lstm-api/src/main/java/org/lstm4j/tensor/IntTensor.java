package org.lstm4j.tensor;

import java.util.Arrays;
import java.util.Objects;

/**
 * An immutable int32 tensor: a shape and its values in row-major (C) order. It carries token ids
 * ({@code [batch, time]} for a batch, {@code [streams]} for one streaming step, {@code [streams, time]}
 * for a chunk) into a model that starts with an {@link org.lstm4j.model.EmbeddingLayer}, and class
 * indexes out of {@link org.lstm4j.predict.Prediction#argmax()}. Read from int32 or int64 {@code .npy}
 * files with {@link NpyArray#toIntTensor()}. Values are copied on the way in and out.
 */
public final class IntTensor {

    private final int[] shape;
    private final int[] data;

    private IntTensor(int[] shape, int[] data) {
        this.shape = shape;
        this.data = data;
    }

    /** A tensor of the given shape holding a copy of {@code values}. */
    public static IntTensor of(int[] shape, int[] values) {
        int[] s = Objects.requireNonNull(shape, "shape").clone();
        Objects.requireNonNull(values, "values");
        long n = FloatTensor.elementCount(s);
        if (n != values.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(s) + " holds " + n + " values but " + values.length + " were given");
        }
        return new IntTensor(s, values.clone());
    }

    /** A rank-1 tensor: one token per stream, for {@link org.lstm4j.predict.StreamingPredictor#step(IntTensor)}. */
    public static IntTensor of(int... values) {
        return new IntTensor(new int[] {values.length}, values.clone());
    }

    /** A rank-2 tensor {@code [rows][columns]}, such as token ids {@code [batch][time]}; every row must have the same length. */
    public static IntTensor of(int[][] rows) {
        int r = rows.length;
        int c = r == 0 ? 0 : rows[0].length;
        int[] out = new int[Math.toIntExact(FloatTensor.elementCount(new int[] {r, c}))];
        for (int i = 0; i < r; i++) {
            if (rows[i].length != c) {
                throw new IllegalArgumentException("ragged array: row " + i + " has " + rows[i].length + " values, row 0 has " + c
                        + " (pad the shorter rows and give a mask or lengths)");
            }
            System.arraycopy(rows[i], 0, out, i * c, c);
        }
        return new IntTensor(new int[] {r, c}, out);
    }

    /** Wraps an array the caller hands over and will not touch again (no copy). */
    static IntTensor adopt(int[] shape, int[] values) {
        if (FloatTensor.elementCount(shape) != values.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " does not hold " + values.length + " values");
        }
        return new IntTensor(shape.clone(), values);
    }

    public int[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    public int dim(int axis) {
        return shape[axis];
    }

    public int size() {
        return data.length;
    }

    /** The element at a flat row-major index. */
    public int get(int flatIndex) {
        return data[flatIndex];
    }

    /** The element at a multi-dimensional index. */
    public int get(int... index) {
        if (index.length != shape.length) {
            throw new IllegalArgumentException("index of rank " + index.length + " for a tensor of rank " + shape.length);
        }
        int flat = 0;
        for (int i = 0; i < index.length; i++) {
            if (index[i] < 0 || index[i] >= shape[i]) {
                throw new IndexOutOfBoundsException("index " + Arrays.toString(index) + " outside shape " + Arrays.toString(shape));
            }
            flat = flat * shape[i] + index[i];
        }
        return data[flat];
    }

    /** A copy of the values in row-major order. */
    public int[] toArray() {
        return data.clone();
    }

    /** Copies the values into {@code target} starting at {@code offset}. */
    public void copyTo(int[] target, int offset) {
        System.arraycopy(data, 0, target, offset, data.length);
    }

    /** The values of a rank-2 tensor as {@code [d0][d1]}. */
    public int[][] toArray2d() {
        if (shape.length != 2) {
            throw new IllegalStateException("expected a tensor of rank 2, got shape " + Arrays.toString(shape));
        }
        int[][] out = new int[shape[0]][shape[1]];
        for (int i = 0; i < out.length; i++) {
            System.arraycopy(data, i * shape[1], out[i], 0, shape[1]);
        }
        return out;
    }

    /** The same values under another shape with the same element count. */
    public IntTensor reshape(int... newShape) {
        if (FloatTensor.elementCount(newShape) != data.length) {
            throw new IllegalArgumentException("cannot reshape " + Arrays.toString(shape) + " to " + Arrays.toString(newShape));
        }
        return new IntTensor(newShape.clone(), data);
    }

    /** Rows {@code [from, to)} along axis 0. */
    public IntTensor slice0(int from, int to) {
        if (shape.length == 0 || from < 0 || to > shape[0] || from > to) {
            throw new IndexOutOfBoundsException("slice [" + from + ", " + to + ") of axis 0 of " + Arrays.toString(shape));
        }
        int inner = shape[0] == 0 ? 0 : data.length / shape[0];
        int[] s = shape.clone();
        s[0] = to - from;
        return new IntTensor(s, Arrays.copyOfRange(data, from * inner, to * inner));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IntTensor t && Arrays.equals(shape, t.shape) && Arrays.equals(data, t.data);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("IntTensor").append(Arrays.toString(shape)).append(" [");
        int n = Math.min(data.length, 16);
        for (int i = 0; i < n; i++) {
            sb.append(i > 0 ? ", " : "").append(data[i]);
        }
        return sb.append(data.length > n ? ", ...]" : "]").toString();
    }
}
