package org.lstm4j.onnx;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.lstm4j.model.MergeMode;

/**
 * What the importer knows about each value of a graph: a constant ({@link Const}), a shape vector
 * that may hold symbolic sizes ({@link ShapeVec}), a tensor filled with one number whose shape may
 * be symbolic ({@link Fill}, zero initial states built at run time), a view of a data tensor of the
 * network ({@link View}: which axes of which source tensor, selected, permuted, merged), or a stack
 * of LSTM final states ({@link StateStack}). Package-private.
 */
final class Values {
    private Values() {
    }

    /** A size: known, or a symbol plus an offset (the time axis T, T - 1, ...). */
    static final class Dim {
        final Object sym;
        final long value;

        private Dim(Object sym, long value) {
            this.sym = sym;
            this.value = value;
        }

        static Dim of(long v) {
            return new Dim(null, v);
        }

        static Dim symbol(Object key) {
            return new Dim(key, 0);
        }

        /** A size nothing else equals. */
        static Dim unknown() {
            return new Dim(new Object() {
                @Override
                public String toString() {
                    return "?";
                }
            }, 0);
        }

        boolean known() {
            return sym == null;
        }

        boolean isKnown(long v) {
            return sym == null && value == v;
        }

        Dim plus(long k) {
            return new Dim(sym, value + k);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Dim d && Objects.equals(sym, d.sym) && value == d.value;
        }

        @Override
        public int hashCode() {
            return Objects.hash(sym, value);
        }

        @Override
        public String toString() {
            if (sym == null) {
                return Long.toString(value);
            }
            return value == 0 ? sym.toString() : sym + (value > 0 ? "+" : "") + value;
        }
    }

    /** A product of run-time sizes times a known factor (B * T, 6 * B), compared as a multiset. */
    static final class ProdKey {
        final long coef;
        final List<Object> syms;

        ProdKey(long coef, List<Object> syms) {
            this.coef = coef;
            this.syms = syms;
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof ProdKey p) || p.coef != coef || p.syms.size() != syms.size()) {
                return false;
            }
            List<Object> rest = new ArrayList<>(p.syms);
            for (Object x : syms) {
                boolean found = false;
                for (int i = 0; i < rest.size(); i++) {
                    if (rest.get(i).equals(x)) {
                        rest.remove(i);
                        found = true;
                        break;
                    }
                }
                if (!found) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public int hashCode() {
            int h = Long.hashCode(coef);
            for (Object x : syms) {
                h += x.hashCode();
            }
            return h;
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder();
            if (coef != 1) {
                sb.append(coef);
            }
            for (Object x : syms) {
                sb.append(sb.length() > 0 ? "*" : "").append(x);
            }
            return sb.toString();
        }
    }

    static Dim product(List<Dim> dims) {
        long coef = 1;
        List<Object> syms = new ArrayList<>();
        for (Dim d : dims) {
            if (d.known()) {
                coef *= d.value;
            } else if (d.value != 0) {
                return dims.size() == 1 ? d : Dim.unknown();
            } else if (d.sym instanceof ProdKey p) {
                coef *= p.coef;
                syms.addAll(p.syms);
            } else {
                syms.add(d.sym);
            }
        }
        if (syms.isEmpty() || coef == 0) {
            return Dim.of(coef);
        }
        if (syms.size() == 1 && coef == 1) {
            return Dim.symbol(syms.get(0));
        }
        return Dim.symbol(new ProdKey(coef, syms));
    }

    /** Marker for every kind of value. */
    interface Val {
    }

    /** What a value is, for messages. */
    static String describe(Val v) {
        if (v instanceof View w) {
            return "the " + w.src;
        }
        if (v instanceof ShapeVec s) {
            return "a shape with sizes known only at run time " + s;
        }
        if (v instanceof Fill) {
            return "a filled tensor of run-time shape";
        }
        return v.toString();
    }

    record Const(Tensor t) implements Val {
    }

    /** An integer tensor of rank 0 or 1 whose elements may be symbolic. */
    record ShapeVec(Dim[] elems, boolean scalar) implements Val {
        boolean allKnown() {
            for (Dim d : elems) {
                if (!d.known()) {
                    return false;
                }
            }
            return true;
        }

        Tensor toTensor() {
            double[] v = new double[elems.length];
            for (int i = 0; i < v.length; i++) {
                v[i] = elems[i].value;
            }
            return new Tensor(Tensor.INT64, scalar ? new long[0] : new long[] {v.length}, v);
        }

        @Override
        public String toString() {
            return Arrays.toString(elems);
        }
    }

    /** A tensor whose every element is {@code value}. */
    record Fill(double value, Dim[] dims) implements Val {
    }

