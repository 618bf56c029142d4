package org.lstm4j.onnx;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.lstm4j.onnx.OpRegistry.Outputs;
import org.lstm4j.onnx.Values.Comp;
import org.lstm4j.onnx.Values.Const;
import org.lstm4j.onnx.Values.Dim;
import org.lstm4j.onnx.Values.Fill;
import org.lstm4j.onnx.Values.InversePerm;
import org.lstm4j.onnx.Values.Sel;
import org.lstm4j.onnx.Values.ShapeVec;
import org.lstm4j.onnx.Values.SortPerm;
import org.lstm4j.onnx.Values.StateStack;
import org.lstm4j.onnx.Values.Val;
import org.lstm4j.onnx.Values.View;

/**
 * Slicing and gathering: {@code Slice} (starts and ends as attributes before opset 10, as inputs
 * since), {@code Gather} of fixed positions (of token ids into a table: {@link TokenEmbeddings}),
 * {@code Split}. On a view they select along a source
 * axis: the whole axis, the first or last time step, a range of a known-size axis, the axis
 * reversed. Package-private.
 */
final class SliceOps {
    private SliceOps() {
    }

    /** Slice bounds at or beyond this mean "to the end" (exporters write INT32_MAX or INT64_MAX). */
    static final long BIG = Integer.MAX_VALUE;

    static void register(OpRegistry r) {
        String family = "slicing";
        r.add(family, 1, 9, SliceOps::sliceByAttributes, "Slice");
        r.add(family, 10, OpRegistry.LATEST, SliceOps::sliceByInputs, "Slice");
        r.add(family, 1, 12, Outputs.atLeast(1), n -> split(n, false), "Split");
        r.add(family, 13, OpRegistry.LATEST, Outputs.atLeast(1), n -> split(n, true), "Split");
        r.add(family, SliceOps::gather, "Gather");
    }

    /** Slice-1: starts, ends and axes are attributes; steps are always 1. */
    static void sliceByAttributes(Node n) {
        Val v = n.required(0, "input");
        int rank = Shapes.rankOf(v);
        long[] starts = n.attrInts("starts");
        long[] ends = n.attrInts("ends");
        if (starts == null || ends == null) {
            throw new Refusal("has no starts or ends");
        }
        Dim[] s = new Dim[starts.length];
        Dim[] e = new Dim[ends.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = Dim.of(starts[i]);
        }
        for (int i = 0; i < e.length; i++) {
            e[i] = Dim.of(ends[i]);
        }
        slice(n, v, rank, s, e, n.attrInts("axes"), null);
    }

    /** Slice-10 and later: starts and ends may be shapes with run-time sizes (T - 1), axes and steps constants. */
    static void sliceByInputs(Node n) {
        Val v = n.required(0, "input");
        int rank = Shapes.rankOf(v);
        Dim[] s = Shapes.shapeArg(n.required(1, "starts"), "its starts");
        Dim[] e = Shapes.shapeArg(n.required(2, "ends"), "its ends");
        Tensor a = n.constIn(3, "axes");
        Tensor st = n.constIn(4, "steps");
        slice(n, v, rank, s, e, a == null ? null : a.toLongs(), st == null ? null : st.toLongs());
    }

    private static void slice(Node n, Val v, int rank, Dim[] starts, Dim[] ends, long[] axes, long[] steps) {
        int count = starts.length;
        if (axes == null) {
            axes = new long[count];
            for (int i = 0; i < count; i++) {
                axes[i] = i;
            }
        }
        if (steps == null) {
            steps = new long[count];
            Arrays.fill(steps, 1);
        }
        if (axes.length != count || steps.length != count || ends.length != count) {
            throw new Refusal("starts, ends, axes and steps differ in length");
        }
        Val cur = v;
        for (int k = 0; k < count; k++) {
            cur = sliceAxis(n, cur, Shapes.axis(axes[k], rank), starts[k], ends[k], steps[k]);
        }
        n.out(0, cur);
    }

