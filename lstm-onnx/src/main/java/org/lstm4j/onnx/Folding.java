package org.lstm4j.onnx;

import java.util.Arrays;

/** Constant folding of the few ops exporters use on constants (weights reordered, shapes built). Package-private. */
final class Folding {
    private Folding() {
    }

    static long[] strides(long[] shape) {
        long[] s = new long[shape.length];
        long k = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            s[i] = k;
            k *= shape[i];
        }
        return s;
    }

    static Tensor transpose(Tensor t, int[] perm) {
        int r = t.rank();
        long[] outShape = new long[r];
        for (int i = 0; i < r; i++) {
            outShape[i] = t.shape[perm[i]];
        }
        long[] inStr = strides(t.shape);
        double[] out = new double[t.size()];
        long[] idx = new long[r];
        for (int o = 0; o < out.length; o++) {
            long src = 0;
            for (int i = 0; i < r; i++) {
                src += idx[i] * inStr[perm[i]];
            }
            out[o] = t.values[(int) src];
            for (int i = r - 1; i >= 0; i--) {
                if (++idx[i] < outShape[i]) {
                    break;
                }
                idx[i] = 0;
            }
        }
        return new Tensor(t.type, outShape, out);
    }

    /** Slice with already-normalized start, end, step per axis. */
    static Tensor slice(Tensor t, long[] starts, long[] steps, long[] counts) {
        int r = t.rank();
        long[] inStr = strides(t.shape);
        long n = Tensor.count(counts);
        double[] out = new double[(int) n];
        long[] idx = new long[r];
        for (int o = 0; o < n; o++) {
            long src = 0;
            for (int i = 0; i < r; i++) {
                src += (starts[i] + idx[i] * steps[i]) * inStr[i];
            }
            out[o] = t.values[(int) src];
            for (int i = r - 1; i >= 0; i--) {
                if (++idx[i] < counts[i]) {
                    break;
                }
                idx[i] = 0;
            }
        }
        return new Tensor(t.type, counts, out);
    }

    static Tensor concat(Tensor[] parts, int axis) {
        long[] shape = parts[0].shape.clone();
        long total = 0;
        for (Tensor p : parts) {
            total += p.shape[axis];
        }
        shape[axis] = total;
        long outer = 1;
        for (int i = 0; i < axis; i++) {
            outer *= shape[i];
        }
        double[] out = new double[(int) Tensor.count(shape)];
        int pos = 0;
        for (long o = 0; o < outer; o++) {
            for (Tensor p : parts) {
                int block = (int) (p.size() / outer);
                System.arraycopy(p.values, (int) (o * block), out, pos, block);
                pos += block;
            }
        }
        return new Tensor(parts[0].type, shape, out);
    }

    static Tensor gather(Tensor t, int axis, Tensor indices) {
        long dim = t.shape[axis];
        long outer = 1;
        for (int i = 0; i < axis; i++) {
            outer *= t.shape[i];
        }
        long inner = 1;
        for (int i = axis + 1; i < t.rank(); i++) {
            inner *= t.shape[i];
        }
        long[] shape = new long[t.rank() - 1 + indices.rank()];
        int k = 0;
        for (int i = 0; i < axis; i++) {
            shape[k++] = t.shape[i];
        }
        for (long d : indices.shape) {
            shape[k++] = d;
        }
        for (int i = axis + 1; i < t.rank(); i++) {
            shape[k++] = t.shape[i];
        }
        double[] out = new double[(int) Tensor.count(shape)];
        int pos = 0;
        for (long o = 0; o < outer; o++) {
            for (double ix : indices.values) {
                long j = (long) ix;
                if (j < 0) {
                    j += dim;
                }
                if (j < 0 || j >= dim) {
                    throw new IllegalArgumentException("index " + (long) ix + " out of range for an axis of size " + dim);
                }
                System.arraycopy(t.values, (int) ((o * dim + j) * inner), out, pos, (int) inner);
                pos += (int) inner;
            }
        }
        return new Tensor(t.type, shape, out);
    }

    /** Numpy broadcasting of two shapes, or null when they do not broadcast. */
    static long[] broadcast(long[] a, long[] b) {
        int r = Math.max(a.length, b.length);
        long[] out = new long[r];
        for (int i = 0; i < r; i++) {
            long x = i < r - a.length ? 1 : a[i - (r - a.length)];
            long y = i < r - b.length ? 1 : b[i - (r - b.length)];
            if (x != y && x != 1 && y != 1) {
                return null;
            }
            out[i] = x == 1 ? y : x;
        }
        return out;
    }

    static Tensor binary(String op, Tensor a, Tensor b) {
        long[] shape = broadcast(a.shape, b.shape);
        if (shape == null) {
            throw new IllegalArgumentException("shapes " + Arrays.toString(a.shape) + " and " + Arrays.toString(b.shape)
                    + " do not broadcast");
        }
        int n = (int) Tensor.count(shape);
        double[] out = new double[n];
        long[] idx = new long[shape.length];
        long[] as = strides(a.shape);
        long[] bs = strides(b.shape);
        boolean isFloat = a.isFloat();
        for (int o = 0; o < n; o++) {
            long ia = 0;
            long ib = 0;
            for (int i = 0; i < shape.length; i++) {
                int ka = i - (shape.length - a.rank());
                int kb = i - (shape.length - b.rank());
                if (ka >= 0 && a.shape[ka] != 1) {
                    ia += idx[i] * as[ka];
                }
                if (kb >= 0 && b.shape[kb] != 1) {
                    ib += idx[i] * bs[kb];
                }
            }
            double x = a.values[(int) ia];
            double y = b.values[(int) ib];
            double v;
            switch (op) {
                case "Add": v = x + y; break;
                case "Sub": v = x - y; break;
                case "Mul": v = x * y; break;
                case "Div": v = isFloat ? x / y : (y == 0 ? 0 : (double) ((long) x / (long) y)); break;
                case "Equal": v = x == y ? 1 : 0; break;
                case "Less": v = x < y ? 1 : 0; break;
                case "Greater": v = x > y ? 1 : 0; break;
                case "Max": v = Math.max(x, y); break;
                case "Min": v = Math.min(x, y); break;
                default: throw new IllegalStateException(op);
            }
            // float32 arithmetic rounds each result as ONNX Runtime would.
            out[o] = a.type == Tensor.FLOAT ? (double) (float) v : v;
            for (int i = shape.length - 1; i >= 0; i--) {
                if (++idx[i] < shape[i]) {
                    break;
                }
                idx[i] = 0;
            }
        }
        int type = op.equals("Equal") || op.equals("Less") || op.equals("Greater") ? Tensor.BOOL : a.type;
        return new Tensor(type, shape, out);
    }

    static Tensor cast(Tensor t, int to) {
        double[] out = new double[t.size()];
        for (int i = 0; i < out.length; i++) {
            double v = t.values[i];
            switch (to) {
                case Tensor.FLOAT: out[i] = (float) v; break;
                case Tensor.DOUBLE: out[i] = v; break;
                case Tensor.BOOL: out[i] = v != 0 ? 1 : 0; break;
                case Tensor.INT64: case Tensor.INT32: case Tensor.INT16: case Tensor.INT8:
                case Tensor.UINT8: case Tensor.UINT16: case Tensor.UINT32: case Tensor.UINT64:
                    out[i] = v >= 9.2e18 ? Long.MAX_VALUE : v <= -9.2e18 ? Long.MIN_VALUE : (double) (long) v;
                    if (to == Tensor.INT32) {
                        out[i] = Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, out[i]));
                    }
                    break;
                default: throw new IllegalArgumentException("cast to " + Tensor.typeName(to) + " is not supported");
            }
        }
        return new Tensor(to, t.shape, out);
    }
}