    /** A tensor filled with one run-time size (sequence lengths all equal to the time axis T, as tf2onnx builds for ReverseV2). */
    record DimFill(Dim value, Dim[] dims) implements Val {
    }

    /** TopK's indices over a sequence-lengths graph input: the permutation that sorts the batch by length, descending. */
    record SortPerm(String port, Dim n) implements Val {
    }

    /** TopK's values: the lengths in that sorted order. */
    record SortedLens(String port) implements Val {
    }

    /** The inverse of a {@link SortPerm} (ScatterElements of 0..n-1 at the permutation). */
    record InversePerm(String port) implements Val {
    }

    /** Range(0, n, 1). */
    record Iota(Dim n) implements Val {
    }

    /** Which token ids are negative ({@code ids < 0}), or not: a mask over an integer graph input (Keras's id wrap). */
    record IdMask(View ids, boolean negative) implements Val {
    }

    /** {@code (ids + offset)}, times a mask of the same ids when {@code where} is not null. */
    record IdTerm(View ids, long offset, IdMask where) implements Val {
    }

    /** {@code where(ids < 0, ids + modulus, ids)}: the ids as a lookup that wraps negative ids reads them. */
    record WrappedIds(View ids, long modulus) implements Val {
    }

    /**
     * {@code x * scale + shift} along source axis {@code axis} of a graph input, one value per index
     * of that axis; with {@code axis} -1 (a constant the same everywhere) one value each.
     */
    record InputAffine(int axis, float[] scale, float[] shift) {
        static InputAffine shiftBy(int axis, float[] t) {
            float[] ones = new float[t.length];
            Arrays.fill(ones, 1f);
            return new InputAffine(axis, ones, t);
        }

        static InputAffine scaleBy(int axis, float[] s) {
            return new InputAffine(axis, s, new float[s.length]);
        }

        /** {@code c - x}. */
        static InputAffine negated(int axis, float[] c) {
            float[] minusOnes = new float[c.length];
            Arrays.fill(minusOnes, -1f);
            return new InputAffine(axis, minusOnes, c);
        }

        /** {@code next} applied after this one, or null when the two vary along different axes. */
        InputAffine then(InputAffine next) {
            if (axis >= 0 && next.axis >= 0 && axis != next.axis) {
                return null;
            }
            int n = Math.max(scale.length, next.scale.length);
            float[] s = new float[n];
            float[] t = new float[n];
            for (int i = 0; i < n; i++) {
                // (x * s1 + t1) * s2 + t2
                s[i] = scaleAt(i) * next.scaleAt(i);
                t[i] = shiftAt(i) * next.scaleAt(i) + next.shiftAt(i);
            }
            return new InputAffine(Math.max(axis, next.axis), s, t);
        }

        float scaleAt(int i) {
            return scale.length == 1 ? scale[0] : scale[i];
        }

        float shiftAt(int i) {
            return shift.length == 1 ? shift[0] : shift[i];
        }
    }

    /** The role of a source tensor's axis. */
    enum Role { BATCH, TIME, DIR, FEAT, UNKNOWN }

    /** Which data tensor a view looks at. */
    enum Kind { INPUT, EMBEDDED, LSTM_Y, LSTM_YH, LSTM_YC, DENSE }

    /** A data tensor of the network: a graph input, an LSTM output or a dense layer's output. */
    static final class Source {
        final Kind kind;
        final Stages.Stage stage;
        final String inputName;
        final Dim[] dims;
        final Role[] roles;
        /** Preprocessing by constants that the LSTM reading this graph input folds into its weights, or null. */
        InputAffine affine;

        Source(Kind kind, Stages.Stage stage, String inputName, Dim[] dims, Role[] roles) {
            this.kind = kind;
            this.stage = stage;
            this.inputName = inputName;
            this.dims = dims;
            this.roles = roles;
        }

        int axisOf(Role r) {
            for (int i = 0; i < roles.length; i++) {
                if (roles[i] == r) {
                    return i;
                }
            }
            return -1;
        }

        @Override
        public String toString() {
            return kind == Kind.INPUT ? "graph input '" + inputName + "'"
                    : kind == Kind.EMBEDDED ? "embedding of graph input '" + inputName + "'" : kind + " of " + stage;
        }
    }

    /** How a view selects along one source axis. */
    enum Sel { FULL, LAST, FIRST, RANGE }

    /** One source axis as a view sees it. */
    static final class Comp {
        final int axis;
        final Sel sel;
        final long lo;
        final long hi;
        final boolean reversed;

        Comp(int axis, Sel sel, long lo, long hi, boolean reversed) {
            this.axis = axis;
            this.sel = sel;
            this.lo = lo;
            this.hi = hi;
            this.reversed = reversed;
        }