    /** Normalised [start, end) with step of a known-size axis, as ONNX Slice clamps them: {start, count}. */
    static long[] clampSlice(long dim, long start, long end, long step) {
        if (step == 0) {
            throw new IllegalArgumentException("a slice step of 0");
        }
        long s = start < 0 ? start + dim : start;
        long e = end < 0 ? end + dim : end;
        if (step > 0) {
            s = Math.max(0, Math.min(dim, s));
            e = Math.max(0, Math.min(dim, e));
        } else {
            s = Math.max(-1, Math.min(dim - 1, s));
            e = Math.max(-1, Math.min(dim - 1, e));
        }
        long count = step > 0 ? Math.max(0, (e - s + step - 1) / step) : Math.max(0, (s - e + (-step) - 1) / (-step));
        return new long[] {s, count};
    }

    /** One axis of any value sliced; a folded constant is charged to node {@code n}. */
    static Val sliceAxis(Node n, Val v, int ax, Dim start, Dim end, long step) {
        if (v instanceof Const c) {
            if (!start.known() || !end.known()) {
                throw new Refusal("slices a constant at positions known only at run time");
            }
            long[] st = new long[c.t().rank()];
            long[] sp = new long[c.t().rank()];
            long[] cnt = c.t().shape.clone();
            Arrays.fill(sp, 1);
            long[] r = clampSlice(c.t().shape[ax], start.value, end.value, step);
            st[ax] = r[0];
            sp[ax] = step;
            cnt[ax] = r[1];
            return new Const(n.charged(Folding.slice(c.t(), st, sp, cnt)));
        }
        if (v instanceof ShapeVec s) {
            if (!start.known() || !end.known() || step != 1 || s.scalar()) {
                throw new Refusal("slices a shape vector at run-time positions");
            }
            long[] r = clampSlice(s.elems().length, start.value, end.value, 1);
            Dim[] d = Arrays.copyOfRange(s.elems(), (int) r[0], (int) (r[0] + r[1]));
            ShapeVec out = new ShapeVec(d, false);
            return out.allKnown() ? new Const(out.toTensor()) : out;
        }
        if (v instanceof StateStack st && ax == 0) {
            return sliceStack(st, start, end, step);
        }
        if (v instanceof View w) {
            return sliceView(w, ax, start, end, step);
        }
        if (v instanceof Fill f) {
            Dim d = f.dims()[ax];
            Dim[] dims = f.dims().clone();
            if (d.known() && start.known() && end.known()) {
                dims[ax] = Dim.of(clampSlice(d.value, start.value, end.value, step)[1]);
            } else {
                dims[ax] = Dim.unknown();
            }
            return new Fill(f.value(), dims);
        }
        throw new Refusal("slices " + Values.describe(v));
    }

    private static Val sliceStack(StateStack st, Dim start, Dim end, long step) {
        long total = 0;
        for (View p : st.parts()) {
            total += p.dim(0).value;
        }
        if (!start.known() || !end.known() || step != 1) {
            throw new Refusal("selects final states at run-time positions");
        }
        long[] r = clampSlice(total, start.value, end.value, 1);
        long lo = r[0];
        long hi = r[0] + r[1];
        List<View> parts = new ArrayList<>();
        long row = 0;
        for (View p : st.parts()) {
            long n = p.dim(0).value;
            long a = Math.max(lo, row);
            long b = Math.min(hi, row + n);
            if (a < b) {
                parts.add(a == row && b == row + n ? p : (View) sliceView(p, 0, Dim.of(a - row), Dim.of(b - row), 1));
            }
            row += n;
        }
        return parts.size() == 1 ? parts.get(0) : new StateStack(parts);
    }

