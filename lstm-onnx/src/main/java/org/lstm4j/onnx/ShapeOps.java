package org.lstm4j.onnx;

import java.util.Arrays;
import java.util.List;
import org.lstm4j.onnx.Values.Const;
import org.lstm4j.onnx.Values.Dim;
import org.lstm4j.onnx.Values.DimFill;
import org.lstm4j.onnx.Values.Fill;
import org.lstm4j.onnx.Values.ShapeVec;
import org.lstm4j.onnx.Values.SortPerm;
import org.lstm4j.onnx.Values.Val;
import org.lstm4j.onnx.Values.View;
import org.lstm4j.onnx.proto.OnnxProto.AttributeProto;

/**
 * Shape arithmetic: {@code Shape} of a value whose batch and time sizes are symbolic, the
 * tensors built from shapes ({@code ConstantOfShape}, {@code Expand}: zero initial states made at
 * run time), {@code ReduceProd} of a shape, and {@code Add}/{@code Sub}/{@code Mul}/{@code Div} of
 * shape vectors (through {@link ArithmeticOps}). Package-private.
 */
final class ShapeOps {
    private ShapeOps() {
    }

    static void register(OpRegistry r) {
        String family = "shapes";
        r.add(family, ShapeOps::shape, "Shape");
        r.add(family, ShapeOps::constantOfShape, "ConstantOfShape");
        r.add(family, ShapeOps::expand, "Expand");
        r.add(family, ShapeOps::reduceProd, "ReduceProd");
    }

    static void shape(Node n) {
        Val v = n.required(0, "input");
        Dim[] dims;
        if (v instanceof Const c) {
            dims = Shapes.constDims(c.t());
        } else if (v instanceof View w) {
            dims = w.dims();
        } else if (v instanceof Fill f) {
            dims = f.dims();
        } else if (v instanceof ShapeVec s) {
            dims = s.scalar() ? new Dim[0] : new Dim[] {Dim.of(s.elems().length)};
        } else if (v instanceof SortPerm p) {
            dims = new Dim[] {p.n()};
        } else {
            throw new Refusal("takes the shape of " + Values.describe(v));
        }
        int r = dims.length;
        int start = (int) Math.max(0, Math.min(r, Shapes.norm(n.attrInt("start", 0), r)));
        int end = (int) Math.max(0, Math.min(r, Shapes.norm(n.attrInt("end", r), r)));
        Dim[] sel = Arrays.copyOfRange(dims, start, Math.max(start, end));
        ShapeVec s = new ShapeVec(sel, false);
        n.out(0, s.allKnown() ? new Const(s.toTensor()) : s);
    }

    static void constantOfShape(Node n) {
        Dim[] dims = Shapes.shapeArg(n.required(0, "shape"), "its input shape");
        AttributeProto a = n.attr("value");
        double value = 0;
        if (a != null) {
            Tensor t = n.state.reader.read(a.getT(), "the value of node '" + n.name() + "'");
            if (t.size() != 1) {
                throw new Refusal("its value attribute must hold one element, got " + t);
            }
            value = t.values[0];
        }
        for (Dim d : dims) {
            if (d.known() && d.value < 0) {
                throw new Refusal("asks for a negative dimension in " + Arrays.toString(dims));
            }
        }
        n.out(0, new Fill(value, dims));
    }

