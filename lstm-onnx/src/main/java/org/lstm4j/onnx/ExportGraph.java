package org.lstm4j.onnx;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.lstm4j.onnx.proto.OnnxProto.AttributeProto;
import org.lstm4j.onnx.proto.OnnxProto.GraphProto;
import org.lstm4j.onnx.proto.OnnxProto.NodeProto;
import org.lstm4j.onnx.proto.OnnxProto.TensorProto;
import org.lstm4j.onnx.proto.OnnxProto.TensorShapeProto;
import org.lstm4j.onnx.proto.OnnxProto.TypeProto;
import org.lstm4j.onnx.proto.OnnxProto.ValueInfoProto;

/**
 * Accumulates one ONNX graph for {@link OnnxExporter}: nodes in topological order (the order
 * they are added), initializers, and graph inputs and outputs, with tensor names kept unique.
 * Not thread-safe; one writer per export.
 */
final class ExportGraph {

    private final GraphProto.Builder graph = GraphProto.newBuilder();
    private final Set<String> tensorNames = new HashSet<>();
    private final Set<String> nodeNames = new HashSet<>();

    ExportGraph(String name) {
        graph.setName(name);
    }

    GraphProto build() {
        return graph.build();
    }

    /** Reserves a name chosen by the caller (a graph input or output); it must not be taken. */
    String reserve(String name) {
        if (!tensorNames.add(name)) {
            throw new IllegalArgumentException("tensor name '" + name + "' is used twice in the exported graph");
        }
        return name;
    }

    /** A fresh tensor name starting with {@code base}. */
    String fresh(String base) {
        String name = base;
        for (int k = 1; tensorNames.contains(name); k++) {
            name = base + "_" + k;
        }
        tensorNames.add(name);
        return name;
    }

    private String freshNode(String base) {
        String name = base;
        for (int k = 1; nodeNames.contains(name); k++) {
            name = base + "_" + k;
        }
        nodeNames.add(name);
        return name;
    }

    /**
     * Adds a node. Empty strings among the inputs and outputs stand for omitted optional ones, as
     * the ONNX specification writes them.
     */
    void node(String opType, String nodeName, List<String> inputs, List<String> outputs, AttributeProto... attributes) {
        NodeProto.Builder n = NodeProto.newBuilder().setOpType(opType).setName(freshNode(nodeName));
        n.addAllInput(inputs);
        n.addAllOutput(outputs);
        for (AttributeProto a : attributes) {
            n.addAttribute(a);
        }
        graph.addNode(n);
    }

    /** Adds a one-output node whose output gets a fresh name from {@code outputBase}; returns that name. */
    String op(String opType, String outputBase, List<String> inputs, AttributeProto... attributes) {
        String out = fresh(outputBase);
        node(opType, out, inputs, List.of(out), attributes);
        return out;
    }

    /** Like {@link #op} with a node name of its own: layers' main nodes carry the layer's name, which importers read back. */
    String opNamed(String opType, String nodeName, String outputBase, List<String> inputs, AttributeProto... attributes) {
        String out = fresh(outputBase);
        node(opType, nodeName, inputs, List.of(out), attributes);
        return out;
    }

    /** Like {@link #op} but writing to a name the caller chose (reserved by the caller). */
    void opTo(String opType, String output, List<String> inputs, AttributeProto... attributes) {
        node(opType, output, inputs, List.of(output), attributes);
    }

    // ------------------------------------------------------------------ initializers

    String floats(String base, int[] dims, float[] values) {
        ByteBuffer bytes = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        return initializer(base, TensorProto.DataType.FLOAT_VALUE, dims, ByteString.copyFrom(bytes.array()));
    }

    String scalar(String base, float value) {
        return floats(base, new int[0], new float[] {value});
    }

    /** An int64 vector initializer (shapes, axes, indices). */
    String longs(String base, long... values) {
        ByteBuffer bytes = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asLongBuffer().put(values);
        return initializer(base, TensorProto.DataType.INT64_VALUE, new int[] {values.length}, ByteString.copyFrom(bytes.array()));
    }

    /** An int64 scalar initializer. */
    String longScalar(String base, long value) {
        ByteBuffer bytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, value);
        return initializer(base, TensorProto.DataType.INT64_VALUE, new int[0], ByteString.copyFrom(bytes.array()));
    }

    private String initializer(String base, int dataType, int[] dims, ByteString raw) {
        String name = fresh(base);
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(dataType).setRawData(raw);
        for (int d : dims) {
            t.addDims(d);
        }
        graph.addInitializer(t);
        return name;
    }

    // ------------------------------------------------------------------ graph inputs and outputs

    /** A dimension of a graph input or output: a number, or a {@link String} naming a symbolic one. */
    static TensorShapeProto.Dimension dim(Object d) {
        TensorShapeProto.Dimension.Builder b = TensorShapeProto.Dimension.newBuilder();
        if (d instanceof Integer i) {
            b.setDimValue(i);
        } else {
            b.setDimParam((String) d);
        }
        return b.build();
    }

    private static ValueInfoProto valueInfo(String name, int elemType, Object... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (Object d : dims) {
            shape.addDim(dim(d));
        }
        return ValueInfoProto.newBuilder().setName(name)
                .setType(TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder().setElemType(elemType).setShape(shape)))
                .build();
    }

    String input(String name, int elemType, Object... dims) {
        reserve(name);
        graph.addInput(valueInfo(name, elemType, dims));
        return name;
    }

    /** Declares a graph output; the name must already be a node's output. */
    void output(String name, int elemType, Object... dims) {
        graph.addOutput(valueInfo(name, elemType, dims));
    }

    // ------------------------------------------------------------------ attributes

    static AttributeProto attr(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
    }

    static AttributeProto attr(String name, float value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(value).build();
    }

    static AttributeProto attr(String name, String value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.STRING)
                .setS(ByteString.copyFromUtf8(value)).build();
    }

    static AttributeProto ints(String name, long... values) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long v : values) {
            a.addInts(v);
        }
        return a.build();
    }

    static AttributeProto floats(String name, List<Float> values) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOATS).addAllFloats(values).build();
    }

    static AttributeProto strings(String name, List<String> values) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.STRINGS);
        for (String v : values) {
            a.addStrings(ByteString.copyFromUtf8(v));
        }
        return a.build();
    }
}
