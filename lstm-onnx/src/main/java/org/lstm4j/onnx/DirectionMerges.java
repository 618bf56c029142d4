package org.lstm4j.onnx;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.lstm4j.model.MergeMode;
import org.lstm4j.onnx.Stages.LstmStage;
import org.lstm4j.onnx.Values.Comp;
import org.lstm4j.onnx.Values.Kind;
import org.lstm4j.onnx.Values.Role;
import org.lstm4j.onnx.Values.Sel;
import org.lstm4j.onnx.Values.Source;
import org.lstm4j.onnx.Values.View;

/**
 * The direction-merge recognisers: the forward and backward halves of one bidirectional LSTM
 * output put back together, by {@code Concat} (PyTorch's {@code torch.cat((h_n[-2], h_n[-1]))},
 * Keras {@code merge_mode='concat'}) or by {@code Add}/{@code Mul} (Keras {@code merge_mode}
 * sum, mul, and ave with a following halving), including Keras's final output built from Y's last
 * forward and first backward step. Each returns null when the operands are not such halves.
 * Package-private.
 */
final class DirectionMerges {
    private DirectionMerges() {
    }

    /** Forward and backward halves of one LSTM output side by side: the two directions concatenated. */
    static View concat(View a0, View b0, int ax) {
        View[] ab = finalStatePair(a0, b0);
        View a = ab[0];
        View b = ab[1];
        if (a.src != b.src || a.merge != null || b.merge != null || a.rank() != b.rank()) {
            return null;
        }
        int dirAxis = a.src.axisOf(Role.DIR);
        int hidAxis = a.src.axisOf(Role.FEAT);
        if (dirAxis < 0 || !a.src.dims[dirAxis].isKnown(2)) {
            return null;
        }
        Comp da = a.fixed.get(dirAxis);
        Comp db = b.fixed.get(dirAxis);
        if (da == null || db == null || da.index() != 0 || db.index() != 1) {
            return null;
        }
        if (a.axes.get(ax).size() != 1 || a.axes.get(ax).get(0).axis != hidAxis || !a.axes.get(ax).get(0).isFull(a.src)) {
            return null;
        }
        Map<Integer, Comp> fa = fixedApartFromDirection(a, b, dirAxis);
        if (fa == null) {
            return null;
        }
        List<List<Comp>> axes = new ArrayList<>(a.axes);
        axes.set(ax, List.of(Comp.full(a.src, dirAxis), a.axes.get(ax).get(0)));
        return a.with(axes, fa);
    }

    /**
     * Keras Bidirectional(return_sequences=False) takes the forward output at the last step and the
     * backward output at step 0: that is Y_h of both directions (no sequence lengths in Keras graphs).
     * Returns the pair as views of Y_h when it is that idiom, else unchanged.
     */
    private static View[] finalStatePair(View a, View b) {
        View[] same = {a, b};
        if (a.src != b.src || a.src.kind != Kind.LSTM_Y) {
            return same;
        }
        LstmStage st = (LstmStage) a.src.stage;
        int t = a.src.axisOf(Role.TIME);
        int dir = a.src.axisOf(Role.DIR);
        Comp ta = a.fixed.get(t);
        Comp tb = b.fixed.get(t);
        Comp da = a.fixed.get(dir);
        Comp db = b.fixed.get(dir);
        if (ta == null || tb == null || da == null || db == null || st.seqLensPort != null || st.directions() != 2) {
            return same;
        }
        if (!(ta.isLast(a.src) && da.index() == 0 && tb.isFirst() && db.index() == 1)) {
            return same;
        }
        View ya = toFinalState(a, st);
        View yb = toFinalState(b, st);
        return ya == null || yb == null ? same : new View[] {ya, yb};
    }

    private static View toFinalState(View y, LstmStage st) {
        Source yh = st.yh;
        List<List<Comp>> axes = new ArrayList<>();
        for (List<Comp> a : y.axes) {
            if (a.size() != 1 || !a.get(0).isFull(y.src)) {
                return null;
            }
            Role r = y.src.roles[a.get(0).axis];
            if (r != Role.BATCH && r != Role.FEAT) {
                return null;
            }
            axes.add(List.of(Comp.full(yh, yh.axisOf(r))));
        }
        if (y.fixed.size() != 2) {
            return null;
        }
        Comp d = y.fixed.get(y.src.axisOf(Role.DIR));
        Map<Integer, Comp> fixed = new HashMap<>();
        int dirAxis = yh.axisOf(Role.DIR);
        fixed.put(dirAxis, new Comp(dirAxis, Sel.RANGE, d.lo, d.hi, false));
        return new View(yh, axes, fixed, null, 1.0);
    }

    private static boolean sameComps(List<Comp> x, List<Comp> y) {
        if (x.size() != y.size()) {
            return false;
        }
        for (int i = 0; i < x.size(); i++) {
            Comp p = x.get(i);
            Comp q = y.get(i);
            if (p.axis != q.axis || p.sel != q.sel || p.lo != q.lo || p.hi != q.hi || p.reversed != q.reversed) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether two views of one LSTM output select the same elements on every axis but the direction
     * axis (the two halves a merge combines); if so, their fixed indexes without that axis, else null.
     */
    private static Map<Integer, Comp> fixedApartFromDirection(View a, View b, int dirAxis) {
        for (int i = 0; i < a.rank(); i++) {
            if (!sameComps(a.axes.get(i), b.axes.get(i))) {
                return null;
            }
        }
        Map<Integer, Comp> fa = a.fixedCopy();
        Map<Integer, Comp> fb = b.fixedCopy();
        fa.remove(dirAxis);
        fb.remove(dirAxis);
        return sameFixed(fa, fb) ? fa : null;
    }

    private static boolean sameFixed(Map<Integer, Comp> x, Map<Integer, Comp> y) {
        if (!x.keySet().equals(y.keySet())) {
            return false;
        }
        for (Integer k : x.keySet()) {
            if (!sameComps(List.of(x.get(k)), List.of(y.get(k)))) {
                return false;
            }
        }
        return true;
    }

    /** Keras Bidirectional merge_mode sum/mul: the two direction halves of one LSTM output added or multiplied. */
    static View merge(String op, View a0, View b0) {
        View[] ab = finalStatePair(a0, b0);
        View a = ab[0];
        View b = ab[1];
        if (!(op.equals("Add") || op.equals("Mul")) || a.src != b.src || a.merge != null || b.merge != null || a.rank() != b.rank()) {
            return null;
        }
        int dirAxis = a.src.axisOf(Role.DIR);
        if (dirAxis < 0 || !a.src.dims[dirAxis].isKnown(2)) {
            return null;
        }
        Comp da = a.fixed.get(dirAxis);
        Comp db = b.fixed.get(dirAxis);
        if (da == null || db == null || da.index() + db.index() != 1 || da.index() < 0 || db.index() < 0) {
            return null;
        }
        Map<Integer, Comp> fa = fixedApartFromDirection(a, b, dirAxis);
        if (fa == null) {
            return null;
        }
        return new View(a.src, a.axes, fa, op.equals("Add") ? MergeMode.SUM : MergeMode.MUL, 1.0);
    }
}