    /** The position a slice bound names on an axis of run-time size {@code n}: {fromEnd ? 1 : 0, offset}. */
    private static long[] position(Dim bound, Dim n) {
        if (!bound.known()) {
            if (bound.sym.equals(n.sym)) {
                return new long[] {1, bound.value - n.value};
            }
            return null;
        }
        long b = bound.value;
        if (b >= BIG) {
            return new long[] {1, 0};
        }
        if (b <= -BIG) {
            return new long[] {0, -1};
        }
        return b < 0 ? new long[] {1, b} : new long[] {0, b};
    }

    static Val sliceView(View w, int ax, Dim start, Dim end, long step) {
        List<Comp> a = w.axes.get(ax);
        Dim size = w.dim(ax);
        if (a.size() != 1) {
            if (size.known() && start.known() && end.known()) {
                long[] r = clampSlice(size.value, start.value, end.value, step);
                if (r[0] == 0 && r[1] == size.value && step == 1) {
                    return w;
                }
            }
            throw new Refusal("slices axis " + ax + " of " + w.src + ", which merges " + a.size() + " axes");
        }
        Comp c = a.get(0);
        Comp n;
        Dim srcDim = w.src.dims[c.axis];
        if (c.sel == Sel.FULL) {
            long[] s = position(start, srcDim);
            long[] e = position(end, srcDim);
            if (s == null || e == null) {
                throw new Refusal("slices " + w.src + " at run-time positions it cannot relate to the axis size");
            }
            if (step == 1 && s[0] == 0 && s[1] == 0 && e[0] == 1 && e[1] >= 0) {
                return w;
            }
            if (step == 1 && s[0] == 1 && s[1] == -1 && e[0] == 1 && e[1] >= 0) {
                n = new Comp(c.axis, c.reversed ? Sel.FIRST : Sel.LAST, 0, 0, c.reversed);
            } else if (step == 1 && s[0] == 0 && s[1] == 0 && e[0] == 0 && e[1] == 1) {
                n = new Comp(c.axis, c.reversed ? Sel.LAST : Sel.FIRST, 0, 0, c.reversed);
            } else if (step == -1 && (s[0] == 1 && s[1] >= -1) && (e[0] == 0 && e[1] == -1 || e[0] == 1 && e[1] <= -BIG)) {
                n = new Comp(c.axis, Sel.FULL, 0, 0, !c.reversed);
            } else {
                throw new Refusal("slices steps " + start + ":" + end + ":" + step + " of an axis of run-time size " + srcDim + " of "
                        + w.src + "; only the whole axis, its first or its last step, or the whole axis reversed can be mapped");
            }
        } else if (c.sel == Sel.LAST || c.sel == Sel.FIRST) {
            long[] r = start.known() && end.known() ? clampSlice(1, start.value, end.value, step) : null;
            if (r == null || r[1] != 1) {
                throw new Refusal("slices a single step of " + w.src + " again");
            }
            return w;
        } else {
            if (!start.known() || !end.known()) {
                throw new Refusal("slices a known-size axis at run-time positions");
            }
            long len = c.hi - c.lo;
            long[] r = clampSlice(len, start.value, end.value, step);
            if (step == 1) {
                long lo = c.reversed ? c.hi - r[0] - r[1] : c.lo + r[0];
                n = new Comp(c.axis, Sel.RANGE, lo, lo + r[1], c.reversed);
            } else if (step == -1 && r[1] == len) {
                n = new Comp(c.axis, Sel.RANGE, c.lo, c.hi, !c.reversed);
            } else if (r[1] == 1) {
                long lo = c.reversed ? c.hi - 1 - r[0] : c.lo + r[0];
                n = new Comp(c.axis, Sel.RANGE, lo, lo + 1, c.reversed);
            } else {
                throw new Refusal("slices " + w.src + " with step " + step);
            }
        }
        List<List<Comp>> axes = new ArrayList<>(w.axes);
        axes.set(ax, List.of(n));
        return w.with(axes, w.fixed);
    }