    static void expand(Node n) {
        Val v = n.required(0, "input");
        Dim[] shape = Shapes.shapeArg(n.required(1, "shape"), "its input shape");
        if (v instanceof Const c && c.t().size() > 0 && c.t().allEqual(c.t().values[0])) {
            n.out(0, new Fill(c.t().values[0], Shapes.broadcastDims(Shapes.constDims(c.t()), shape)));
        } else if (v instanceof Fill f) {
            n.out(0, new Fill(f.value(), Shapes.broadcastDims(f.dims(), shape)));
        } else if (v instanceof ShapeVec sv && sv.elems().length == 1) {
            n.out(0, new DimFill(sv.elems()[0], Shapes.broadcastDims(sv.scalar() ? new Dim[0] : new Dim[] {Dim.of(1)}, shape)));
        } else if (v instanceof View w) {
            // Expanding to its own shape (or to ones) is a no-op exporters sometimes leave in.
            Dim[] dims = w.dims();
            if (shape.length > dims.length) {
                throw new Refusal("broadcasts network data to a higher rank " + Arrays.toString(shape));
            }
            for (int i = 0; i < shape.length; i++) {
                Dim target = shape[i];
                Dim own = dims[dims.length - shape.length + i];
                if (!target.isKnown(1) && !target.equals(own)) {
                    throw new Refusal("broadcasts network data of shape " + Arrays.toString(dims) + " to " + Arrays.toString(shape));
                }
            }
            n.out(0, v);
        } else {
            throw new Refusal("expands " + Values.describe(v) + ", which is not a single repeated value");
        }
    }

    static void reduceProd(Node n) {
        Val v = n.required(0, "input");
        long[] ax = n.axesArg(1);
        long keep = n.attrInt("keepdims", 1);
        if (v instanceof ShapeVec || v instanceof Const c && c.t().rank() <= 1) {
            Dim[] d = v instanceof ShapeVec sv ? sv.elems() : Shapes.shapeArg(v, "its input");
            if (ax != null && !(ax.length == 1 && (ax[0] == 0 || ax[0] == -1))) {
                throw new Refusal("reduces a shape vector over axes " + Arrays.toString(ax));
            }
            ShapeVec r = new ShapeVec(new Dim[] {Values.product(Arrays.asList(d))}, keep == 0);
            n.out(0, r.allKnown() ? new Const(r.toTensor()) : r);
            return;
        }
        throw new Refusal("ReduceProd of " + Values.describe(v) + " is only supported on shapes");
    }

    /** Elementwise arithmetic of shape vectors and small integer constants, keeping run-time sizes symbolic. */
    static Val shapeArith(String op, Val a, Val b) {
        Dim[] x = a instanceof ShapeVec s ? s.elems() : Shapes.shapeArg(a, "operand A");
        Dim[] y = b instanceof ShapeVec s ? s.elems() : Shapes.shapeArg(b, "operand B");
        int n = Math.max(x.length, y.length);
        if (x.length != n && x.length != 1 || y.length != n && y.length != 1) {
            throw new Refusal("computes with shape vectors of lengths " + x.length + " and " + y.length);
        }
        Dim[] r = new Dim[n];
        for (int i = 0; i < n; i++) {
            Dim p = x[x.length == 1 ? 0 : i];
            Dim q = y[y.length == 1 ? 0 : i];
            if (p.known() && q.known()) {
                long v;
                switch (op) {
                    case "Add": v = p.value + q.value; break;
                    case "Sub": v = p.value - q.value; break;
                    case "Mul": v = p.value * q.value; break;
                    default: v = q.value == 0 ? 0 : Math.floorDiv(p.value, q.value); break;
                }
                r[i] = Dim.of(v);
            } else if (op.equals("Add") && q.known()) {
                r[i] = p.plus(q.value);
            } else if (op.equals("Add") && p.known()) {
                r[i] = q.plus(p.value);
            } else if (op.equals("Sub") && q.known()) {
                r[i] = p.plus(-q.value);
            } else if ((op.equals("Mul") || op.equals("Div")) && q.isKnown(1)) {
                r[i] = p;
            } else if (op.equals("Mul")) {
                r[i] = Values.product(List.of(p, q));
            } else {
                r[i] = Dim.unknown();
            }
        }
        boolean scalar = (a instanceof ShapeVec s ? s.scalar() : ((Const) a).t().rank() == 0)
                && (b instanceof ShapeVec s2 ? s2.scalar() : ((Const) b).t().rank() == 0);
        ShapeVec out = new ShapeVec(r, scalar);
        return out.allKnown() ? new Const(out.toTensor()) : out;
    }
}
