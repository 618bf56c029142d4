package org.lstm4j.tensor;

import java.util.Arrays;
import java.util.Objects;

/**
 * An immutable float32 tensor: a shape and its values in row-major (C) order.
 *
 * <p>Sequence batches use the shape {@code [batch, time, features]}; LSTM states use
 * {@code [directions, batch, hidden]}, as the ONNX LSTM operator does. The values array is
 * copied on the way in and on the way out, so a tensor never changes once built; backends that
 * need the values without a copy read them through {@link #copyTo(float[], int)} or
 * {@link #get(int)}.
 */
public final class FloatTensor {

    /** The largest element count a tensor may hold: the largest Java array. */
    public static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    private final int[] shape;
    private final float[] data;

    private FloatTensor(int[] shape, float[] data) {
        this.shape = shape;
        this.data = data;
    }

    /** A tensor of the given shape holding a copy of {@code values}. */
    public static FloatTensor of(int[] shape, float[] values) {
        int[] s = Objects.requireNonNull(shape, "shape").clone();
        Objects.requireNonNull(values, "values");
        long n = elementCount(s);
        if (n != values.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(s) + " holds " + n
                    + " values but " + values.length + " were given");
        }
        return new FloatTensor(s, values.clone());
    }

    /** A tensor of zeros. */
    public static FloatTensor zeros(int... shape) {
        int[] s = shape.clone();
        return new FloatTensor(s, new float[Math.toIntExact(elementCount(s))]);
    }

    /** Wraps an array that the caller hands over and will not touch again (no copy). */
    static FloatTensor adopt(int[] shape, float[] values) {
        if (elementCount(shape) != values.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " does not hold " + values.length + " values");
        }
        return new FloatTensor(shape.clone(), values);
    }

    /** A rank-3 tensor {@code [batch][time][features]}; every row must have the same length. */
    public static FloatTensor of(float[][][] values) {
        int b = values.length;
        int t = b == 0 ? 0 : values[0].length;
        int f = t == 0 ? 0 : values[0][0].length;
        float[] out = new float[Math.toIntExact(elementCount(new int[] {b, t, f}))];
        int k = 0;
        for (int i = 0; i < b; i++) {
            if (values[i].length != t) {
                throw new IllegalArgumentException("ragged array: sequence " + i + " has " + values[i].length
                        + " steps, sequence 0 has " + t + " (pad the shorter ones and pass lengths)");
            }
            for (int j = 0; j < t; j++) {
                if (values[i][j].length != f) {
                    throw new IllegalArgumentException("ragged array: sequence " + i + ", step " + j + " has "
                            + values[i][j].length + " features, expected " + f);
                }
                System.arraycopy(values[i][j], 0, out, k, f);
                k += f;
            }
        }
        return new FloatTensor(new int[] {b, t, f}, out);
    }

    /** A rank-2 tensor {@code [rows][columns]}. */
    public static FloatTensor of(float[][] values) {
        int r = values.length;
        int c = r == 0 ? 0 : values[0].length;
        float[] out = new float[Math.toIntExact(elementCount(new int[] {r, c}))];
        for (int i = 0; i < r; i++) {
            if (values[i].length != c) {
                throw new IllegalArgumentException("ragged array: row " + i + " has " + values[i].length + " values, row 0 has " + c);
            }
            System.arraycopy(values[i], 0, out, i * c, c);
        }
        return new FloatTensor(new int[] {r, c}, out);
    }

    /** The element count of a shape; rejects negative dimensions and counts beyond {@link #MAX_ELEMENTS}. */
    public static long elementCount(int[] shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            n = n * d;
            if (n > MAX_ELEMENTS) {
                throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " exceeds " + MAX_ELEMENTS + " elements");
            }
        }
        return n;
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
    public float get(int flatIndex) {
        return data[flatIndex];
    }

    /** The element at a multi-dimensional index. */
    public float get(int... index) {
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
    public float[] toArray() {
        return data.clone();
    }

    /** Copies the values into {@code target} starting at {@code offset}, without an intermediate array. */
    public void copyTo(float[] target, int offset) {
        System.arraycopy(data, 0, target, offset, data.length);
    }

    /** The values of a rank-3 tensor as {@code [d0][d1][d2]}. */
    public float[][][] toArray3d() {
        requireRank(3);
        float[][][] out = new float[shape[0]][shape[1]][shape[2]];
        int k = 0;
        for (float[][] a : out) {
            for (float[] b : a) {
                System.arraycopy(data, k, b, 0, b.length);
                k += b.length;
            }
        }
        return out;
    }

    /** The values of a rank-2 tensor as {@code [d0][d1]}. */
    public float[][] toArray2d() {
        requireRank(2);
        float[][] out = new float[shape[0]][shape[1]];
        for (int i = 0; i < out.length; i++) {
            System.arraycopy(data, i * shape[1], out[i], 0, shape[1]);
        }
        return out;
    }

    /** The same values under another shape with the same element count. */
    public FloatTensor reshape(int... newShape) {
        if (elementCount(newShape) != data.length) {
            throw new IllegalArgumentException("cannot reshape " + Arrays.toString(shape) + " to " + Arrays.toString(newShape));
        }
        return new FloatTensor(newShape.clone(), data);
    }

    /** Swaps the first two axes of a rank-3 tensor: batch-major {@code [B,T,F]} to time-major {@code [T,B,F]} and back. */
    public FloatTensor swapFirstAxes() {
        requireRank(3);
        int a = shape[0], b = shape[1], c = shape[2];
        float[] out = new float[data.length];
        for (int i = 0; i < a; i++) {
            for (int j = 0; j < b; j++) {
                System.arraycopy(data, (i * b + j) * c, out, (j * a + i) * c, c);
            }
        }
        return new FloatTensor(new int[] {b, a, c}, out);
    }

    /** Rows {@code [from, to)} along axis 0. */
    public FloatTensor slice0(int from, int to) {
        if (shape.length == 0 || from < 0 || to > shape[0] || from > to) {
            throw new IndexOutOfBoundsException("slice [" + from + ", " + to + ") of axis 0 of " + Arrays.toString(shape));
        }
        int inner = shape[0] == 0 ? 0 : data.length / shape[0];
        int[] s = shape.clone();
        s[0] = to - from;
        return new FloatTensor(s, Arrays.copyOfRange(data, from * inner, to * inner));
    }

    /** Concatenates tensors along axis 0; the other axes must agree. */
    public static FloatTensor concat0(java.util.List<FloatTensor> parts) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("nothing to concatenate");
        }
        int[] first = parts.get(0).shape;
        int rows = 0;
        for (FloatTensor p : parts) {
            if (p.shape.length != first.length
                    || !Arrays.equals(Arrays.copyOfRange(p.shape, 1, p.shape.length), Arrays.copyOfRange(first, 1, first.length))) {
                throw new IllegalArgumentException("cannot concatenate " + Arrays.toString(p.shape) + " with " + Arrays.toString(first) + " along axis 0");
            }
            rows += p.shape[0];
        }
        int[] s = first.clone();
        s[0] = rows;
        float[] out = new float[Math.toIntExact(elementCount(s))];
        int k = 0;
        for (FloatTensor p : parts) {
            System.arraycopy(p.data, 0, out, k, p.data.length);
            k += p.data.length;
        }
        return new FloatTensor(s, out);
    }

    private void requireRank(int r) {
        if (shape.length != r) {
            throw new IllegalStateException("expected a tensor of rank " + r + ", got shape " + Arrays.toString(shape));
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FloatTensor t && Arrays.equals(shape, t.shape) && Arrays.equals(data, t.data);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("FloatTensor").append(Arrays.toString(shape)).append(' ');
        int n = Math.min(data.length, 8);
        sb.append('[');
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(data[i]);
        }
        if (data.length > n) {
            sb.append(", ...");
        }
        return sb.append(']').toString();
    }
}
