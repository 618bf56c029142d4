package org.lstm4j.onnx;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.lstm4j.onnx.Values.Const;
import org.lstm4j.onnx.Values.Dim;
import org.lstm4j.onnx.Values.Fill;
import org.lstm4j.onnx.Values.ShapeVec;
import org.lstm4j.onnx.Values.StateStack;
import org.lstm4j.onnx.Values.Val;
import org.lstm4j.onnx.Values.View;

/** Ranks, shapes and axis arithmetic of any value, as every handler needs them. Package-private. */
final class Shapes {
    private Shapes() {
    }

    /** An ONNX axis attribute normalised against a rank (negative counts from the end). */
    static int axis(long a, int rank) {
        long x = a < 0 ? a + rank : a;
        if (x < 0 || x >= rank) {
            throw new IllegalArgumentException("axis " + a + " is out of range for rank " + rank);
        }
        return (int) x;
    }

    /** A position that may count from the end. */
    static long norm(long i, long n) {
        return i < 0 ? i + n : i;
    }

    static boolean allKnown(Dim[] dims) {
        for (Dim d : dims) {
            if (!d.known()) {
                return false;
            }
        }
        return true;
    }

    static Dim[] constDims(Tensor t) {
        Dim[] d = new Dim[t.rank()];
        for (int i = 0; i < d.length; i++) {
            d[i] = Dim.of(t.shape[i]);
        }
        return d;
    }

    static int rankOf(Val v) {
        if (v instanceof Const c) {
            return c.t().rank();
        }
        if (v instanceof Fill f) {
            return f.dims().length;
        }
        if (v instanceof View w) {
            return w.rank();
        }
        if (v instanceof ShapeVec s) {
            return s.scalar() ? 0 : 1;
        }
        if (v instanceof StateStack s) {
            return s.parts().get(0).rank();
        }
        throw new Refusal("cannot tell the rank of " + v);
    }

    static Dim[] dimsOf(Val v) {
        if (v instanceof Const c) {
            return constDims(c.t());
        }
        if (v instanceof Fill f) {
            return f.dims();
        }
        if (v instanceof View w) {
            return w.dims();
        }
        if (v instanceof ShapeVec s) {
            return s.scalar() ? new Dim[0] : new Dim[] {Dim.of(s.elems().length)};
        }
        throw new Refusal("cannot tell the shape of " + v);
    }

    /** Numpy broadcasting of two symbolic shapes (a size 1 gives way to the other). */
    static Dim[] broadcastDims(Dim[] a, Dim[] b) {
        int r = Math.max(a.length, b.length);
        Dim[] out = new Dim[r];
        for (int i = 0; i < r; i++) {
            Dim x = i < r - a.length ? Dim.of(1) : a[i - (r - a.length)];
            Dim y = i < r - b.length ? Dim.of(1) : b[i - (r - b.length)];
            out[i] = x.isKnown(1) ? y : x;
        }
        return out;
    }

    /** The shape without the axes in {@code drop}, each of which must have size 1 (or a size known only at run time). */
    static Dim[] removeAxes(Dim[] dims, Set<Integer> drop) {
        List<Dim> out = new ArrayList<>();
        for (int i = 0; i < dims.length; i++) {
            if (drop.contains(i)) {
                if (!dims[i].isKnown(1) && dims[i].known()) {
                    throw new Refusal("squeezes axis " + i + " of size " + dims[i] + " (only size-1 axes can be squeezed)");
                }
            } else {
                out.add(dims[i]);
            }
        }
        return out.toArray(new Dim[0]);
    }

    static Dim[] insertOnes(Dim[] dims, Set<Integer> add) {
        Dim[] out = new Dim[dims.length + add.size()];
        int k = 0;
        for (int i = 0; i < out.length; i++) {
            out[i] = add.contains(i) ? Dim.of(1) : dims[k++];
        }
        return out;
    }

    /** A constant with a new shape of the same element count. */
    static Tensor reshapeConst(Tensor t, Dim[] dims) {
        long[] shape = new long[dims.length];
        for (int i = 0; i < dims.length; i++) {
            shape[i] = dims[i].value;
        }
        if (Tensor.count(shape) != t.size()) {
            throw new Refusal("reshapes " + t + " to " + Arrays.toString(shape));
        }
        return new Tensor(t.type, shape, t.values);
    }

    /** A shape operand: a constant 1-D tensor or a shape vector with symbolic sizes. */
    static Dim[] shapeArg(Val v, String what) {
        if (v instanceof Const c) {
            if (c.t().rank() > 1) {
                throw new Refusal(what + " must be a 1-D shape, got " + c.t());
            }
            Dim[] d = new Dim[c.t().size()];
            for (int i = 0; i < d.length; i++) {
                d[i] = Dim.of((long) c.t().values[i]);
            }
            return d;
        }
        if (v instanceof ShapeVec s) {
            return s.elems();
        }
        throw new Refusal(what + " must be a shape, but it is computed from " + Values.describe(v));
    }
}
