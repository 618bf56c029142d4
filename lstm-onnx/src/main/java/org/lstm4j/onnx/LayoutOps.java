package org.lstm4j.onnx;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.lstm4j.onnx.Values.Comp;
import org.lstm4j.onnx.Values.Const;
import org.lstm4j.onnx.Values.Dim;
import org.lstm4j.onnx.Values.Fill;
import org.lstm4j.onnx.Values.ShapeVec;
import org.lstm4j.onnx.Values.StateStack;
import org.lstm4j.onnx.Values.Val;
import org.lstm4j.onnx.Values.View;

/**
 * Layout views: {@code Transpose}, {@code Squeeze}, {@code Unsqueeze}, {@code Reshape} and
 * {@code Flatten} rearrange the axes of a view (or fold a constant) without touching data.
 * Package-private.
 */
final class LayoutOps {
    private LayoutOps() {
    }

    static void register(OpRegistry r) {
        String family = "layout views";
        r.add(family, LayoutOps::transpose, "Transpose");
        r.add(family, LayoutOps::squeeze, "Squeeze");
        r.add(family, LayoutOps::unsqueeze, "Unsqueeze");
        r.add(family, LayoutOps::reshape, "Reshape");
        r.add(family, LayoutOps::flatten, "Flatten");
    }

    static void transpose(Node n) {
        Val v = n.required(0, "input");
        int rank = Shapes.rankOf(v);
        long[] p = n.attrInts("perm");
        int[] perm = new int[rank];
        for (int i = 0; i < rank; i++) {
            perm[i] = p == null ? rank - 1 - i : Shapes.axis(p[i], rank);
        }
        if (p != null && p.length != rank) {
            throw new Refusal("perm " + Arrays.toString(p) + " does not fit rank " + rank);
        }
        if (v instanceof Const c) {
            n.out(0, new Const(n.charged(Folding.transpose(c.t(), perm))));
        } else if (v instanceof Fill f) {
            Dim[] d = new Dim[rank];
            for (int i = 0; i < rank; i++) {
                d[i] = f.dims()[perm[i]];
            }
            n.out(0, new Fill(f.value(), d));
        } else if (v instanceof View w) {
            List<List<Comp>> axes = new ArrayList<>();
            for (int i = 0; i < rank; i++) {
                axes.add(w.axes.get(perm[i]));
            }
            n.out(0, w.with(axes, w.fixed));
        } else {
            throw new Refusal("transposes " + Values.describe(v));
        }
    }

    static void squeeze(Node n) {
        Val v = n.required(0, "input");
        long[] ax = n.axesArg(1);
        int rank = Shapes.rankOf(v);
        Set<Integer> drop = new TreeSet<>();
        if (ax == null) {
            Dim[] dims = Shapes.dimsOf(v);
            for (int i = 0; i < rank; i++) {
                if (dims[i].isKnown(1)) {
                    drop.add(i);
                } else if (!dims[i].known()) {
                    throw new Refusal("squeezes without axes a tensor whose size " + dims[i] + " is known only at run time");
                }
            }
        } else {
            for (long a : ax) {
                drop.add(Shapes.axis(a, rank));
            }
        }
        if (v instanceof Const c) {
            n.out(0, new Const(Shapes.reshapeConst(c.t(), Shapes.removeAxes(Shapes.constDims(c.t()), drop))));
        } else if (v instanceof ShapeVec s) {
            if (s.elems().length != 1) {
                throw new Refusal("squeezes a shape of " + s.elems().length + " elements");
            }
            n.out(0, new ShapeVec(s.elems(), true));
        } else if (v instanceof Fill f) {
            n.out(0, new Fill(f.value(), Shapes.removeAxes(f.dims(), drop)));
        } else if (v instanceof View w) {
            n.out(0, squeezeView(w, drop));
        } else if (v instanceof StateStack st && st.parts().size() == 1) {
            n.out(0, squeezeView(st.parts().get(0), drop));
        } else {
            throw new Refusal("squeezes " + Values.describe(v));
        }
    }

    /** The view without the visible axes in {@code drop}, each of size 1: their source axes become fixed. */
    static View squeezeView(View w, Set<Integer> drop) {
        List<List<Comp>> axes = new ArrayList<>();
        Map<Integer, Comp> fixed = w.fixedCopy();
        for (int i = 0; i < w.rank(); i++) {
            if (!drop.contains(i)) {
                axes.add(w.axes.get(i));
                continue;
            }
            List<Comp> a = w.axes.get(i);
            if (!w.dim(i).isKnown(1)) {
                throw new Refusal("squeezes axis " + i + " of size " + w.dim(i) + " of " + w.src + " (only size-1 axes can be squeezed)");
            }
            for (Comp c : a) {
                fixed.put(c.axis, c);
            }
        }
        return w.with(axes, fixed);
    }