        static Comp full(Source s, int axis) {
            Dim d = s.dims[axis];
            return d.known() ? new Comp(axis, Sel.RANGE, 0, d.value, false) : new Comp(axis, Sel.FULL, 0, 0, false);
        }

        Dim size(Source s) {
            switch (sel) {
                case FULL: return s.dims[axis];
                case RANGE: return Dim.of(hi - lo);
                default: return Dim.of(1);
            }
        }

        boolean isFull(Source s) {
            return sel == Sel.FULL || sel == Sel.RANGE && lo == 0 && s.dims[axis].isKnown(hi);
        }

        /** The last index of the axis (y[T-1]): LAST, or the last position of a known axis. */
        boolean isLast(Source s) {
            return sel == Sel.LAST || sel == Sel.RANGE && hi - lo == 1 && s.dims[axis].isKnown(hi);
        }

        boolean isFirst() {
            return sel == Sel.FIRST || sel == Sel.RANGE && lo == 0 && hi == 1;
        }

        /** A single fixed index of a known axis, or -1. */
        long index() {
            return sel == Sel.RANGE && hi - lo == 1 ? lo : -1;
        }

        @Override
        public String toString() {
            String r = sel == Sel.RANGE ? lo + ":" + hi : sel.toString();
            return "a" + axis + "[" + r + (reversed ? ",rev" : "") + "]";
        }
    }

    /** A view of a source tensor: visible axes (each a list of merged source axes, empty = inserted size 1) and fixed ones. */
    static final class View implements Val {
        final Source src;
        final List<List<Comp>> axes;
        final Map<Integer, Comp> fixed;
        /** How the direction axis was folded by an elementwise merge of its two halves (Keras Bidirectional), or null. */
        final MergeMode merge;
        /** Pending scale after a SUM merge: 0.5 makes it AVE. */
        final double scale;
        /**
         * The graph input of sequence lengths whose descending order the batch axis ({@link #sortedAxis}, a
         * source axis) is in, or null: PyTorch's pack_padded_sequence sorts the batch before the LSTM and
         * pad_packed_sequence restores it after.
         */
        final String sortedBy;
        final int sortedAxis;

        View(Source src, List<List<Comp>> axes, Map<Integer, Comp> fixed, MergeMode merge, double scale) {
            this(src, axes, fixed, merge, scale, null, -1);
        }

        View(Source src, List<List<Comp>> axes, Map<Integer, Comp> fixed, MergeMode merge, double scale, String sortedBy, int sortedAxis) {
            this.src = src;
            this.axes = axes;
            this.fixed = fixed;
            this.merge = merge;
            this.scale = scale;
            this.sortedBy = sortedBy;
            this.sortedAxis = sortedAxis;
        }

        View sorted(String by, int axis) {
            return new View(src, axes, fixed, merge, scale, by, axis);
        }

        static View identity(Source s) {
            List<List<Comp>> axes = new ArrayList<>();
            for (int i = 0; i < s.dims.length; i++) {
                axes.add(List.of(Comp.full(s, i)));
            }
            return new View(s, axes, Map.of(), null, 1.0);
        }

        /** The same arrangement of another source with the same axes (a dense output after its bias or activation). */
        static View identityPermuted(Source s, View like) {
            return new View(s, like.axes, like.fixed, null, 1.0);
        }

        View with(List<List<Comp>> newAxes, Map<Integer, Comp> newFixed) {
            return new View(src, newAxes, newFixed, merge, scale, sortedBy, sortedAxis);
        }

        int rank() {
            return axes.size();
        }

        Dim dim(int i) {
            List<Comp> a = axes.get(i);
            if (a.isEmpty()) {
                return Dim.of(1);
            }
            List<Dim> ds = new ArrayList<>();
            for (Comp c : a) {
                ds.add(c.size(src));
            }
            return product(ds);
        }

        Dim[] dims() {
            Dim[] out = new Dim[rank()];
            for (int i = 0; i < out.length; i++) {
                out[i] = dim(i);
            }
            return out;
        }

        Map<Integer, Comp> fixedCopy() {
            return new HashMap<>(fixed);
        }

        /** The visible axis holding source axis {@code a} alone, or -1. */
        int visibleAlone(int a) {
            for (int i = 0; i < axes.size(); i++) {
                if (axes.get(i).size() == 1 && axes.get(i).get(0).axis == a) {
                    return i;
                }
            }
            return -1;
        }

        @Override
        public String toString() {
            return "view of " + src + " " + axes + (fixed.isEmpty() ? "" : " fixed " + fixed.values())
                    + (merge == null ? "" : " merged " + merge);
        }
    }

    /** LSTM final states concatenated along the first axis (PyTorch's h_n of several layers). */
    record StateStack(List<View> parts) implements Val {
    }
}
