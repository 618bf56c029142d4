package org.lstm4j.onnx;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.lstm4j.onnx.OpRegistry.Outputs;
import org.lstm4j.onnx.Values.Const;
import org.lstm4j.onnx.Values.Fill;
import org.lstm4j.onnx.Values.Iota;
import org.lstm4j.onnx.Values.Kind;
import org.lstm4j.onnx.Values.ShapeVec;
import org.lstm4j.onnx.Values.Val;
import org.lstm4j.onnx.Values.View;
import org.lstm4j.onnx.proto.OnnxProto.AttributeProto;
import org.lstm4j.onnx.proto.OnnxProto.ValueInfoProto;

/**
 * Constants and constant folding: {@code Constant}, pass-throughs ({@code Identity},
 * {@code Dropout}, {@code Cast}), and the arithmetic exporters do on constants ({@code Where},
 * {@code Range}, {@code Neg}, comparisons, {@code Max}/{@code Min}). Package-private.
 */
final class ConstantOps {
    private ConstantOps() {
    }

    static void register(OpRegistry r) {
        String family = "constants";
        r.add(family, ConstantOps::constant, "Constant");
        r.add(family, ConstantOps::identity, "Identity");
        r.add(family, 1, OpRegistry.LATEST, Outputs.between(1, 2), ConstantOps::identity, "Dropout");
        r.add(family, ConstantOps::cast, "Cast");
        r.add(family, ConstantOps::foldBinary, "Equal", "Less", "Greater", "Max", "Min");
        r.add(family, ConstantOps::neg, "Neg");
        r.add(family, ConstantOps::where, "Where");
        r.add(family, ConstantOps::range, "Range");
    }

    static void constant(Node n) {
        for (AttributeProto a : n.proto.getAttributeList()) {
            switch (a.getName()) {
                case "value":
                    n.out(0, new Const(n.state.reader.read(a.getT(), "the value of Constant node '" + n.name() + "'")));
                    return;
                case "value_float": n.out(0, new Const(Tensor.scalar(Tensor.FLOAT, a.getF()))); return;
                case "value_int": n.out(0, new Const(Tensor.scalar(Tensor.INT64, a.getI()))); return;
                case "value_floats": {
                    double[] v = new double[a.getFloatsCount()];
                    for (int i = 0; i < v.length; i++) {
                        v[i] = a.getFloats(i);
                    }
                    n.out(0, new Const(Tensor.vector(Tensor.FLOAT, v)));
                    return;
                }
                case "value_ints": {
                    double[] v = new double[a.getIntsCount()];
                    for (int i = 0; i < v.length; i++) {
                        v[i] = a.getInts(i);
                    }
                    n.out(0, new Const(Tensor.vector(Tensor.INT64, v)));
                    return;
                }
                default:
                    break;
            }
        }
        throw new Refusal("a Constant without a dense value (sparse or string constants are not supported)");
    }

    /** Identity, and Dropout at inference (its output is its input). */
    static void identity(Node n) {
        if (n.opType().equals("Dropout") && n.outputCount() > 1 && !n.outputName(1).isEmpty()) {
            Set<String> outs = new HashSet<>();
            for (ValueInfoProto o : n.state.graph.getOutputList()) {
                outs.add(o.getName());
            }
            // A mask output is only a problem when something reads it; ordering already skipped unused nodes.
            if (outs.contains(n.outputName(1))) {
                throw new Refusal("its mask output is a graph output, which has no counterpart in a model for inference");
            }
        }
        n.out(0, n.required(0, "input"));
    }

    static void cast(Node n) {
        int to = (int) n.attrInt("to", 1);
        Val v = n.required(0, "input");
        if (v instanceof Const c) {
            n.out(0, new Const(n.charged(Folding.cast(c.t(), to))));
        } else if (v instanceof ShapeVec || v instanceof Fill) {
            n.out(0, v);
        } else if (v instanceof View w) {
            if (w.src.kind == Kind.INPUT || to == Tensor.FLOAT) {
                // Casts of graph inputs (int64 sequence lengths to int32) and float-to-float casts change no value we map.
                n.out(0, v);
            } else {
                throw new Refusal("casts network data to " + Tensor.typeName(to));
            }
        } else {
            n.out(0, v);
        }
    }

    static void foldBinary(Node n) {
        if (n.opType().equals("Less") && KerasTokenIds.isNegativeTest(n)) {
            n.out(0, KerasTokenIds.negative(n));
            return;
        }
        Tensor a = n.requiredConst(0, "A");
        Tensor b = n.requiredConst(1, "B");
        n.out(0, new Const(n.charged(Folding.binary(n.opType(), a, b))));
    }

    static void neg(Node n) {
        Val v = n.required(0, "input");
        if (v instanceof Const c) {
            n.out(0, new Const(n.charged(Folding.binary("Mul", c.t(), Tensor.scalar(c.t().type, -1)))));
        } else if (v instanceof ShapeVec s && s.allKnown()) {
            n.out(0, new Const(Folding.binary("Mul", s.toTensor(), Tensor.scalar(Tensor.INT64, -1))));
        } else {
            throw new Refusal("negates " + Values.describe(v));
        }
    }

    static void where(Node n) {
        Tensor c = n.requiredConst(0, "condition");
        Val x = n.required(1, "X");
        Val y = n.required(2, "Y");
        if (c.allEqual(1) && c.size() >= 1 && c.rank() <= 1 && Shapes.rankOf(x) <= 1) {
            n.out(0, x);
        } else if (c.allEqual(0) && c.size() >= 1 && c.rank() <= 1 && Shapes.rankOf(y) <= 1) {
            n.out(0, y);
        } else {
            Tensor tx = n.requiredConst(1, "X");
            Tensor ty = n.requiredConst(2, "Y");
            long[] shape = Folding.broadcast(Folding.broadcast(c.shape, tx.shape), ty.shape);
            Tensor pick = Folding.binary("Mul", Folding.cast(c, tx.type), tx);
            Tensor other = Folding.binary("Mul", Folding.binary("Sub", Tensor.scalar(tx.type, 1), Folding.cast(c, tx.type)), ty);
            Tensor r = Folding.binary("Add", pick, other);
            if (!Arrays.equals(r.shape, shape)) {
                throw new Refusal("Where of shapes that do not broadcast");
            }
            n.out(0, new Const(n.charged(r)));
        }
    }

    static void range(Node n) {
        if (n.in(1) instanceof ShapeVec lim && lim.elems().length == 1 && !lim.elems()[0].known()) {
            Tensor s0 = n.requiredConst(0, "start");
            Tensor d0 = n.requiredConst(2, "delta");
            if (s0.size() == 1 && s0.values[0] == 0 && d0.size() == 1 && d0.values[0] == 1) {
                n.out(0, new Iota(lim.elems()[0]));
                return;
            }
            throw new Refusal("a Range with a run-time limit that does not start at 0 with step 1");
        }
        Tensor s = n.requiredConst(0, "start");
        Tensor l = n.requiredConst(1, "limit");
        Tensor d = n.requiredConst(2, "delta");
        double start = s.values[0];
        double limit = l.values[0];
        double delta = d.values[0];
        long count = delta == 0 ? -1 : (long) Math.max(0, Math.ceil((limit - start) / delta));
        if (count < 0 || count > n.state.options.maxTensorElements()) {
            throw new Refusal("a Range of " + count + " elements");
        }
        double[] v = new double[(int) count];
        for (int i = 0; i < count; i++) {
            v[i] = start + i * delta;
        }
        n.out(0, new Const(n.charged(Tensor.vector(s.type, v))));
    }
}
