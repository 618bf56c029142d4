package org.lstm4j.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.lstm4j.model.SequenceModel;
import org.lstm4j.onnx.proto.OnnxProto.AttributeProto;
import org.lstm4j.onnx.proto.OnnxProto.ModelProto;
import org.lstm4j.onnx.proto.OnnxProto.OperatorSetIdProto;
import org.lstm4j.onnx.proto.OnnxProto.TensorProto;
import org.lstm4j.tensor.FloatTensor;
import org.lstm4j.tensor.IntTensor;
import org.lstm4j.testing.RandomModels;
import org.lstm4j.testing.TensorAssertions;
import org.lstm4j.testing.Tolerance;

/**
 * A small ONNX graph built node by node for the handler tests, with exact names, and the two
 * ways of running it: imported and run on the reference engine, and as it is in ONNX Runtime
 * (the independent source of the expected values).
 */
final class HandBuilt {
    static final int FLOAT = TensorProto.DataType.FLOAT_VALUE;
    static final int INT32 = TensorProto.DataType.INT32_VALUE;
    static final int INT64 = TensorProto.DataType.INT64_VALUE;

    final ExportGraph g;
    final int opset;
    final Random rnd;
    private final String name;
    private final List<String> outputs = new ArrayList<>();

    HandBuilt(String name, int opset, long seed) {
        this.g = new ExportGraph(name);
        this.name = name;
        this.opset = opset;
        this.rnd = new Random(seed);
    }

    /** A float graph input; dims are Integers or Strings (symbolic). */
    String input(String n, Object... dims) {
        return g.input(n, FLOAT, dims);
    }

    String intInput(String n, Object... dims) {
        return g.input(n, INT32, dims);
    }

    /** An int64 graph input (token ids, as PyTorch feeds nn.Embedding). */
    String longInput(String n, Object... dims) {
        return g.input(n, INT64, dims);
    }

    String floats(String n, int[] dims, float... values) {
        return g.floats(n, dims, values);
    }

    /** Uniform random floats in [-scale, scale) as an initializer. */
    String random(String n, float scale, int... dims) {
        int count = Arrays.stream(dims).reduce(1, (a, b) -> a * b);
        return floats(n, dims, RandomModels.uniform(rnd, count, scale));
    }

    String longs(String n, long... values) {
        return g.longs(n, values);
    }

    /** An int64 scalar initializer. */
    String scalar(String n, long value) {
        return g.longScalar(n, value);
    }

    /** A node with exactly the given output names, named after its first output. */
    void node(String op, List<String> inputs, List<String> outs, AttributeProto... attrs) {
        g.node(op, outs.get(0), inputs, outs, attrs);
    }

    /** A one-output node whose output is named {@code out}; returns it. */
    String op(String op, String out, List<String> inputs, AttributeProto... attrs) {
        node(op, inputs, List.of(out), attrs);
        return out;
    }

    /** An LSTM node named {@code n} over {@code x} with random weights and biases; outputs {@code n + "_y"}, {@code _h}, {@code _c}. */
    String lstm(String n, String x, int in, int hidden, String direction, AttributeProto... attrs) {
        return lstm(n, x, in, hidden, direction, List.of(), attrs);
    }

    /** Like {@link #lstm(String, String, int, int, String, AttributeProto...)} with the inputs after B: sequence_lens, initial_h, initial_c, P ("" omits one). */
    String lstm(String n, String x, int in, int hidden, String direction, List<String> more, AttributeProto... attrs) {
        int d = direction.equals("bidirectional") ? 2 : 1;
        String w = random(n + "_W", 0.5f, d, 4 * hidden, in);
        String r = random(n + "_R", 0.5f, d, 4 * hidden, hidden);
        String b = random(n + "_B", 0.3f, d, 8 * hidden);
        List<AttributeProto> all = new ArrayList<>(List.of(ExportGraph.attr("hidden_size", (long) hidden),
                ExportGraph.attr("direction", direction)));
        all.addAll(List.of(attrs));
        List<String> inputs = new ArrayList<>(List.of(x, w, r, b));
        inputs.addAll(more);
        g.node("LSTM", n, inputs, List.of(n + "_y", n + "_h", n + "_c"), all.toArray(new AttributeProto[0]));
        return n + "_y";
    }

    /** Declares a float graph output. */
    HandBuilt output(String n, Object... dims) {
        g.output(n, FLOAT, dims);
        outputs.add(n);
        return this;
    }

    byte[] bytes() {
        return ModelProto.newBuilder().setIrVersion(8).setProducerName("lstm4j handler test")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset))
                .setGraph(g.build()).build().toByteArray();
    }

    SequenceModel importModel() {
        return OnnxImporter.importModel(bytes(), name);
    }

    /** The import's refusal; its message must name the node and contain each of {@code parts}. */
    String refusal(String node, String... parts) {
        OnnxImportException e = assertThrows(OnnxImportException.class, this::importModel, name + " must be refused");
        String m = e.getMessage();
        assertTrue(m.startsWith(name + ": "), m);
        if (node != null) {
            assertTrue(m.contains("node '" + node + "'"), "should name node '" + node + "': " + m);
        }
        for (String p : parts) {
            assertTrue(m.contains(p), "should say '" + p + "': " + m);
        }
        return m;
    }

    /**
     * Imports the graph, runs it on the reference engine and in ONNX Runtime with the same inputs
     * (floats as FloatTensors, int32 vectors as int[], int64 token ids as IntTensors), and asserts every graph output agrees within
     * the project's tolerance. Returns the imported model.
     */
    SequenceModel assertMatchesOnnxRuntime(Map<String, Object> inputs) {
        SequenceModel m = importModel();
        Map<String, FloatTensor> floats = new LinkedHashMap<>();
        Map<String, IntTensor> ints = new LinkedHashMap<>();
        inputs.forEach((k, v) -> {
            if (v instanceof FloatTensor t) {
                floats.put(k, t);
            } else {
                ints.put(k, v instanceof IntTensor t ? t : IntTensor.of((int[]) v));
            }
        });
        Map<String, FloatTensor> got = Oracle.run(m, floats, ints);
        Map<String, FloatTensor> expected;
        try {
            expected = OrtRunner.run(bytes(), inputs);
        } catch (OrtException e) {
            throw new AssertionError(name + ": ONNX Runtime cannot run the hand-built graph: " + e.getMessage(), e);
        }
        assertEquals(outputs.size(), expected.size(), name + ": outputs");
        for (String o : outputs) {
            TensorAssertions.assertClose(expected.get(o), got.get(o), Tolerance.DEFAULT, name + " output '" + o + "'");
        }
        return m;
    }

    /** Random float input of the given shape. */
    FloatTensor randomInput(int... shape) {
        int count = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        return FloatTensor.of(shape, RandomModels.uniform(rnd, count, 1f));
    }

    static AttributeProto attr(String n, long v) {
        return ExportGraph.attr(n, v);
    }

    static AttributeProto attr(String n, float v) {
        return ExportGraph.attr(n, v);
    }

    static AttributeProto attr(String n, String v) {
        return ExportGraph.attr(n, v);
    }

    static AttributeProto ints(String n, long... v) {
        return ExportGraph.ints(n, v);
    }
}
