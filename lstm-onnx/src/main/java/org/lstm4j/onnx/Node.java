package org.lstm4j.onnx;

import java.util.Arrays;
import org.lstm4j.onnx.Values.Const;
import org.lstm4j.onnx.Values.Fill;
import org.lstm4j.onnx.Values.ShapeVec;
import org.lstm4j.onnx.Values.Val;
import org.lstm4j.onnx.Values.View;
import org.lstm4j.onnx.proto.OnnxProto.AttributeProto;
import org.lstm4j.onnx.proto.OnnxProto.NodeProto;

/**
 * The node being mapped, as handlers see it: its attributes, the values of its inputs, a place
 * for the values of its outputs, and the import it belongs to. Package-private.
 */
final class Node {
    final NodeProto proto;
    final ImportState state;

    Node(NodeProto proto, ImportState state) {
        this.proto = proto;
        this.state = state;
    }

    /** The node's name, else its first output's name: what messages call it. */
    static String nameOf(NodeProto n) {
        if (!n.getName().isEmpty()) {
            return n.getName();
        }
        return n.getOutputCount() > 0 ? n.getOutput(0) : "(unnamed)";
    }

    String name() {
        return nameOf(proto);
    }

    String opType() {
        return proto.getOpType();
    }

    /** The version of the default operator set the model imports. */
    int opset() {
        return state.opset;
    }

    /** The error for this node, with the file and the node named. */
    static OnnxImportException fail(String source, NodeProto n, String reason) {
        return new OnnxImportException(source + ": node '" + nameOf(n) + "' (" + n.getOpType() + "): " + reason);
    }

    OnnxImportException fail(String reason) {
        return fail(state.source, proto, reason);
    }

    // ------------------------------------------------------------------ attributes

    AttributeProto attr(String name) {
        for (AttributeProto a : proto.getAttributeList()) {
            if (a.getName().equals(name)) {
                return a;
            }
        }
        return null;
    }

    long attrInt(String name, long dflt) {
        AttributeProto a = attr(name);
        return a == null ? dflt : a.getI();
    }

    float attrFloat(String name, float dflt) {
        AttributeProto a = attr(name);
        return a == null ? dflt : a.getF();
    }

    String attrString(String name, String dflt) {
        AttributeProto a = attr(name);
        return a == null ? dflt : a.getS().toStringUtf8();
    }

    long[] attrInts(String name) {
        AttributeProto a = attr(name);
        if (a == null) {
            return null;
        }
        long[] v = new long[a.getIntsCount()];
        for (int i = 0; i < v.length; i++) {
            v[i] = a.getInts(i);
        }
        return v;
    }

    // ------------------------------------------------------------------ inputs

    int inputCount() {
        return proto.getInputCount();
    }

    String inputName(int i) {
        return proto.getInput(i);
    }

    /** The value of input {@code i}, or null when the node omits it. */
    Val in(int i) {
        if (i >= proto.getInputCount() || proto.getInput(i).isEmpty()) {
            return null;
        }
        Val v = state.values.get(proto.getInput(i));
        if (v == null) {
            throw new Refusal("input '" + proto.getInput(i) + "' has no value (a missing initializer?)");
        }
        return v;
    }

    Val required(int i, String what) {
        Val v = in(i);
        if (v == null) {
            throw new Refusal("its input " + what + " is missing");
        }
        return v;
    }

    /** Input {@code i} as a constant tensor (null when omitted), or a refusal saying what it is computed from. */
    Tensor constIn(int i, String what) {
        Val v = in(i);
        if (v == null) {
            return null;
        }
        if (v instanceof Const c) {
            return c.t();
        }
        if (v instanceof ShapeVec s && s.allKnown()) {
            return s.toTensor();
        }
        if (v instanceof Fill f && Shapes.allKnown(f.dims())) {
            return fillTensor(f);
        }
        throw new Refusal("its input " + what + " ('" + proto.getInput(i) + "') must be a constant, but it is computed from "
                + Values.describe(v));
    }

    /** Like {@link #constIn} for an input the op's schema requires: a refusal when the node omits it. */
    Tensor requiredConst(int i, String what) {
        Tensor t = constIn(i, what);
        if (t == null) {
            throw new Refusal("its input " + what + " is missing");
        }
        return t;
    }

    View requireView(int i, String what) {
        Val v = required(i, what);
        if (!(v instanceof View w)) {
            throw new Refusal("its input " + what + " is " + Values.describe(v) + ", not data flowing from the graph input");
        }
        return w;
    }

    /** Axes given as an attribute (older opsets) or as the input at {@code inputIndex}. */
    long[] axesArg(int inputIndex) {
        long[] a = attrInts("axes");
        if (a != null) {
            return a;
        }
        Tensor t = constIn(inputIndex, "axes");
        return t == null ? null : t.toLongs();
    }

    // ------------------------------------------------------------------ outputs

    int outputCount() {
        return proto.getOutputCount();
    }

    String outputName(int i) {
        return proto.getOutput(i);
    }

    /** Records the value of output {@code i} (an output the node leaves unnamed is dropped). */
    void out(int i, Val v) {
        if (i < proto.getOutputCount() && !proto.getOutput(i).isEmpty()) {
            state.values.put(proto.getOutput(i), v);
        }
    }

    // ------------------------------------------------------------------ constants made here

    /** Counts a folded constant against the model's budget of constant elements. */
    Tensor charged(Tensor t) {
        state.reader.charge(t.size(), "node '" + name() + "'");
        return t;
    }

    Tensor fillTensor(Fill f) {
        long[] shape = new long[f.dims().length];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = f.dims()[i].value;
        }
        long n = state.reader.checkedCount(shape, "the output of node '" + name() + "'");
        state.reader.charge(n, "node '" + name() + "'");
        double[] v = new double[(int) n];
        Arrays.fill(v, f.value());
        return new Tensor(Tensor.FLOAT, shape, v);
    }
}
