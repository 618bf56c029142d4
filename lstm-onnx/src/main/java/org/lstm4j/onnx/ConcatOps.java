package org.lstm4j.onnx;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.lstm4j.onnx.Stages.DenseStage;
import org.lstm4j.onnx.Values.Const;
import org.lstm4j.onnx.Values.Dim;
import org.lstm4j.onnx.Values.Fill;
import org.lstm4j.onnx.Values.Kind;
import org.lstm4j.onnx.Values.Role;
import org.lstm4j.onnx.Values.ShapeVec;
import org.lstm4j.onnx.Values.StateStack;
import org.lstm4j.onnx.Values.Val;
import org.lstm4j.onnx.Values.View;

/**
 * {@code Concat}: of constants (folded), of shape vectors (shapes built at run time), of filled
 * tensors (zero states), of final states (PyTorch's stacked h_n), of per-step dense outputs
 * (tf2onnx's TimeDistributed, {@link Tf2OnnxTimeDistributed}) and of the two direction halves of
 * one LSTM output ({@link DirectionMerges}). Package-private.
 */
final class ConcatOps {
    private ConcatOps() {
    }

    static void register(OpRegistry r) {
        r.add("concatenation", ConcatOps::concat, "Concat");
    }

    static void concat(Node n) {
        List<Val> ins = new ArrayList<>();
        for (int i = 0; i < n.inputCount(); i++) {
            Val v = n.in(i);
            if (v != null) {
                ins.add(v);
            }
        }
        if (ins.isEmpty()) {
            throw new Refusal("has no inputs");
        }
        int rank = Shapes.rankOf(ins.get(0));
        int ax = Shapes.axis(n.attrInt("axis", 0), rank);
        if (ins.stream().allMatch(v -> v instanceof Const)) {
            Tensor[] ts = ins.stream().map(v -> ((Const) v).t()).toArray(Tensor[]::new);
            n.out(0, new Const(n.charged(Folding.concat(ts, ax))));
            return;
        }
        if (ins.stream().allMatch(v -> v instanceof Const || v instanceof ShapeVec) && rank <= 1) {
            n.out(0, shapeConcat(ins));
            return;
        }
        if (ins.stream().allMatch(v -> v instanceof Fill || v instanceof Const c && c.t().size() > 0 && c.t().allEqual(c.t().values[0]))) {
            Fill f = fillConcat(ins, ax);
            if (f != null) {
                n.out(0, f);
                return;
            }
        }
        if (ins.stream().allMatch(v -> v instanceof View w && w.src.kind == Kind.DENSE && ((DenseStage) w.src.stage).step >= 0)) {
            n.out(0, Tf2OnnxTimeDistributed.stackSteps(ins, ax));
            return;
        }
        if (ins.stream().allMatch(v -> v instanceof View || v instanceof StateStack)) {
            if (ax == 0 && ins.stream().allMatch(ConcatOps::isStateView)) {
                List<View> parts = new ArrayList<>();
                for (Val v : ins) {
                    if (v instanceof StateStack s) {
                        parts.addAll(s.parts());
                    } else {
                        parts.add((View) v);
                    }
                }
                n.out(0, new StateStack(parts));
                return;
            }
            if (ins.size() == 2 && ins.get(0) instanceof View a && ins.get(1) instanceof View b) {
                View merged = DirectionMerges.concat(a, b, ax);
                if (merged != null) {
                    n.out(0, merged);
                    return;
                }
            }
        }
        throw new Refusal("concatenates values it cannot relate to the model (" + ins.stream().map(Values::describe).toList() + ")");
    }

    private static ShapeVec shapeConcat(List<Val> ins) {
        List<Dim> d = new ArrayList<>();
        for (Val v : ins) {
            if (v instanceof Const c) {
                for (double x : c.t().values) {
                    d.add(Dim.of((long) x));
                }
            } else {
                d.addAll(Arrays.asList(((ShapeVec) v).elems()));
            }
        }
        return new ShapeVec(d.toArray(new Dim[0]), false);
    }

    /** Tensors of one repeated value side by side, or null when the values differ. */
    private static Fill fillConcat(List<Val> ins, int ax) {
        double value = ins.get(0) instanceof Fill f ? f.value() : ((Const) ins.get(0)).t().values[0];
        List<Dim> sum = new ArrayList<>();
        Dim[] dims = Shapes.dimsOf(ins.get(0)).clone();
        for (Val v : ins) {
            double x = v instanceof Fill f ? f.value() : ((Const) v).t().values[0];
            if (x != value) {
                return null;
            }
            sum.add(Shapes.dimsOf(v)[ax]);
        }
        long total = 0;
        boolean known = true;
        for (Dim d : sum) {
            known &= d.known();
            total += d.value;
        }
        dims[ax] = known ? Dim.of(total) : Dim.unknown();
        return new Fill(value, dims);
    }

    /** A final state of an LSTM with its direction axis first: a part of PyTorch's stacked h_n or c_n. */
    private static boolean isStateView(Val v) {
        if (v instanceof StateStack) {
            return true;
        }
        return v instanceof View w && (w.src.kind == Kind.LSTM_YH || w.src.kind == Kind.LSTM_YC) && w.rank() == 3
                && w.visibleAlone(w.src.axisOf(Role.DIR)) == 0;
    }
}
