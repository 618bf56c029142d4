package org.lstm4j.onnx;

import org.lstm4j.model.MergeMode;
import org.lstm4j.onnx.Values.Const;
import org.lstm4j.onnx.Values.ShapeVec;
import org.lstm4j.onnx.Values.Val;
import org.lstm4j.onnx.Values.View;

/**
 * Elementwise {@code Add}, {@code Sub}, {@code Mul}, {@code Div}: folded on constants, symbolic
 * on shapes ({@link ShapeOps#shapeArith}), a direction merge on two halves of one LSTM output
 * ({@link DirectionMerges}), the halving that makes a sum an average, a dense layer's bias
 * ({@link DenseOps#bias}), preprocessing of a graph input by constants ({@link InputPreprocessing}),
 * and no-ops (adding 0, multiplying by 1). Package-private.
 */
final class ArithmeticOps {
    private ArithmeticOps() {
    }

    static void register(OpRegistry r) {
        r.add("elementwise arithmetic", ArithmeticOps::binary, "Add", "Sub", "Mul", "Div");
    }

    static void binary(Node n) {
        String op = n.opType();
        Val a = n.required(0, "A");
        Val b = n.required(1, "B");
        if (KerasTokenIds.involves(n.state, a, b)) {
            n.out(0, KerasTokenIds.arithmetic(op, a, b));
            return;
        }
        if (a instanceof Const ca && b instanceof Const cb) {
            n.out(0, new Const(n.charged(Folding.binary(op, ca.t(), cb.t()))));
            return;
        }
        if ((a instanceof ShapeVec || a instanceof Const) && (b instanceof ShapeVec || b instanceof Const)) {
            n.out(0, ShapeOps.shapeArith(op, a, b));
            return;
        }
        if (a instanceof View va && b instanceof View vb) {
            View m = DirectionMerges.merge(op, va, vb);
            if (m != null) {
                n.out(0, m);
                return;
            }
            throw new Refusal("combines two network tensors elementwise (" + va.src + ", " + vb.src + "), which is not a layer "
                    + "lstm4j knows (only the Add or Mul of the two directions of one bidirectional LSTM, as Keras merges them)");
        }
        View w = a instanceof View x ? x : b instanceof View y ? y : null;
        Val other = w == a ? b : a;
        if (w == null || !(other instanceof Const)) {
            throw new Refusal("computes with " + Values.describe(a) + " and " + Values.describe(b));
        }
        Tensor c = ((Const) other).t();
        boolean viewFirst = w == a;
        if ((op.equals("Add") || op.equals("Sub") && viewFirst) && c.allEqual(0)
                || (op.equals("Mul") || op.equals("Div") && viewFirst) && c.allEqual(1)) {
            n.out(0, w);
            return;
        }
        if (w.merge == MergeMode.SUM && w.scale == 1.0 && c.size() == 1
                && (op.equals("Mul") && c.values[0] == 0.5 || op.equals("Div") && viewFirst && c.values[0] == 2.0)) {
            // Keras merge_mode='ave': the sum of the two directions halved.
            n.out(0, new View(w.src, w.axes, w.fixed, MergeMode.AVE, 1.0));
            return;
        }
        View preprocessed = InputPreprocessing.apply(n, op, w, c, viewFirst);
        if (preprocessed != null) {
            n.out(0, preprocessed);
            return;
        }
        if (op.equals("Add")) {
            View withBias = DenseOps.bias(w, c);
            if (withBias != null) {
                n.out(0, withBias);
                return;
            }
        }
        throw new Refusal(op + " of " + w.src + " and a constant " + c + " is not part of any layer lstm4j maps "
                + "(a dense layer's bias must directly follow its MatMul)");
    }
}