    static void gather(Node n) {
        Val v = n.required(0, "data");
        Val idx = n.required(1, "indices");
        int rank = Shapes.rankOf(v);
        int ax = Shapes.axis(n.attrInt("axis", 0), rank);
        if (TokenEmbeddings.isLookup(n.state, v, idx, ax)) {
            n.out(0, TokenEmbeddings.lookup(n, ((Const) v).t(), idx));
            return;
        }
        if (idx instanceof SortPerm || idx instanceof InversePerm) {
            Val permuted = PyTorchPackedSequences.gatherBatch(v, ax, idx);
            if (permuted != null) {
                n.out(0, permuted);
                return;
            }
        }
        Tensor indices;
        if (idx instanceof Const ic) {
            indices = ic.t();
        } else if (idx instanceof ShapeVec s && s.scalar() && v instanceof View) {
            // y[T - 1] with T taken from Shape at run time.
            n.out(0, LayoutOps.squeezeView((View) sliceView((View) v, ax, s.elems()[0], s.elems()[0].plus(1), 1), Set.of(ax)));
            return;
        } else {
            throw new Refusal("gathers with indices computed from " + Values.describe(idx));
        }
        if (v instanceof Const c) {
            n.out(0, new Const(n.charged(Folding.gather(c.t(), ax, indices))));
            return;
        }
        if (indices.size() != 1) {
            if (v instanceof ShapeVec s && indices.rank() == 1) {
                Dim[] d = new Dim[indices.size()];
                for (int i = 0; i < d.length; i++) {
                    d[i] = s.elems()[(int) Shapes.norm((long) indices.values[i], s.elems().length)];
                }
                n.out(0, new ShapeVec(d, false));
                return;
            }
            throw new Refusal("gathers " + indices.size() + " indices at once from " + Values.describe(v));
        }
        long i = (long) indices.values[0];
        boolean keep = indices.rank() == 1;
        if (v instanceof ShapeVec s) {
            Dim d = s.elems()[(int) Shapes.norm(i, s.elems().length)];
            ShapeVec r = new ShapeVec(new Dim[] {d}, !keep);
            n.out(0, r.allKnown() ? new Const(r.toTensor()) : r);
            return;
        }
        Val sliced = sliceAxis(n, v, ax, Dim.of(i), Dim.of(i == -1 ? BIG : i + 1), 1);
        if (keep) {
            n.out(0, sliced);
        } else if (sliced instanceof View sv) {
            n.out(0, LayoutOps.squeezeView(sv, Set.of(ax)));
        } else if (sliced instanceof Fill f) {
            n.out(0, new Fill(f.value(), Shapes.removeAxes(f.dims(), Set.of(ax))));
        } else {
            throw new Refusal("gathers from " + Values.describe(v));
        }
    }

    /** Split: sizes from the {@code split} attribute (or input since opset 13), else equal parts (num_outputs since 18). */
    static void split(Node n, boolean splitAsInput) {
        Val v = n.required(0, "input");
        int rank = Shapes.rankOf(v);
        int ax = Shapes.axis(n.attrInt("axis", 0), rank);
        long[] sizes = n.attrInts("split");
        if (sizes == null && splitAsInput) {
            Tensor t = n.constIn(1, "split");
            sizes = t == null ? null : t.toLongs();
        }
        int outs = n.outputCount();
        if (sizes == null) {
            Dim d = Shapes.dimsOf(v)[ax];
            if (!d.known()) {
                throw new Refusal("splits an axis of run-time size " + d);
            }
            long parts = n.opset() >= 18 && n.attr("num_outputs") != null ? n.attrInt("num_outputs", outs) : outs;
            long each = (d.value + parts - 1) / parts;
            sizes = new long[(int) parts];
            long left = d.value;
            for (int i = 0; i < parts; i++) {
                sizes[i] = Math.min(each, left);
                left -= sizes[i];
            }
        }
        long pos = 0;
        for (int i = 0; i < sizes.length && i < outs; i++) {
            n.out(i, sliceAxis(n, v, ax, Dim.of(pos), Dim.of(pos + sizes[i]), 1));
            pos += sizes[i];
        }
    }
}