    static void unsqueeze(Node n) {
        Val v = n.required(0, "input");
        long[] ax = n.axesArg(1);
        if (ax == null) {
            throw new Refusal("has no axes");
        }
        int rank = Shapes.rankOf(v) + ax.length;
        TreeSet<Integer> add = new TreeSet<>();
        for (long a : ax) {
            add.add(Shapes.axis(a, rank));
        }
        if (v instanceof Const c) {
            n.out(0, new Const(Shapes.reshapeConst(c.t(), Shapes.insertOnes(Shapes.constDims(c.t()), add))));
        } else if (v instanceof ShapeVec s) {
            if (!s.scalar() || ax.length != 1) {
                throw new Refusal("unsqueezes a shape vector to rank " + rank);
            }
            n.out(0, new ShapeVec(s.elems(), false));
        } else if (v instanceof Fill f) {
            n.out(0, new Fill(f.value(), Shapes.insertOnes(f.dims(), add)));
        } else if (v instanceof View w) {
            List<List<Comp>> axes = new ArrayList<>();
            int k = 0;
            for (int i = 0; i < rank; i++) {
                axes.add(add.contains(i) ? List.of() : w.axes.get(k++));
            }
            n.out(0, w.with(axes, w.fixed));
        } else {
            throw new Refusal("unsqueezes " + Values.describe(v));
        }
    }

    static void flatten(Node n) {
        Val v = n.required(0, "input");
        int rank = Shapes.rankOf(v);
        int a = Shapes.axis(n.attrInt("axis", 1), rank + 1);
        Dim[] dims = Shapes.dimsOf(v);
        List<Dim> left = new ArrayList<>(Arrays.asList(dims).subList(0, a));
        List<Dim> right = new ArrayList<>(Arrays.asList(dims).subList(a, rank));
        Dim[] target = {Values.product(left.isEmpty() ? List.of(Dim.of(1)) : left),
            Values.product(right.isEmpty() ? List.of(Dim.of(1)) : right)};
        if (v instanceof View w && a == rank - 1 && rank == 2) {
            n.out(0, w);
            return;
        }
        n.out(0, reshaped(v, target));
    }

    static void reshape(Node n) {
        Val v = n.required(0, "input");
        Dim[] target = Shapes.shapeArg(n.required(1, "shape"), "its input shape").clone();
        boolean allowZero = n.attrInt("allowzero", 0) != 0;
        Dim[] dims = Shapes.dimsOf(v);
        for (int i = 0; i < target.length; i++) {
            if (target[i].isKnown(0) && !allowZero) {
                if (i >= dims.length) {
                    throw new Refusal("copies dimension " + i + " (0 in the shape) of a rank-" + dims.length + " tensor");
                }
                target[i] = dims[i];
            }
        }
        n.out(0, reshaped(v, target));
    }

    private static Val reshaped(Val v, Dim[] target) {
        if (v instanceof Const c) {
            return new Const(Shapes.reshapeConst(c.t(), resolveKnown(Shapes.constDims(c.t()), target)));
        } else if (v instanceof ShapeVec s) {
            long n = 1;
            for (Dim d : target) {
                n *= d.isKnown(-1) ? 1 : d.value;
            }
            if (target.length > 1 || n != s.elems().length && !(target.length == 1 && target[0].isKnown(-1))) {
                throw new Refusal("reshapes a shape vector to " + Arrays.toString(target));
            }
            return new ShapeVec(s.elems(), target.length == 0);
        } else if (v instanceof Fill f) {
            int minus = -1;
            for (int i = 0; i < target.length; i++) {
                if (target[i].isKnown(-1)) {
                    minus = i;
                }
            }
            Dim[] t = target.clone();
            if (minus >= 0) {
                t[minus] = Shapes.allKnown(f.dims()) ? resolveKnown(f.dims(), target)[minus] : Dim.unknown();
            }
            return new Fill(f.value(), t);
        } else if (v instanceof View w) {
            return ViewReshape.reshape(w, target);
        }
        throw new Refusal("reshapes " + Values.describe(v));
    }

    /** A target shape for known sizes, with its -1 worked out. */
    private static Dim[] resolveKnown(Dim[] dims, Dim[] target) {
        long total = 1;
        for (Dim d : dims) {
            total *= d.value;
        }
        long known = 1;
        int minus = -1;
        Dim[] out = target.clone();
        for (int i = 0; i < target.length; i++) {
            if (!target[i].known()) {
                throw new Refusal("reshapes a constant to a run-time shape");
            }
            if (target[i].value == -1) {
                if (minus >= 0) {
                    throw new Refusal("has two -1 entries in its shape");
                }
                minus = i;
            } else {
                known *= target[i].value;
            }
        }
        if (minus >= 0) {
            if (known == 0 || total % known != 0) {
                throw new Refusal("cannot infer the -1 of shape " + Arrays.toString(target) + " for " + total + " elements");
            }
            out[minus] = Dim.of(total / known);
        }
        return out;
    }
}
