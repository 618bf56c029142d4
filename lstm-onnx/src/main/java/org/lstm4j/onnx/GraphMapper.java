package org.lstm4j.onnx;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.lstm4j.model.Activation;
import org.lstm4j.model.ActivationLayer;
import org.lstm4j.model.DenseLayer;
import org.lstm4j.model.Direction;
import org.lstm4j.model.LstmLayer;
import org.lstm4j.model.MergeMode;
import org.lstm4j.model.OutputMode;
import org.lstm4j.model.Port;
import org.lstm4j.model.SequenceModel;
import org.lstm4j.onnx.Stages.DenseStage;
import org.lstm4j.onnx.Stages.InputStage;
import org.lstm4j.onnx.Stages.LstmStage;
import org.lstm4j.onnx.Stages.Stage;
import org.lstm4j.onnx.Stages.StateFeed;
import org.lstm4j.onnx.Stages.Stream;
import org.lstm4j.onnx.Values.Comp;
import org.lstm4j.onnx.Values.Const;
import org.lstm4j.onnx.Values.InversePerm;
import org.lstm4j.onnx.Values.Iota;
import org.lstm4j.onnx.Values.SortPerm;
import org.lstm4j.onnx.Values.SortedLens;
import org.lstm4j.onnx.Values.DimFill;
import org.lstm4j.onnx.Values.Dim;
import org.lstm4j.onnx.Values.Fill;
import org.lstm4j.onnx.Values.Kind;
import org.lstm4j.onnx.Values.Role;
import org.lstm4j.onnx.Values.Sel;
import org.lstm4j.onnx.Values.ShapeVec;
import org.lstm4j.onnx.Values.Source;
import org.lstm4j.onnx.Values.StateStack;
import org.lstm4j.onnx.Values.Val;
import org.lstm4j.onnx.Values.View;
import org.lstm4j.onnx.proto.OnnxProto.AttributeProto;
import org.lstm4j.onnx.proto.OnnxProto.GraphProto;
import org.lstm4j.onnx.proto.OnnxProto.ModelProto;
import org.lstm4j.onnx.proto.OnnxProto.NodeProto;
import org.lstm4j.onnx.proto.OnnxProto.OperatorSetIdProto;
import org.lstm4j.onnx.proto.OnnxProto.StringStringEntryProto;
import org.lstm4j.onnx.proto.OnnxProto.TensorProto;
import org.lstm4j.onnx.proto.OnnxProto.TensorShapeProto;
import org.lstm4j.onnx.proto.OnnxProto.ValueInfoProto;
import org.lstm4j.weights.DenseWeights;
import org.lstm4j.weights.LstmWeights;

/**
 * Maps one ONNX graph onto a {@link SequenceModel}: folds constants, tracks every other value as a
 * view of a network tensor with symbolic batch and time sizes, recognises LSTM, dense and glue
 * nodes, and assembles the chain of layers that leads to the graph output. Anything it does not
 * understand on that path is an error naming the node. Package-private; one instance per import.
 */
final class GraphMapper {
    /** Slice bounds at or beyond this mean "to the end" (exporters write INT32_MAX or INT64_MAX). */
    private static final long BIG = Integer.MAX_VALUE;

    private final ModelProto model;
    private final GraphProto graph;
    private final String source;
    private final TensorReader reader;
    private final OnnxImportOptions options;
    private final Map<String, Val> values = new HashMap<>();
    private final Map<String, InputStage> inputStages = new LinkedHashMap<>();
    private final Map<String, Source> inputSources = new LinkedHashMap<>();
    private int opset;
    private NodeProto node;

    GraphMapper(ModelProto model, String source, TensorReader reader, OnnxImportOptions options) {
        this.model = model;
        this.graph = model.getGraph();
        this.source = source;
        this.reader = reader;
        this.options = options;
    }

    // ------------------------------------------------------------------ errors

    private OnnxImportException fail(String reason) {
        if (node == null) {
            return new OnnxImportException(source + ": " + reason);
        }
        return new OnnxImportException(source + ": node '" + nodeName(node) + "' (" + node.getOpType() + "): " + reason);
    }

    private static String nodeName(NodeProto n) {
        if (!n.getName().isEmpty()) {
            return n.getName();
        }
        return n.getOutputCount() > 0 ? n.getOutput(0) : "(unnamed)";
    }

    // ------------------------------------------------------------------ entry

    SequenceModel map() {
        checkOpsets();
        if (graph.getNodeCount() > options.maxNodes()) {
            throw fail("the graph has " + graph.getNodeCount() + " nodes, more than the limit of " + options.maxNodes()
                    + " (OnnxImportOptions.maxNodes)");
        }
        if (graph.getInitializerCount() > options.maxInitializers()) {
            throw fail("the graph has " + graph.getInitializerCount() + " initializers, more than the limit of "
                    + options.maxInitializers() + " (OnnxImportOptions.maxInitializers)");
        }
        if (graph.getSparseInitializerCount() > 0) {
            throw fail("sparse initializers are not supported");
        }
        for (TensorProto t : graph.getInitializerList()) {
            if (values.containsKey(t.getName())) {
                throw fail("two initializers are named '" + t.getName() + "'");
            }
            values.put(t.getName(), new Const(reader.read(t, "initializer '" + t.getName() + "'")));
        }
        for (ValueInfoProto in : graph.getInputList()) {
            if (values.containsKey(in.getName())) {
                // An input with an initializer of the same name is a constant with a default (older exporters list weights as inputs).
                continue;
            }
            values.put(in.getName(), View.identity(inputSource(in)));
        }
        List<NodeProto> order = order();
        for (NodeProto n : order) {
            // A recurrence unrolled into a loop is reported as such, before any of the glue around it.
            if (n.getOpType().equals("Loop") || n.getOpType().equals("Scan")) {
                node = n;
                throw fail(loopMessage());
            }
        }
        for (NodeProto n : order) {
            node = n;
            try {
                evaluate(n);
            } catch (OnnxImportException e) {
                throw e;
            } catch (IllegalArgumentException | IllegalStateException | ArithmeticException | IndexOutOfBoundsException e) {
                throw fail(e.getMessage() == null ? e.toString() : e.getMessage());
            }
        }
        node = null;
        return assemble();
    }

    private void checkOpsets() {
        opset = -1;
        for (OperatorSetIdProto o : model.getOpsetImportList()) {
            if (o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx")) {
                opset = (int) o.getVersion();
            }
        }
        if (opset < 0) {
            throw fail("the model imports no version of the default ONNX operator set");
        }
        if (opset < 7) {
            throw fail("opset " + opset + " is older than 7, the first with today's LSTM operator; re-export with opset 7 or newer");
        }
    }

    private Source inputSource(ValueInfoProto in) {
        if (!in.getType().hasTensorType()) {
            throw fail("graph input '" + in.getName() + "' is not a tensor");
        }
        TensorShapeProto shape = in.getType().getTensorType().getShape();
        int rank = shape.getDimCount();
        if (rank > options.maxRank()) {
            throw fail("graph input '" + in.getName() + "' has rank " + rank + ", more than the limit " + options.maxRank());
        }
        Dim[] dims = new Dim[rank];
        Role[] roles = new Role[rank];
        for (int i = 0; i < rank; i++) {
            TensorShapeProto.Dimension d = shape.getDim(i);
            if (d.hasDimValue() && d.getDimValue() > 0) {
                dims[i] = Dim.of(d.getDimValue());
            } else if (d.hasDimValue() && d.getDimValue() < 0) {
                throw fail("graph input '" + in.getName() + "' declares a negative dimension " + d.getDimValue());
            } else {
                final String label = in.getName() + "." + i;
                dims[i] = Dim.symbol(new Object() {
                    @Override
                    public String toString() {
                        return label;
                    }
                });
            }
            roles[i] = Role.UNKNOWN;
        }
        Source s = new Source(Kind.INPUT, null, in.getName(), dims, roles);
        inputSources.put(in.getName(), s);
        return s;
    }

    /** The nodes the graph outputs depend on, in an order where each comes after its inputs (Kahn's algorithm; no recursion). */
    private List<NodeProto> order() {
        Map<String, Integer> producer = new HashMap<>();
        List<NodeProto> nodes = graph.getNodeList();
        for (int i = 0; i < nodes.size(); i++) {
            for (String o : nodes.get(i).getOutputList()) {
                if (o.isEmpty()) {
                    continue;
                }
                if (producer.put(o, i) != null || values.containsKey(o)) {
                    node = nodes.get(i);
                    throw fail("value '" + o + "' is produced twice (the graph is not in single-assignment form)");
                }
            }
        }
        boolean[] needed = new boolean[nodes.size()];
        Deque<String> work = new ArrayDeque<>();
        for (ValueInfoProto o : graph.getOutputList()) {
            work.add(o.getName());
        }
        while (!work.isEmpty()) {
            String v = work.poll();
            Integer p = producer.get(v);
            if (p == null) {
                if (!values.containsKey(v)) {
                    throw fail("value '" + v + "' is used but neither a graph input, an initializer nor a node output");
                }
                continue;
            }
            if (!needed[p]) {
                needed[p] = true;
                for (String in : nodes.get(p).getInputList()) {
                    if (!in.isEmpty()) {
                        work.add(in);
                    }
                }
            }
        }
        Map<Integer, Integer> missing = new HashMap<>();
        Map<String, List<Integer>> consumers = new HashMap<>();
        Deque<Integer> ready = new ArrayDeque<>();
        for (int i = 0; i < nodes.size(); i++) {
            if (!needed[i]) {
                continue;
            }
            int m = 0;
            for (String in : new LinkedHashSet<>(nodes.get(i).getInputList())) {
                if (!in.isEmpty() && producer.containsKey(in)) {
                    m++;
                    consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(i);
                }
            }
            missing.put(i, m);
            if (m == 0) {
                ready.add(i);
            }
        }
        List<NodeProto> out = new ArrayList<>();
        while (!ready.isEmpty()) {
            int i = ready.poll();
            out.add(nodes.get(i));
            for (String o : nodes.get(i).getOutputList()) {
                for (int c : consumers.getOrDefault(o, List.of())) {
                    if (missing.merge(c, -1, Integer::sum) == 0) {
                        ready.add(c);
                    }
                }
            }
        }
        if (out.size() < missing.size()) {
            for (Map.Entry<Integer, Integer> e : missing.entrySet()) {
                if (e.getValue() > 0) {
                    node = nodes.get(e.getKey());
                    throw fail("the node's inputs depend on its own outputs: the graph has a cycle");
                }
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ attributes and inputs

    private AttributeProto attr(String name) {
        for (AttributeProto a : node.getAttributeList()) {
            if (a.getName().equals(name)) {
                return a;
            }
        }
        return null;
    }

    private long attrInt(String name, long dflt) {
        AttributeProto a = attr(name);
        return a == null ? dflt : a.getI();
    }

    private float attrFloat(String name, float dflt) {
        AttributeProto a = attr(name);
        return a == null ? dflt : a.getF();
    }

    private String attrString(String name, String dflt) {
        AttributeProto a = attr(name);
        return a == null ? dflt : a.getS().toStringUtf8();
    }

    private long[] attrInts(String name) {
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

    private Val in(int i) {
        if (i >= node.getInputCount() || node.getInput(i).isEmpty()) {
            return null;
        }
        Val v = values.get(node.getInput(i));
        if (v == null) {
            throw fail("input '" + node.getInput(i) + "' has no value (a missing initializer?)");
        }
        return v;
    }

    private Val required(int i, String what) {
        Val v = in(i);
        if (v == null) {
            throw fail("its input " + what + " is missing");
        }
        return v;
    }

    private Tensor constIn(int i, String what) {
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
        if (v instanceof Fill f && allKnown(f.dims())) {
            return fillTensor(f);
        }
        throw fail("its input " + what + " ('" + node.getInput(i) + "') must be a constant, but it is computed from "
                + describe(v));
    }

    private static String describe(Val v) {
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

    private static boolean allKnown(Dim[] dims) {
        for (Dim d : dims) {
            if (!d.known()) {
                return false;
            }
        }
        return true;
    }

    private Tensor fillTensor(Fill f) {
        long[] shape = new long[f.dims().length];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = f.dims()[i].value;
        }
        long n = reader.checkedCount(shape, "the output of node '" + nodeName(node) + "'");
        reader.charge(n, "node '" + nodeName(node) + "'");
        double[] v = new double[(int) n];
        Arrays.fill(v, f.value());
        return new Tensor(Tensor.FLOAT, shape, v);
    }

    private Tensor charged(Tensor t) {
        reader.charge(t.size(), "node '" + nodeName(node) + "'");
        return t;
    }

    private void out(int i, Val v) {
        if (i < node.getOutputCount() && !node.getOutput(i).isEmpty()) {
            values.put(node.getOutput(i), v);
        }
    }

    private static int axis(long a, int rank) {
        long x = a < 0 ? a + rank : a;
        if (x < 0 || x >= rank) {
            throw new IllegalArgumentException("axis " + a + " is out of range for rank " + rank);
        }
        return (int) x;
    }

    /** Axes given as an attribute (older opsets) or as the input at {@code inputIndex}. */
    private long[] axesArg(int inputIndex) {
        long[] a = attrInts("axes");
        if (a != null) {
            return a;
        }
        Tensor t = constIn(inputIndex, "axes");
        return t == null ? null : t.toLongs();
    }

    // ------------------------------------------------------------------ evaluation

    private void evaluate(NodeProto n) {
        String op = n.getOpType();
        if (!n.getDomain().isEmpty() && !n.getDomain().equals("ai.onnx")) {
            throw fail("op " + op + " of domain '" + n.getDomain() + "' is not supported (only standard ONNX ops are)");
        }
        switch (op) {
            case "Constant": constant(); return;
            case "Identity": case "Dropout":
                if (op.equals("Dropout") && n.getOutputCount() > 1 && !n.getOutput(1).isEmpty()) {
                    Set<String> outs = new HashSet<>();
                    for (ValueInfoProto o : graph.getOutputList()) {
                        outs.add(o.getName());
                    }
                    // A mask output is only a problem when something reads it; ordering already skipped unused nodes.
                    if (outs.contains(n.getOutput(1))) {
                        throw fail("its mask output is a graph output, which has no counterpart in a model for inference");
                    }
                }
                out(0, required(0, "input"));
                return;
            case "Cast": cast(); return;
            case "Shape": shape(); return;
            case "ConstantOfShape": constantOfShape(); return;
            case "Expand": expand(); return;
            case "Transpose": transpose(); return;
            case "Squeeze": squeeze(); return;
            case "Unsqueeze": unsqueeze(); return;
            case "Reshape": reshape(); return;
            case "Flatten": flatten(); return;
            case "Slice": slice(); return;
            case "Gather": gather(); return;
            case "Split": split(); return;
            case "Concat": concat(); return;
            case "Add": case "Sub": case "Mul": case "Div": binary(op); return;
            case "Neg": neg(); return;
            case "Equal": case "Less": case "Greater": case "Max": case "Min": foldBinary(op); return;
            case "Where": where(); return;
            case "Range": range(); return;
            case "MatMul": matmul(); return;
            case "Gemm": gemm(); return;
            case "Relu": case "Sigmoid": case "Tanh": case "LeakyRelu": case "Elu": case "Softmax": case "Softsign":
            case "Softplus": case "HardSigmoid": case "ThresholdedRelu":
                activation(op); return;
            case "LSTM": lstm(); return;
            case "ReverseSequence": reverseSequence(); return;
            case "TopK": topK(); return;
            case "ScatterElements": case "Scatter": scatter(); return;
            case "ReduceProd": reduceProd(); return;
            case "Loop": case "Scan": case "If":
                throw fail(loopMessage());
            case "GRU": case "RNN":
                throw fail("only LSTM layers are supported; this model has a " + op + " layer");
            default:
                throw fail("op " + op + " is not supported between the graph input and output (lstm4j maps LSTM, "
                        + "MatMul/Gemm + Add dense layers, their activations, and the layout glue exporters write around them)");
        }
    }

    private String loopMessage() {
        Set<String> ops = new TreeSet<>();
        Deque<GraphProto> work = new ArrayDeque<>();
        for (AttributeProto a : node.getAttributeList()) {
            if (a.hasG()) {
                work.add(a.getG());
            }
            work.addAll(a.getGraphsList());
        }
        int visited = 0;
        while (!work.isEmpty() && visited++ < 64) {
            for (NodeProto b : work.poll().getNodeList()) {
                ops.add(b.getOpType());
                for (AttributeProto a : b.getAttributeList()) {
                    if (a.hasG()) {
                        work.add(a.getG());
                    }
                }
            }
        }
        StringBuilder sb = new StringBuilder("a ").append(node.getOpType())
                .append(" (a recurrence unrolled into a loop body) cannot be mapped to a layer; lstm4j imports the fused ONNX LSTM "
                        + "operator only. From PyTorch, use nn.LSTM (not a hand-written LSTMCell loop) and export with "
                        + "torch.onnx.export. From Keras, tf2onnx fuses an LSTM into the ONNX LSTM op only when it uses the "
                        + "default activations (tanh, sigmoid), no masking and no unusual options");
        Set<String> top = new HashSet<>();
        for (NodeProto n : graph.getNodeList()) {
            top.add(n.getOpType());
        }
        List<String> hints = new ArrayList<>();
        if (ops.contains("HardSigmoid") || ops.contains("Clip") && !ops.contains("Sigmoid")) {
            // Keras 3 writes hard_sigmoid as relu6(x + 3) / 6, which tf2onnx leaves as a Clip in the loop body.
            hints.add("recurrent_activation='hard_sigmoid'");
        }
        if (ops.contains("Relu")) {
            hints.add("activation='relu'");
        }
        if (ops.contains("Elu") || ops.contains("Selu") || ops.contains("Softsign") || ops.contains("Softplus")) {
            hints.add("a non-default activation (" + String.join("/", ops.stream().filter(o -> Set.of("Elu", "Selu", "Softsign", "Softplus").contains(o)).toList()) + ")");
        }
        if (ops.contains("Not") || ops.contains("NotEqual") || top.contains("Not") || top.contains("NotEqual") || top.contains("Equal")) {
            hints.add("masking (a Masking layer or Embedding(mask_zero=True)), which tf2onnx cannot fuse");
        }
        if (!hints.isEmpty()) {
            sb.append("; the loop body suggests ").append(String.join(" and ", hints));
        }
        if (!ops.isEmpty()) {
            sb.append(" (loop body ops: ").append(String.join(", ", ops)).append(')');
        }
        return sb.toString();
    }

    private void constant() {
        for (AttributeProto a : node.getAttributeList()) {
            switch (a.getName()) {
                case "value":
                    out(0, new Const(reader.read(a.getT(), "the value of Constant node '" + nodeName(node) + "'")));
                    return;
                case "value_float": out(0, new Const(Tensor.scalar(Tensor.FLOAT, a.getF()))); return;
                case "value_int": out(0, new Const(Tensor.scalar(Tensor.INT64, a.getI()))); return;
                case "value_floats": {
                    double[] v = new double[a.getFloatsCount()];
                    for (int i = 0; i < v.length; i++) {
                        v[i] = a.getFloats(i);
                    }
                    out(0, new Const(Tensor.vector(Tensor.FLOAT, v)));
                    return;
                }
                case "value_ints": {
                    double[] v = new double[a.getIntsCount()];
                    for (int i = 0; i < v.length; i++) {
                        v[i] = a.getInts(i);
                    }
                    out(0, new Const(Tensor.vector(Tensor.INT64, v)));
                    return;
                }
                default:
                    break;
            }
        }
        throw fail("a Constant without a dense value (sparse or string constants are not supported)");
    }

    private void cast() {
        int to = (int) attrInt("to", 1);
        Val v = required(0, "input");
        if (v instanceof Const c) {
            out(0, new Const(charged(Folding.cast(c.t(), to))));
        } else if (v instanceof ShapeVec || v instanceof Fill) {
            out(0, v);
        } else if (v instanceof View w) {
            if (w.src.kind == Kind.INPUT || to == Tensor.FLOAT) {
                // Casts of graph inputs (int64 sequence lengths to int32) and float-to-float casts change no value we map.
                out(0, v);
            } else {
                throw fail("casts network data to " + Tensor.typeName(to));
            }
        } else {
            out(0, v);
        }
    }

    private void shape() {
        Val v = required(0, "input");
        Dim[] dims;
        if (v instanceof Const c) {
            dims = new Dim[c.t().rank()];
            for (int i = 0; i < dims.length; i++) {
                dims[i] = Dim.of(c.t().shape[i]);
            }
        } else if (v instanceof View w) {
            dims = w.dims();
        } else if (v instanceof Fill f) {
            dims = f.dims();
        } else if (v instanceof ShapeVec s) {
            dims = s.scalar() ? new Dim[0] : new Dim[] {Dim.of(s.elems().length)};
        } else if (v instanceof SortPerm p) {
            dims = new Dim[] {p.n()};
        } else {
            throw fail("takes the shape of " + describe(v));
        }
        int r = dims.length;
        int start = (int) Math.max(0, Math.min(r, norm(attrInt("start", 0), r)));
        int end = (int) Math.max(0, Math.min(r, norm(attrInt("end", r), r)));
        Dim[] sel = Arrays.copyOfRange(dims, start, Math.max(start, end));
        ShapeVec s = new ShapeVec(sel, false);
        out(0, s.allKnown() ? new Const(s.toTensor()) : s);
    }

    private static long norm(long i, long n) {
        return i < 0 ? i + n : i;
    }

    private Dim[] shapeArg(Val v, String what) {
        if (v instanceof Const c) {
            if (c.t().rank() > 1) {
                throw fail(what + " must be a 1-D shape, got " + c.t());
            }
            Dim[] d = new Dim[c.t().size()];
            for (int i = 0; i < d.length; i++) {
                d[i] = Dim.of((long) c.t().values[i]);
            }
            return d;
        }
        if (v instanceof ShapeVec s) {
            return s.elems();
        }
        throw fail(what + " must be a shape, but it is computed from " + describe(v));
    }

    private void constantOfShape() {
        Dim[] dims = shapeArg(required(0, "shape"), "its input shape");
        AttributeProto a = attr("value");
        double value = 0;
        if (a != null) {
            Tensor t = reader.read(a.getT(), "the value of node '" + nodeName(node) + "'");
            if (t.size() != 1) {
                throw fail("its value attribute must hold one element, got " + t);
            }
            value = t.values[0];
        }
        for (Dim d : dims) {
            if (d.known() && d.value < 0) {
                throw fail("asks for a negative dimension in " + Arrays.toString(dims));
            }
        }
        out(0, new Fill(value, dims));
    }

    private void expand() {
        Val v = required(0, "input");
        Dim[] shape = shapeArg(required(1, "shape"), "its input shape");
        if (v instanceof Const c && c.t().size() > 0 && c.t().allEqual(c.t().values[0])) {
            Dim[] dims = broadcastDims(constDims(c.t()), shape);
            out(0, new Fill(c.t().values[0], dims));
        } else if (v instanceof Fill f) {
            out(0, new Fill(f.value(), broadcastDims(f.dims(), shape)));
        } else if (v instanceof ShapeVec sv && sv.elems().length == 1) {
            out(0, new DimFill(sv.elems()[0], broadcastDims(sv.scalar() ? new Dim[0] : new Dim[] {Dim.of(1)}, shape)));
        } else if (v instanceof View w) {
            // Expanding to its own shape (or to ones) is a no-op exporters sometimes leave in.
            Dim[] dims = w.dims();
            if (shape.length > dims.length) {
                throw fail("broadcasts network data to a higher rank " + Arrays.toString(shape));
            }
            for (int i = 0; i < shape.length; i++) {
                Dim target = shape[i];
                Dim own = dims[dims.length - shape.length + i];
                if (!target.isKnown(1) && !target.equals(own)) {
                    throw fail("broadcasts network data of shape " + Arrays.toString(dims) + " to " + Arrays.toString(shape));
                }
            }
            out(0, v);
        } else {
            throw fail("expands " + describe(v) + ", which is not a single repeated value");
        }
    }

    private static Dim[] constDims(Tensor t) {
        Dim[] d = new Dim[t.rank()];
        for (int i = 0; i < d.length; i++) {
            d[i] = Dim.of(t.shape[i]);
        }
        return d;
    }

    private static Dim[] broadcastDims(Dim[] a, Dim[] b) {
        int r = Math.max(a.length, b.length);
        Dim[] out = new Dim[r];
        for (int i = 0; i < r; i++) {
            Dim x = i < r - a.length ? Dim.of(1) : a[i - (r - a.length)];
            Dim y = i < r - b.length ? Dim.of(1) : b[i - (r - b.length)];
            out[i] = x.isKnown(1) ? y : x;
        }
        return out;
    }

    private void transpose() {
        Val v = required(0, "input");
        int rank = rankOf(v);
        long[] p = attrInts("perm");
        int[] perm = new int[rank];
        for (int i = 0; i < rank; i++) {
            perm[i] = p == null ? rank - 1 - i : axis(p[i], rank);
        }
        if (p != null && p.length != rank) {
            throw fail("perm " + Arrays.toString(p) + " does not fit rank " + rank);
        }
        if (v instanceof Const c) {
            out(0, new Const(charged(Folding.transpose(c.t(), perm))));
        } else if (v instanceof Fill f) {
            Dim[] d = new Dim[rank];
            for (int i = 0; i < rank; i++) {
                d[i] = f.dims()[perm[i]];
            }
            out(0, new Fill(f.value(), d));
        } else if (v instanceof View w) {
            List<List<Comp>> axes = new ArrayList<>();
            for (int i = 0; i < rank; i++) {
                axes.add(w.axes.get(perm[i]));
            }
            out(0, w.with(axes, w.fixed));
        } else {
            throw fail("transposes " + describe(v));
        }
    }

    private int rankOf(Val v) {
        if (v instanceof Const c) {
            return c.t().rank();
        }
        if (v instanceof Fill f) {
            return f.dims().length;
        }
        if (v instanceof View w) {
            return w.rank();
        }
        if (v instanceof ShapeVec s) {
            return s.scalar() ? 0 : 1;
        }
        if (v instanceof StateStack s) {
            return s.parts().get(0).rank();
        }
        throw fail("cannot tell the rank of " + v);
    }

    private void squeeze() {
        Val v = required(0, "input");
        long[] ax = axesArg(1);
        int rank = rankOf(v);
        Set<Integer> drop = new TreeSet<>();
        if (ax == null) {
            Dim[] dims = dimsOf(v);
            for (int i = 0; i < rank; i++) {
                if (dims[i].isKnown(1)) {
                    drop.add(i);
                } else if (!dims[i].known()) {
                    throw fail("squeezes without axes a tensor whose size " + dims[i] + " is known only at run time");
                }
            }
        } else {
            for (long a : ax) {
                drop.add(axis(a, rank));
            }
        }
        if (v instanceof Const c) {
            out(0, new Const(reshapeConst(c.t(), removeAxes(constDims(c.t()), drop))));
        } else if (v instanceof ShapeVec s) {
            if (s.elems().length != 1) {
                throw fail("squeezes a shape of " + s.elems().length + " elements");
            }
            out(0, new ShapeVec(s.elems(), true));
        } else if (v instanceof Fill f) {
            out(0, new Fill(f.value(), removeAxes(f.dims(), drop)));
        } else if (v instanceof View w) {
            out(0, squeezeView(w, drop));
        } else if (v instanceof StateStack st && st.parts().size() == 1) {
            out(0, squeezeView(st.parts().get(0), drop));
        } else {
            throw fail("squeezes " + describe(v));
        }
    }

    private Dim[] dimsOf(Val v) {
        if (v instanceof Const c) {
            return constDims(c.t());
        }
        if (v instanceof Fill f) {
            return f.dims();
        }
        if (v instanceof View w) {
            return w.dims();
        }
        if (v instanceof ShapeVec s) {
            return s.scalar() ? new Dim[0] : new Dim[] {Dim.of(s.elems().length)};
        }
        throw fail("cannot tell the shape of " + v);
    }

    private Dim[] removeAxes(Dim[] dims, Set<Integer> drop) {
        List<Dim> out = new ArrayList<>();
        for (int i = 0; i < dims.length; i++) {
            if (drop.contains(i)) {
                if (!dims[i].isKnown(1) && dims[i].known()) {
                    throw fail("squeezes axis " + i + " of size " + dims[i] + " (only size-1 axes can be squeezed)");
                }
            } else {
                out.add(dims[i]);
            }
        }
        return out.toArray(new Dim[0]);
    }

    private Tensor reshapeConst(Tensor t, Dim[] dims) {
        long[] shape = new long[dims.length];
        for (int i = 0; i < dims.length; i++) {
            shape[i] = dims[i].value;
        }
        if (Tensor.count(shape) != t.size()) {
            throw fail("reshapes " + t + " to " + Arrays.toString(shape));
        }
        return new Tensor(t.type, shape, t.values);
    }

    private View squeezeView(View w, Set<Integer> drop) {
        List<List<Comp>> axes = new ArrayList<>();
        Map<Integer, Comp> fixed = w.fixedCopy();
        for (int i = 0; i < w.rank(); i++) {
            if (!drop.contains(i)) {
                axes.add(w.axes.get(i));
                continue;
            }
            List<Comp> a = w.axes.get(i);
            if (!w.dim(i).isKnown(1)) {
                throw fail("squeezes axis " + i + " of size " + w.dim(i) + " of " + w.src + " (only size-1 axes can be squeezed)");
            }
            for (Comp c : a) {
                fixed.put(c.axis, c);
            }
        }
        return w.with(axes, fixed);
    }

    private void unsqueeze() {
        Val v = required(0, "input");
        long[] ax = axesArg(1);
        if (ax == null) {
            throw fail("has no axes");
        }
        int rank = rankOf(v) + ax.length;
        TreeSet<Integer> add = new TreeSet<>();
        for (long a : ax) {
            add.add(axis(a, rank));
        }
        if (v instanceof Const c) {
            out(0, new Const(reshapeConst(c.t(), insertOnes(constDims(c.t()), add))));
        } else if (v instanceof ShapeVec s) {
            if (!s.scalar() || ax.length != 1) {
                throw fail("unsqueezes a shape vector to rank " + rank);
            }
            out(0, new ShapeVec(s.elems(), false));
        } else if (v instanceof Fill f) {
            out(0, new Fill(f.value(), insertOnes(f.dims(), add)));
        } else if (v instanceof View w) {
            List<List<Comp>> axes = new ArrayList<>();
            int k = 0;
            for (int i = 0; i < rank; i++) {
                axes.add(add.contains(i) ? List.of() : w.axes.get(k++));
            }
            out(0, w.with(axes, w.fixed));
        } else {
            throw fail("unsqueezes " + describe(v));
        }
    }

    private static Dim[] insertOnes(Dim[] dims, Set<Integer> add) {
        Dim[] out = new Dim[dims.length + add.size()];
        int k = 0;
        for (int i = 0; i < out.length; i++) {
            out[i] = add.contains(i) ? Dim.of(1) : dims[k++];
        }
        return out;
    }

    private void flatten() {
        Val v = required(0, "input");
        int rank = rankOf(v);
        int a = axis(attrInt("axis", 1), rank + 1);
        Dim[] dims = dimsOf(v);
        List<Dim> left = new ArrayList<>(Arrays.asList(dims).subList(0, a));
        List<Dim> right = new ArrayList<>(Arrays.asList(dims).subList(a, rank));
        Dim[] target = {Values.product(left.isEmpty() ? List.of(Dim.of(1)) : left),
            Values.product(right.isEmpty() ? List.of(Dim.of(1)) : right)};
        if (v instanceof View w && a == rank - 1 && rank == 2) {
            out(0, w);
            return;
        }
        applyReshape(v, target);
    }

    private void reshape() {
        Val v = required(0, "input");
        Dim[] target = shapeArg(required(1, "shape"), "its input shape").clone();
        boolean allowZero = attrInt("allowzero", 0) != 0;
        Dim[] dims = dimsOf(v);
        for (int i = 0; i < target.length; i++) {
            if (target[i].isKnown(0) && !allowZero) {
                if (i >= dims.length) {
                    throw fail("copies dimension " + i + " (0 in the shape) of a rank-" + dims.length + " tensor");
                }
                target[i] = dims[i];
            }
        }
        applyReshape(v, target);
    }

    private void applyReshape(Val v, Dim[] target) {
        if (v instanceof Const c) {
            out(0, new Const(reshapeConst(c.t(), resolveKnown(constDims(c.t()), target))));
        } else if (v instanceof ShapeVec s) {
            long n = 1;
            for (Dim d : target) {
                n *= d.isKnown(-1) ? 1 : d.value;
            }
            if (target.length > 1 || n != s.elems().length && !(target.length == 1 && target[0].isKnown(-1))) {
                throw fail("reshapes a shape vector to " + Arrays.toString(target));
            }
            out(0, new ShapeVec(s.elems(), target.length == 0));
        } else if (v instanceof Fill f) {
            int minus = -1;
            for (int i = 0; i < target.length; i++) {
                if (target[i].isKnown(-1)) {
                    minus = i;
                }
            }
            Dim[] t = target.clone();
            if (minus >= 0) {
                t[minus] = allKnown(f.dims()) ? resolveKnown(f.dims(), target)[minus] : Dim.unknown();
            }
            out(0, new Fill(f.value(), t));
        } else if (v instanceof View w) {
            out(0, reshapeView(w, target));
        } else {
            throw fail("reshapes " + describe(v));
        }
    }

    private Dim[] resolveKnown(Dim[] dims, Dim[] target) {
        long total = 1;
        for (Dim d : dims) {
            total *= d.value;
        }
        long known = 1;
        int minus = -1;
        Dim[] out = target.clone();
        for (int i = 0; i < target.length; i++) {
            if (!target[i].known()) {
                throw fail("reshapes a constant to a run-time shape");
            }
            if (target[i].value == -1) {
                if (minus >= 0) {
                    throw fail("has two -1 entries in its shape");
                }
                minus = i;
            } else {
                known *= target[i].value;
            }
        }
        if (minus >= 0) {
            if (known == 0 || total % known != 0) {
                throw fail("cannot infer the -1 of shape " + Arrays.toString(target) + " for " + total + " elements");
            }
            out[minus] = Dim.of(total / known);
        }
        return out;
    }

    /**
     * Reshape of a view: each target size maps to one input axis, several merged input axes, part
     * of a merged axis, or a new size-1 axis; a -1 takes whatever remains between its neighbours.
     */
    private View reshapeView(View w, Dim[] target) {
        List<Deque<Comp>> in = new ArrayList<>();
        for (List<Comp> a : w.axes) {
            in.add(new ArrayDeque<>(a));
        }
        Map<Integer, Comp> fixed = w.fixedCopy();
        int minus = -1;
        for (int i = 0; i < target.length; i++) {
            if (target[i].isKnown(-1)) {
                if (minus >= 0) {
                    throw fail("has two -1 entries in its shape");
                }
                minus = i;
            }
        }
        List<List<Comp>> left = new ArrayList<>();
        int[] pos = {0};
        int end = minus >= 0 ? minus : target.length;
        for (int j = 0; j < end; j++) {
            // The last of a run of size-1 targets takes every size-1 axis left before the next real size (all sizes 1: [T,B,1,1] -> [T,B,1]).
            boolean lastOne = j + 1 == end || !target[j + 1].isKnown(1);
            left.add(takeAxis(w, in, pos, target[j], fixed, lastOne));
        }
        List<List<Comp>> right = new ArrayList<>();
        if (minus >= 0) {
            // Match from the right, then merge what is left into the -1 axis.
            List<Deque<Comp>> rev = new ArrayList<>();
            for (int k = in.size() - 1; k >= pos[0]; k--) {
                Deque<Comp> d = new ArrayDeque<>();
                in.get(k).descendingIterator().forEachRemaining(d::add);
                rev.add(d);
            }
            int[] rpos = {0};
            for (int j = target.length - 1; j > minus; j--) {
                List<Comp> a = new ArrayList<>(takeAxis(w, rev, rpos, target[j], fixed, false));
                java.util.Collections.reverse(a);
                right.add(0, a);
            }
            List<Comp> middle = new ArrayList<>();
            for (int k = rev.size() - 1; k >= rpos[0]; k--) {
                List<Comp> cs = new ArrayList<>(rev.get(k));
                java.util.Collections.reverse(cs);
                middle.addAll(cs);
            }
            List<List<Comp>> axes = new ArrayList<>(left);
            axes.add(middle);
            axes.addAll(right);
            return w.with(axes, fixed);
        }
        // Trailing size-1 input axes may be dropped.
        while (pos[0] < in.size()) {
            Deque<Comp> rest = in.get(pos[0]);
            for (Comp c : rest) {
                if (!c.size(w.src).isKnown(1)) {
                    throw fail("reshapes " + w.src + " of shape " + Arrays.toString(w.dims()) + " to "
                            + Arrays.toString(target) + ", which does not keep its axes apart");
                }
                fixed.put(c.axis, c);
            }
            pos[0]++;
        }
        return w.with(left, fixed);
    }

    /** Whether every source axis not yet taken has size 1. */
    private static boolean onlyOnesLeft(View w, List<Deque<Comp>> in, int from) {
        for (int k = from; k < in.size(); k++) {
            for (Comp c : in.get(k)) {
                if (!c.size(w.src).isKnown(1)) {
                    return false;
                }
            }
        }
        return true;
    }

    private List<Comp> takeAxis(View w, List<Deque<Comp>> in, int[] pos, Dim want, Map<Integer, Comp> fixed, boolean takeAllOnes) {
        while (true) {
            if (pos[0] < in.size() && in.get(pos[0]).isEmpty()) {
                // An inserted size-1 axis: it becomes the wanted size-1 axis, or disappears.
                pos[0]++;
                if (want.isKnown(1)) {
                    return List.of();
                }
                continue;
            }
            if (pos[0] >= in.size()) {
                if (want.isKnown(1)) {
                    return List.of();
                }
                throw fail("reshapes " + w.src + " of shape " + Arrays.toString(w.dims()) + " to a shape with an extra axis of size " + want);
            }
            Deque<Comp> cur = in.get(pos[0]);
            Comp head = cur.peekFirst();
            Dim hs = head.size(w.src);
            if (want.isKnown(1)) {
                if (hs.isKnown(1)) {
                    List<Comp> ones = new ArrayList<>();
                    do {
                        ones.add(in.get(pos[0]).pollFirst());
                        if (in.get(pos[0]).isEmpty()) {
                            pos[0]++;
                        }
                    } while (takeAllOnes && onlyOnesLeft(w, in, pos[0]) && pos[0] < in.size() && !in.get(pos[0]).isEmpty());
                    return ones;
                }
                return List.of();
            }
            if (hs.isKnown(1)) {
                fixed.put(head.axis, head);
                cur.pollFirst();
                if (cur.isEmpty()) {
                    pos[0]++;
                }
                continue;
            }
            break;
        }
        // Take source axes, across input axes if need be, until their sizes multiply to the wanted size.
        List<Comp> taken = new ArrayList<>();
        List<Dim> sizes = new ArrayList<>();
        while (true) {
            if (pos[0] >= in.size()) {
                throw fail("reshapes " + w.src + " of shape " + Arrays.toString(w.dims()) + ": no axes left for a size " + want);
            }
            Deque<Comp> d = in.get(pos[0]);
            if (d.isEmpty()) {
                pos[0]++;
                continue;
            }
            Comp c = d.pollFirst();
            taken.add(c);
            sizes.add(c.size(w.src));
            if (d.isEmpty()) {
                pos[0]++;
            }
            Dim p = Values.product(sizes);
            if (p.equals(want)) {
                // Size-1 axes that follow belong here too unless a size-1 target comes next ([T,B,2,1] -> [T,B,2]).
                while (takeAllOnes && onlyOnesLeft(w, in, pos[0]) && pos[0] < in.size() && !in.get(pos[0]).isEmpty()) {
                    taken.add(in.get(pos[0]).pollFirst());
                    if (in.get(pos[0]).isEmpty()) {
                        pos[0]++;
                    }
                }
                return taken;
            }
            if (want.known() && (!p.known() || p.value > want.value) || !want.known() && !(want.sym instanceof Values.ProdKey)) {
                throw fail("reshapes " + w.src + " of shape " + Arrays.toString(w.dims()) + " to a size " + want
                        + " that splits or mixes its axes");
            }
        }
    }

    // ------------------------------------------------------------------ slicing

    private void slice() {
        Val v = required(0, "input");
        int rank = rankOf(v);
        long[] starts;
        long[] ends;
        long[] axes;
        long[] steps;
        Dim[] startDims = null;
        Dim[] endDims = null;
        if (opset < 10) {
            starts = attrInts("starts");
            ends = attrInts("ends");
            axes = attrInts("axes");
            steps = null;
            if (starts == null || ends == null) {
                throw fail("has no starts or ends");
            }
        } else {
            startDims = shapeArg(required(1, "starts"), "its starts");
            endDims = shapeArg(required(2, "ends"), "its ends");
            starts = new long[startDims.length];
            ends = new long[endDims.length];
            Tensor a = constIn(3, "axes");
            axes = a == null ? null : a.toLongs();
            Tensor s = constIn(4, "steps");
            steps = s == null ? null : s.toLongs();
        }
        int n = startDims != null ? startDims.length : starts.length;
        if (axes == null) {
            axes = new long[n];
            for (int i = 0; i < n; i++) {
                axes[i] = i;
            }
        }
        if (steps == null) {
            steps = new long[n];
            Arrays.fill(steps, 1);
        }
        if (axes.length != n || steps.length != n || (endDims != null ? endDims.length : ends.length) != n) {
            throw fail("starts, ends, axes and steps differ in length");
        }
        Val cur = v;
        for (int k = 0; k < n; k++) {
            Dim s = startDims != null ? startDims[k] : Dim.of(starts[k]);
            Dim e = endDims != null ? endDims[k] : Dim.of(ends[k]);
            cur = sliceAxis(cur, axis(axes[k], rank), s, e, steps[k]);
        }
        out(0, cur);
    }

    /** Normalised [start, end) with step of a known-size axis, as ONNX Slice clamps them. */
    private static long[] clampSlice(long dim, long start, long end, long step) {
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

    private Val sliceAxis(Val v, int ax, Dim start, Dim end, long step) {
        if (v instanceof Const c) {
            if (!start.known() || !end.known()) {
                throw fail("slices a constant at positions known only at run time");
            }
            long[] st = new long[c.t().rank()];
            long[] sp = new long[c.t().rank()];
            long[] cnt = c.t().shape.clone();
            Arrays.fill(sp, 1);
            long[] r = clampSlice(c.t().shape[ax], start.value, end.value, step);
            st[ax] = r[0];
            sp[ax] = step;
            cnt[ax] = r[1];
            return new Const(charged(Folding.slice(c.t(), st, sp, cnt)));
        }
        if (v instanceof ShapeVec s) {
            if (!start.known() || !end.known() || step != 1 || s.scalar()) {
                throw fail("slices a shape vector at run-time positions");
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
        throw fail("slices " + describe(v));
    }

    private Val sliceStack(StateStack st, Dim start, Dim end, long step) {
        long total = 0;
        for (View p : st.parts()) {
            total += p.dim(0).value;
        }
        if (!start.known() || !end.known() || step != 1) {
            throw fail("selects final states at run-time positions");
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

    private Val sliceView(View w, int ax, Dim start, Dim end, long step) {
        List<Comp> a = w.axes.get(ax);
        Dim size = w.dim(ax);
        if (a.size() != 1) {
            if (size.known() && start.known() && end.known()) {
                long[] r = clampSlice(size.value, start.value, end.value, step);
                if (r[0] == 0 && r[1] == size.value && step == 1) {
                    return w;
                }
            }
            throw fail("slices axis " + ax + " of " + w.src + ", which merges " + a.size() + " axes");
        }
        Comp c = a.get(0);
        Comp n;
        Dim srcDim = w.src.dims[c.axis];
        if (c.sel == Sel.FULL) {
            long[] s = position(start, srcDim);
            long[] e = position(end, srcDim);
            if (s == null || e == null) {
                throw fail("slices " + w.src + " at run-time positions it cannot relate to the axis size");
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
                throw fail("slices steps " + start + ":" + end + ":" + step + " of an axis of run-time size " + srcDim + " of "
                        + w.src + "; only the whole axis, its first or its last step, or the whole axis reversed can be mapped");
            }
        } else if (c.sel == Sel.LAST || c.sel == Sel.FIRST) {
            long[] r = start.known() && end.known() ? clampSlice(1, start.value, end.value, step) : null;
            if (r == null || r[1] != 1) {
                throw fail("slices a single step of " + w.src + " again");
            }
            return w;
        } else {
            if (!start.known() || !end.known()) {
                throw fail("slices a known-size axis at run-time positions");
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
                throw fail("slices " + w.src + " with step " + step);
            }
        }
        List<List<Comp>> axes = new ArrayList<>(w.axes);
        axes.set(ax, List.of(n));
        return w.with(axes, w.fixed);
    }

    private void gather() {
        Val v = required(0, "data");
        Val idx = required(1, "indices");
        int rank = rankOf(v);
        int ax = axis(attrInt("axis", 0), rank);
        Tensor indices;
        if ((idx instanceof SortPerm || idx instanceof InversePerm) && v instanceof View w) {
            out(0, permuteBatch(w, ax, idx));
            return;
        }
        if ((idx instanceof SortPerm || idx instanceof InversePerm) && v instanceof StateStack st) {
            List<View> parts = new ArrayList<>();
            for (View p : st.parts()) {
                parts.add(permuteBatch(p, ax, idx));
            }
            out(0, new StateStack(parts));
            return;
        }
        if (idx instanceof Const ic) {
            indices = ic.t();
        } else if (idx instanceof ShapeVec s && s.scalar() && v instanceof View) {
            // y[T - 1] with T taken from Shape at run time.
            out(0, squeezeView((View) sliceView((View) v, ax, s.elems()[0], s.elems()[0].plus(1), 1), Set.of(ax)));
            return;
        } else {
            throw fail("gathers with indices computed from " + describe(idx));
        }
        if (v instanceof Const c) {
            out(0, new Const(charged(Folding.gather(c.t(), ax, indices))));
            return;
        }
        if (indices.size() != 1) {
            if (v instanceof ShapeVec s && indices.rank() == 1) {
                Dim[] d = new Dim[indices.size()];
                for (int i = 0; i < d.length; i++) {
                    d[i] = s.elems()[(int) norm((long) indices.values[i], s.elems().length)];
                }
                out(0, new ShapeVec(d, false));
                return;
            }
            throw fail("gathers " + indices.size() + " indices at once from " + describe(v));
        }
        long i = (long) indices.values[0];
        boolean keep = indices.rank() == 1;
        if (v instanceof ShapeVec s) {
            Dim d = s.elems()[(int) norm(i, s.elems().length)];
            ShapeVec r = new ShapeVec(new Dim[] {d}, !keep);
            out(0, r.allKnown() ? new Const(r.toTensor()) : r);
            return;
        }
        Dim start = Dim.of(i);
        Dim end = Dim.of(i == -1 ? BIG : i + 1);
        Val sliced = sliceAxis(v, ax, start, end, 1);
        if (keep) {
            out(0, sliced);
        } else if (sliced instanceof View sv) {
            out(0, squeezeView(sv, Set.of(ax)));
        } else if (sliced instanceof Fill f) {
            out(0, new Fill(f.value(), removeAxes(f.dims(), Set.of(ax))));
        } else {
            throw fail("gathers from " + describe(v));
        }
    }

    private void split() {
        Val v = required(0, "input");
        int rank = rankOf(v);
        int ax = axis(attrInt("axis", 0), rank);
        long[] sizes = attrInts("split");
        if (sizes == null && opset >= 13) {
            Tensor t = constIn(1, "split");
            sizes = t == null ? null : t.toLongs();
        }
        int outs = node.getOutputCount();
        if (sizes == null) {
            Dim d = dimsOf(v)[ax];
            if (!d.known()) {
                throw fail("splits an axis of run-time size " + d);
            }
            long parts = opset >= 18 && attr("num_outputs") != null ? attrInt("num_outputs", outs) : outs;
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
            out(i, sliceAxis(v, ax, Dim.of(pos), Dim.of(pos + sizes[i]), 1));
            pos += sizes[i];
        }
    }

    // ------------------------------------------------------------------ concat and arithmetic

    private void concat() {
        List<Val> ins = new ArrayList<>();
        for (int i = 0; i < node.getInputCount(); i++) {
            Val v = in(i);
            if (v != null) {
                ins.add(v);
            }
        }
        if (ins.isEmpty()) {
            throw fail("has no inputs");
        }
        int rank = rankOf(ins.get(0));
        int ax = axis(attrInt("axis", 0), rank);
        boolean allConst = ins.stream().allMatch(v -> v instanceof Const);
        if (allConst) {
            Tensor[] ts = ins.stream().map(v -> ((Const) v).t()).toArray(Tensor[]::new);
            out(0, new Const(charged(Folding.concat(ts, ax))));
            return;
        }
        if (ins.stream().allMatch(v -> v instanceof Const || v instanceof ShapeVec) && rank <= 1) {
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
            out(0, new ShapeVec(d.toArray(new Dim[0]), false));
            return;
        }
        if (ins.stream().allMatch(v -> v instanceof Fill || v instanceof Const c && c.t().size() > 0 && c.t().allEqual(c.t().values[0]))) {
            double value = ins.get(0) instanceof Fill f ? f.value() : ((Const) ins.get(0)).t().values[0];
            List<Dim> sum = new ArrayList<>();
            Dim[] dims = dimsOf(ins.get(0)).clone();
            boolean same = true;
            for (Val v : ins) {
                double x = v instanceof Fill f ? f.value() : ((Const) v).t().values[0];
                same &= x == value;
                sum.add(dimsOf(v)[ax]);
            }
            if (same) {
                long total = 0;
                boolean known = true;
                for (Dim d : sum) {
                    known &= d.known();
                    total += d.value;
                }
                dims[ax] = known ? Dim.of(total) : Dim.unknown();
                out(0, new Fill(value, dims));
                return;
            }
        }
        if (ins.stream().allMatch(v -> v instanceof View w && w.src.kind == Kind.DENSE && ((DenseStage) w.src.stage).step >= 0)) {
            out(0, stackSteps(ins, ax));
            return;
        }
        if (ins.stream().allMatch(v -> v instanceof View || v instanceof StateStack)) {
            if (ax == 0 && ins.stream().allMatch(this::isStateView)) {
                List<View> parts = new ArrayList<>();
                for (Val v : ins) {
                    if (v instanceof StateStack s) {
                        parts.addAll(s.parts());
                    } else {
                        parts.add((View) v);
                    }
                }
                out(0, new StateStack(parts));
                return;
            }
            if (ins.size() == 2 && ins.get(0) instanceof View a && ins.get(1) instanceof View b) {
                View merged = directionConcat(a, b, ax);
                if (merged != null) {
                    out(0, merged);
                    return;
                }
            }
        }
        throw fail("concatenates values it cannot relate to the model (" + ins.stream().map(GraphMapper::describe).toList() + ")");
    }

    /** Keras TimeDistributed(Dense) unrolled by tf2onnx: the same dense layer on every step, stacked along a new axis. */
    private View stackSteps(List<Val> ins, int ax) {
        DenseStage first = (DenseStage) ((View) ins.get(0)).src.stage;
        int n = first.steps;
        if (ins.size() != n) {
            throw fail("stacks " + ins.size() + " per-step dense outputs of a sequence of " + n + " steps");
        }
        for (int j = 0; j < n; j++) {
            View w = (View) ins.get(j);
            DenseStage d = (DenseStage) w.src.stage;
            int want = d.stepReversed ? n - 1 - j : j;
            if (!d.sameLayerAs(first) || d.step != want || d.stepReversed != first.stepReversed) {
                throw fail("stacks per-step dense outputs that are not one layer over steps 0.." + (n - 1) + " in order");
            }
            if (!w.fixed.isEmpty() || w.rank() != d.source.dims.length + 1 || !w.axes.get(ax).isEmpty()) {
                throw fail("stacks per-step dense outputs along an axis other than a new one");
            }
            for (int k = 0, m = 0; k < w.rank(); k++) {
                if (k == ax) {
                    continue;
                }
                List<Comp> a = w.axes.get(k);
                if (a.size() != 1 || a.get(0).axis != m++ || !a.get(0).isFull(w.src)) {
                    throw fail("stacks rearranged per-step dense outputs");
                }
            }
        }
        Stream full = first.prev;
        // The whole sequence's roles with the time axis where the stack put it.
        List<Role> roles = new ArrayList<>(Arrays.asList(first.source.roles));
        List<Dim> dims = new ArrayList<>(Arrays.asList(first.source.dims));
        roles.add(ax, Role.TIME);
        dims.add(ax, Dim.of(n));
        dims.set(dims.size() - 1, Dim.of(first.inputSize));
        Stream prev = new Stream(full.stage(), full.roles(), full.dims(), full.mode(), full.merge(), full.reversed(), null);
        DenseStage whole = new DenseStage(first.name, first.opType, prev, first.inputSize, first.units, first.kernel, first.bias,
                first.activation, roles.toArray(new Role[0]), dims.toArray(new Dim[0]));
        return View.identity(whole.source);
    }

    private boolean isStateView(Val v) {
        if (v instanceof StateStack) {
            return true;
        }
        return v instanceof View w && (w.src.kind == Kind.LSTM_YH || w.src.kind == Kind.LSTM_YC) && w.rank() == 3
                && w.visibleAlone(w.src.axisOf(Role.DIR)) == 0;
    }

    /** Forward and backward halves of one LSTM output side by side: the two directions concatenated. */
    private View directionConcat(View a0, View b0, int ax) {
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
    private View[] finalStatePair(View a, View b) {
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

    /** Reversal of every sequence over its full length (tf2onnx's ReverseV2 for Keras go_backwards). */
    private void reverseSequence() {
        View w = requireView(0, "input");
        Val lens = required(1, "sequence_lens");
        int t = axis(attrInt("time_axis", 0), w.rank());
        List<Comp> a = w.axes.get(t);
        if (a.size() != 1 || !a.get(0).isFull(w.src)) {
            throw fail("reverses an axis of " + w.src + " that is not a whole time axis");
        }
        Comp c = a.get(0);
        Dim time = c.size(w.src);
        boolean full = lens instanceof DimFill df && df.value().equals(time)
                || lens instanceof Fill f && time.known() && f.value() == time.value
                || lens instanceof Const k && time.known() && k.t().allEqual(time.value);
        if (!full) {
            throw fail("reverses sequences by lengths computed from " + describe(lens) + "; lstm4j maps only the reversal of whole "
                    + "sequences (Keras go_backwards), not per-sequence lengths");
        }
        List<List<Comp>> axes = new ArrayList<>(w.axes);
        axes.set(t, List.of(new Comp(c.axis, c.sel, c.lo, c.hi, !c.reversed)));
        out(0, w.with(axes, w.fixed));
    }

    private void reduceProd() {
        Val v = required(0, "input");
        long[] ax = axesArg(1);
        long keep = attrInt("keepdims", 1);
        if (v instanceof ShapeVec || v instanceof Const c && c.t().rank() <= 1) {
            Dim[] d = v instanceof ShapeVec sv ? sv.elems() : shapeArg(v, "its input");
            if (ax != null && !(ax.length == 1 && (ax[0] == 0 || ax[0] == -1))) {
                throw fail("reduces a shape vector over axes " + Arrays.toString(ax));
            }
            ShapeVec r = new ShapeVec(new Dim[] {Values.product(Arrays.asList(d))}, keep == 0);
            out(0, r.allKnown() ? new Const(r.toTensor()) : r);
            return;
        }
        throw fail("ReduceProd of " + describe(v) + " is only supported on shapes");
    }

    /** PyTorch pack_padded_sequence(enforce_sorted=False): TopK sorts the lengths graph input, descending. */
    private void topK() {
        Val v = required(0, "X");
        Val k = required(1, "K");
        if (!(v instanceof View w) || w.src.kind != Kind.INPUT || w.rank() != 1 || !w.fixed.isEmpty()
                || w.axes.get(0).size() != 1 || !w.axes.get(0).get(0).isFull(w.src)) {
            throw fail("TopK of " + describe(v) + "; lstm4j maps TopK only as PyTorch's sort of a sequence-lengths graph input");
        }
        Dim n = w.dim(0);
        Dim kd = k instanceof ShapeVec ks && ks.elems().length == 1 ? ks.elems()[0]
                : k instanceof Const kc && kc.t().size() == 1 ? Dim.of((long) kc.t().values[0]) : null;
        if (kd == null || !kd.equals(n) || attrInt("largest", 1) != 1 || attrInt("sorted", 1) != 1) {
            throw fail("TopK that is not a full descending sort of graph input '" + w.src.inputName + "'");
        }
        out(0, new SortedLens(w.src.inputName));
        out(1, new SortPerm(w.src.inputName, n));
    }

    /** ScatterElements(zeros, perm, 0..n-1): the inverse permutation PyTorch's pad_packed_sequence applies. */
    private void scatter() {
        Val data = required(0, "data");
        Val idx = required(1, "indices");
        Val upd = required(2, "updates");
        if (data instanceof Fill && idx instanceof SortPerm p && upd instanceof Iota io && io.n().equals(p.n())
                && attrInt("axis", 0) == 0) {
            out(0, new InversePerm(p.port()));
            return;
        }
        throw fail("ScatterElements of " + describe(data) + " is not the inverse of a length sort; lstm4j does not map it");
    }

    private View permuteBatch(View w, int ax, Val perm) {
        List<Comp> a = w.axes.get(ax);
        if (a.size() != 1 || !a.get(0).isFull(w.src)) {
            throw fail("reorders a selection of " + w.src + " by sequence length");
        }
        int srcAxis = a.get(0).axis;
        if (perm instanceof SortPerm p) {
            if (w.sortedBy != null) {
                throw fail("sorts " + w.src + " by length twice");
            }
            return w.sorted(p.port(), srcAxis);
        }
        InversePerm inv = (InversePerm) perm;
        if (!inv.port().equals(w.sortedBy) || w.sortedAxis != srcAxis) {
            throw fail("restores the batch order of " + w.src + ", which is not sorted by '" + inv.port() + "' on that axis");
        }
        return w.sorted(null, -1);
    }

    private void neg() {
        Val v = required(0, "input");
        if (v instanceof Const c) {
            out(0, new Const(charged(Folding.binary("Mul", c.t(), Tensor.scalar(c.t().type, -1)))));
        } else if (v instanceof ShapeVec s && s.allKnown()) {
            out(0, new Const(Folding.binary("Mul", s.toTensor(), Tensor.scalar(Tensor.INT64, -1))));
        } else {
            throw fail("negates " + describe(v));
        }
    }

    private void foldBinary(String op) {
        Tensor a = constIn(0, "A");
        Tensor b = constIn(1, "B");
        out(0, new Const(charged(Folding.binary(op, a, b))));
    }

    private void where() {
        Tensor c = constIn(0, "condition");
        Val x = required(1, "X");
        Val y = required(2, "Y");
        if (c.allEqual(1) && c.size() >= 1 && c.rank() <= 1 && rankOf(x) <= 1) {
            out(0, x);
        } else if (c.allEqual(0) && c.size() >= 1 && c.rank() <= 1 && rankOf(y) <= 1) {
            out(0, y);
        } else {
            Tensor tx = constIn(1, "X");
            Tensor ty = constIn(2, "Y");
            long[] shape = Folding.broadcast(Folding.broadcast(c.shape, tx.shape), ty.shape);
            Tensor pick = Folding.binary("Mul", Folding.cast(c, tx.type), tx);
            Tensor other = Folding.binary("Mul", Folding.binary("Sub", Tensor.scalar(tx.type, 1), Folding.cast(c, tx.type)), ty);
            Tensor r = Folding.binary("Add", pick, other);
            if (!Arrays.equals(r.shape, shape)) {
                throw fail("Where of shapes that do not broadcast");
            }
            out(0, new Const(charged(r)));
        }
    }

    private void range() {
        if (in(1) instanceof ShapeVec lim && lim.elems().length == 1 && !lim.elems()[0].known()) {
            Tensor s0 = constIn(0, "start");
            Tensor d0 = constIn(2, "delta");
            if (s0.size() == 1 && s0.values[0] == 0 && d0.size() == 1 && d0.values[0] == 1) {
                out(0, new Iota(lim.elems()[0]));
                return;
            }
            throw fail("a Range with a run-time limit that does not start at 0 with step 1");
        }
        Tensor s = constIn(0, "start");
        Tensor l = constIn(1, "limit");
        Tensor d = constIn(2, "delta");
        double start = s.values[0];
        double limit = l.values[0];
        double delta = d.values[0];
        long n = delta == 0 ? -1 : (long) Math.max(0, Math.ceil((limit - start) / delta));
        if (n < 0 || n > options.maxTensorElements()) {
            throw fail("a Range of " + n + " elements");
        }
        double[] v = new double[(int) n];
        for (int i = 0; i < n; i++) {
            v[i] = start + i * delta;
        }
        out(0, new Const(charged(Tensor.vector(s.type, v))));
    }

    private void binary(String op) {
        Val a = required(0, "A");
        Val b = required(1, "B");
        if (a instanceof Const ca && b instanceof Const cb) {
            out(0, new Const(charged(Folding.binary(op, ca.t(), cb.t()))));
            return;
        }
        if ((a instanceof ShapeVec || a instanceof Const) && (b instanceof ShapeVec || b instanceof Const)) {
            out(0, shapeArith(op, a, b));
            return;
        }
        if (a instanceof View va && b instanceof View vb) {
            View m = directionMerge(op, va, vb);
            if (m != null) {
                out(0, m);
                return;
            }
            throw fail("combines two network tensors elementwise (" + va.src + ", " + vb.src + "), which is not a layer "
                    + "lstm4j knows (only the Add or Mul of the two directions of one bidirectional LSTM, as Keras merges them)");
        }
        View w = a instanceof View x ? x : b instanceof View y ? y : null;
        Val other = w == a ? b : a;
        if (w == null || !(other instanceof Const)) {
            throw fail("computes with " + describe(a) + " and " + describe(b));
        }
        Tensor c = ((Const) other).t();
        boolean viewFirst = w == a;
        if ((op.equals("Add") || op.equals("Sub") && viewFirst) && c.allEqual(0)
                || (op.equals("Mul") || op.equals("Div") && viewFirst) && c.allEqual(1)) {
            out(0, w);
            return;
        }
        if (w.merge == MergeMode.SUM && w.scale == 1.0 && c.size() == 1
                && (op.equals("Mul") && c.values[0] == 0.5 || op.equals("Div") && viewFirst && c.values[0] == 2.0)) {
            out(0, new View(w.src, w.axes, w.fixed, MergeMode.AVE, 1.0));
            return;
        }
        if (op.equals("Add") && w.src.kind == Kind.DENSE) {
            DenseStage d = (DenseStage) w.src.stage;
            if (d.bias == null && d.activation == null && isIdentity(w)) {
                long units = d.units;
                for (int i = 0; i < c.rank() - 1; i++) {
                    if (c.shape[i] != 1) {
                        throw fail("adds a bias of shape " + Arrays.toString(c.shape) + " to a dense output of " + units + " units");
                    }
                }
                if (c.size() != units && c.size() != 1 || c.rank() > w.rank()) {
                    throw fail("adds a bias of shape " + Arrays.toString(c.shape) + " to a dense output of " + units + " units");
                }
                float[] bias = new float[(int) units];
                for (int i = 0; i < units; i++) {
                    bias[i] = (float) c.values[c.size() == 1 ? 0 : i];
                }
                out(0, View.identityPermuted(d.withBias(d.name, bias).source, w));
                return;
            }
        }
        throw fail(op + " of " + w.src + " and a constant " + c + " is not part of any layer lstm4j maps "
                + "(a dense layer's bias must directly follow its MatMul)");
    }

    private static boolean isIdentity(View w) {
        if (!w.fixed.isEmpty() || w.merge != null) {
            return false;
        }
        Set<Integer> seen = new HashSet<>();
        for (List<Comp> a : w.axes) {
            if (a.size() != 1 || !a.get(0).isFull(w.src) || a.get(0).reversed) {
                return false;
            }
            seen.add(a.get(0).axis);
        }
        return seen.size() == w.src.dims.length;
    }

    private Val shapeArith(String op, Val a, Val b) {
        Dim[] x = a instanceof ShapeVec s ? s.elems() : shapeArg(a, "operand A");
        Dim[] y = b instanceof ShapeVec s ? s.elems() : shapeArg(b, "operand B");
        int n = Math.max(x.length, y.length);
        if (x.length != n && x.length != 1 || y.length != n && y.length != 1) {
            throw fail("computes with shape vectors of lengths " + x.length + " and " + y.length);
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

    /** Keras Bidirectional merge_mode sum/mul: the two direction halves of one LSTM output added or multiplied. */
    private View directionMerge(String op, View a0, View b0) {
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

    // ------------------------------------------------------------------ layers

    private void matmul() {
        Val a = required(0, "A");
        Val b = required(1, "B");
        if (a instanceof Const ca && b instanceof Const cb) {
            out(0, new Const(charged(matmulConst(ca.t(), cb.t()))));
            return;
        }
        if (!(a instanceof View w) || !(b instanceof Const kc)) {
            throw fail("multiplies " + describe(a) + " by " + describe(b) + "; a dense layer multiplies the network's output by a constant kernel");
        }
        Tensor k = kc.t();
        if (k.rank() != 2) {
            throw fail("its kernel must be a 2-D constant [in, units], got " + k);
        }
        dense(w, k.toFloats(), (int) k.shape[0], (int) k.shape[1], null, "MatMul");
    }

    private Tensor matmulConst(Tensor a, Tensor b) {
        if (a.rank() != 2 || b.rank() != 2 || a.shape[1] != b.shape[0]) {
            throw fail("folds a MatMul of constants " + a + " and " + b + " (only 2-D is supported)");
        }
        int n = (int) a.shape[0];
        int m = (int) b.shape[1];
        int kk = (int) a.shape[1];
        double[] out = new double[n * m];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                double s = 0;
                for (int x = 0; x < kk; x++) {
                    s += a.values[i * kk + x] * b.values[x * m + j];
                }
                out[i * m + j] = (float) s;
            }
        }
        return new Tensor(a.type, new long[] {n, m}, out);
    }

    private void gemm() {
        Val a = required(0, "A");
        Tensor b = constIn(1, "B");
        Tensor c = constIn(2, "C");
        if (!(a instanceof View w)) {
            throw fail("multiplies " + describe(a) + "; a dense layer multiplies the network's output by a constant kernel");
        }
        if (attrInt("transA", 0) != 0) {
            throw fail("transposes its input (transA=1), which does not fit a dense layer over [batch, features]");
        }
        if (b.rank() != 2) {
            throw fail("its B must be 2-D, got " + b);
        }
        float alpha = attrFloat("alpha", 1f);
        float beta = attrFloat("beta", 1f);
        boolean transB = attrInt("transB", 0) != 0;
        int in = (int) (transB ? b.shape[1] : b.shape[0]);
        int units = (int) (transB ? b.shape[0] : b.shape[1]);
        float[] kernel = new float[in * units];
        for (int i = 0; i < in; i++) {
            for (int j = 0; j < units; j++) {
                double v = transB ? b.values[j * in + i] : b.values[i * units + j];
                kernel[i * units + j] = (float) (alpha * v);
            }
        }
        float[] bias = null;
        if (c != null) {
            if (c.size() != units && c.size() != 1 || c.rank() == 2 && c.shape[0] != 1) {
                throw fail("its C of shape " + Arrays.toString(c.shape) + " is not a bias of " + units + " units");
            }
            bias = new float[units];
            for (int j = 0; j < units; j++) {
                bias[j] = (float) (beta * c.values[c.size() == 1 ? 0 : j]);
            }
        }
        dense(w, kernel, in, units, bias, "Gemm");
    }

    private void dense(View merged, float[] kernel, int in, int units, float[] bias, String op) {
        // tf2onnx's Tensordot flattens [batch, time] into one axis around the MatMul: map it on the unflattened axes.
        List<List<Comp>> flat = new ArrayList<>();
        List<Integer> groups = new ArrayList<>();
        for (int k = 0; k < merged.rank() - 1; k++) {
            List<Comp> a = merged.axes.get(k);
            if (a.size() <= 1) {
                flat.add(a);
                groups.add(1);
            } else {
                for (Comp c : a) {
                    flat.add(List.of(c));
                }
                groups.add(a.size());
            }
        }
        flat.add(merged.axes.get(merged.rank() - 1));
        groups.add(1);
        View w = merged.with(flat, merged.fixed);
        // One time step of an LSTM output: a dense layer per step, which a later Concat of all steps makes whole again.
        int timeAxis = w.src.kind == Kind.LSTM_Y ? w.src.axisOf(Role.TIME) : -1;
        Comp step = timeAxis >= 0 ? w.fixed.get(timeAxis) : null;
        if (step != null && step.sel == Sel.RANGE && step.hi - step.lo == 1) {
            Map<Integer, Comp> fixed = w.fixedCopy();
            fixed.remove(timeAxis);
            List<List<Comp>> axes = new ArrayList<>();
            axes.add(List.of(new Comp(timeAxis, Sel.RANGE, 0, w.src.dims[timeAxis].value, step.reversed)));
            axes.addAll(w.axes);
            Stream full = stream(w.with(axes, fixed), "its input");
            if (full.width() != in) {
                throw fail("its kernel reads " + in + " features but " + full.stage() + " gives " + full.width());
            }
            Role[] roles = Arrays.copyOfRange(full.roles(), 1, full.roles().length);
            Dim[] dims = Arrays.copyOfRange(full.dims(), 1, full.dims().length);
            DenseStage d = new DenseStage(nodeName(node), op, full, in, units, kernel, bias, null, roles, dims);
            d.step = (int) step.lo;
            d.steps = (int) w.src.dims[timeAxis].value;
            d.stepReversed = step.reversed;
            out(0, View.identity(d.source));
            return;
        }
        Stream s = stream(w, "its input");
        if (s.stage() instanceof InputStage) {
            throw fail("applies a dense layer to the graph input; lstm4j models start with an LSTM layer");
        }
        if (s.rawLayout() != null) {
            throw fail("applies a dense layer to an LSTM's raw output with a separate direction axis");
        }
        if (s.roles()[s.roles().length - 1] != Role.FEAT) {
            throw fail("multiplies along an axis that is not the features axis of " + w.src);
        }
        if (s.width() != in) {
            throw fail("its kernel reads " + in + " features but " + s.stage() + " gives " + s.width());
        }
        DenseStage d = new DenseStage(nodeName(node), op, s, in, units, kernel, bias, null, s.roles(), s.dims());
        View id = View.identity(d.source);
        List<List<Comp>> regrouped = new ArrayList<>();
        int k = 0;
        for (int g : groups) {
            List<Comp> a = new ArrayList<>();
            for (int j = 0; j < g; j++) {
                a.addAll(id.axes.get(k++));
            }
            regrouped.add(a);
        }
        out(0, id.with(regrouped, id.fixed));
    }

    private void activation(String op) {
        Val v = required(0, "input");
        if (v instanceof Const) {
            throw fail("applies " + op + " to a constant, which lstm4j does not fold");
        }
        if (!(v instanceof View w)) {
            throw fail("applies " + op + " to " + describe(v));
        }
        Activation a;
        switch (op) {
            case "Relu": a = Activation.relu(); break;
            case "Sigmoid": a = Activation.sigmoid(); break;
            case "Tanh": a = Activation.tanh(); break;
            case "LeakyRelu": a = Activation.leakyRelu(attrFloat("alpha", 0.01f)); break;
            case "Elu": a = Activation.elu(attrFloat("alpha", 1f)); break;
            case "Softsign": a = Activation.softsign(); break;
            case "Softplus": a = Activation.softplus(); break;
            case "HardSigmoid": a = Activation.hardSigmoid(attrFloat("alpha", 0.2f), attrFloat("beta", 0.5f)); break;
            case "ThresholdedRelu": a = Activation.thresholdedRelu(attrFloat("alpha", 1f)); break;
            case "Softmax": {
                long ax = attrInt("axis", opset >= 13 ? -1 : 1);
                if (axis(ax, w.rank()) != w.rank() - 1) {
                    throw fail("Softmax over axis " + ax + " of a rank-" + w.rank() + " tensor; only the features (last) axis is supported");
                }
                a = Activation.softmax();
                break;
            }
            default: throw fail("unknown activation " + op);
        }
        if (w.src.kind == Kind.DENSE && isIdentity(w)) {
            DenseStage d = (DenseStage) w.src.stage;
            if (d.activation == null) {
                out(0, View.identityPermuted(d.withActivation(d.name, a).source, w));
                return;
            }
        }
        // An activation not belonging to a MatMul/Gemm(+Add) before it (straight on an LSTM's output, or on an activated
        // dense output) is a standalone activation layer (PyTorch nn.ReLU between layers, Keras Activation).
        Stream s = stream(w, "its input");
        if (s.stage() instanceof InputStage || s.rawLayout() != null) {
            throw fail("applies " + op + " to " + w.src + ", which is not a layer's merged output");
        }
        int width = s.width();
        DenseStage d = DenseStage.standaloneActivation(nodeName(node), op, s, width, a, s.roles(), s.dims());
        out(0, View.identity(d.source));
    }

    // ------------------------------------------------------------------ streams

    /**
     * What a layer (or a graph output) reads from the previous stage, or an error saying why the
     * tensor is not a layer's output in a form lstm4j maps.
     */
    private Stream stream(View w, String what) {
        Source src = w.src;
        if (w.sortedBy != null) {
            throw fail(what + " is " + src + " with its batch still sorted by the lengths in '" + w.sortedBy
                    + "' (PyTorch pack_padded_sequence) and never restored to the input order");
        }
        switch (src.kind) {
            case INPUT: {
                InputStage st = inputStages.get(src.inputName);
                if (st == null) {
                    throw fail(what + " is graph input '" + src.inputName + "', which no LSTM reads as its sequence");
                }
                Role[] roles = new Role[w.rank()];
                Dim[] dims = w.dims();
                for (int i = 0; i < w.rank(); i++) {
                    List<Comp> a = w.axes.get(i);
                    if (a.size() != 1 || !a.get(0).isFull(src) || a.get(0).reversed) {
                        throw fail(what + " is a selection of graph input '" + src.inputName + "'");
                    }
                    roles[i] = src.roles[a.get(0).axis];
                }
                return new Stream(st, roles, dims, OutputMode.SEQUENCES, MergeMode.CONCAT, false, null);
            }
            case DENSE: {
                DenseStage ds = (DenseStage) src.stage;
                if (ds.step >= 0) {
                    // A per-step dense layer that is not stacked back: on the last step (or step 0 of a reverse layer) it is
                    // the ordinary dense head on that step's output.
                    LstmStage lstm = (LstmStage) ds.prev.stage();
                    OutputMode mode = ds.step == ds.steps - 1 ? OutputMode.LAST_STEP
                            : ds.step == 0 && lstm.direction == Direction.REVERSE ? OutputMode.FINAL_STATE : null;
                    if (mode != null) {
                        Dim[] inDims = ds.source.dims.clone();
                        inDims[inDims.length - 1] = Dim.of(ds.inputSize);
                        Stream one = new Stream(lstm, ds.source.roles, inDims, mode, ds.prev.merge(), false, null);
                        DenseStage conv = new DenseStage(ds.name, ds.opType, one, ds.inputSize, ds.units, ds.kernel, ds.bias,
                                ds.activation, ds.source.roles, ds.source.dims);
                        View cv = new View(conv.source, w.axes, w.fixed, w.merge, w.scale, w.sortedBy, w.sortedAxis);
                        return stream(cv, what);
                    }
                    throw fail(what + " is " + ds + " applied to time step " + ds.step + " of " + ds.steps + " only; lstm4j maps "
                            + "such per-step dense layers when the steps are stacked back into a whole sequence");
                }
                if (!w.fixed.isEmpty() || w.merge != null) {
                    throw fail(what + " selects part of the output of " + src.stage + " (for instance one time step after a "
                            + "dense layer); lstm4j maps a dense head on every step or on the selected step, not a selection after it");
                }
                Role[] roles = new Role[w.rank()];
                boolean timeReversed = false;
                for (int i = 0; i < w.rank(); i++) {
                    List<Comp> a = w.axes.get(i);
                    if (a.size() != 1 || !a.get(0).isFull(src)
                            || a.get(0).reversed && src.roles[a.get(0).axis] != Role.TIME) {
                        throw fail(what + " reshapes or selects the output of " + src.stage + " in a way lstm4j does not map");
                    }
                    roles[i] = src.roles[a.get(0).axis];
                    timeReversed |= a.get(0).reversed;
                }
                if (roles[roles.length - 1] != Role.FEAT) {
                    throw fail(what + " moves the features axis of " + src.stage + " away from the end");
                }
                // A dense layer works on each step alone, so a time reversal after it can only belong to the layer that
                // reads it: an LSTM reading it is go_backwards; any other reader is refused when the chain is built.
                return new Stream(src.stage, roles, w.dims(), null, null, timeReversed, null);
            }
            case LSTM_Y: case LSTM_YH: case LSTM_YC:
                return lstmStream(w, what);
            default:
                throw new IllegalStateException(src.kind.toString());
        }
    }

    private Stream lstmStream(View w, String what) {
        Source src = w.src;
        LstmStage st = (LstmStage) src.stage;
        int dirAxis = src.axisOf(Role.DIR);
        int hidAxis = src.axisOf(Role.FEAT);
        int timeAxis = src.axisOf(Role.TIME);
        int batchAxis = src.axisOf(Role.BATCH);
        int d = st.directions();
        if (src.kind == Kind.LSTM_YC) {
            throw fail(what + " is the cell state Y_c of " + st + "; a model's output is the hidden state");
        }
        List<Role> roles = new ArrayList<>();
        List<Dim> dims = new ArrayList<>();
        boolean reversed = false;
        boolean dirVisible = false;
        boolean featSeen = false;
        MergeMode merge = null;
        for (List<Comp> a : w.axes) {
            if (a.size() == 1 && a.get(0).axis == batchAxis && a.get(0).isFull(src)) {
                roles.add(Role.BATCH);
                dims.add(a.get(0).size(src));
            } else if (a.size() == 1 && a.get(0).axis == timeAxis && a.get(0).isFull(src)) {
                roles.add(Role.TIME);
                dims.add(a.get(0).size(src));
                reversed = a.get(0).reversed;
            } else if (a.size() == 2 && a.get(0).axis == dirAxis && a.get(0).isFull(src) && !a.get(0).reversed
                    && a.get(1).axis == hidAxis && a.get(1).isFull(src) && w.merge == null) {
                roles.add(Role.FEAT);
                dims.add(Dim.of(2L * st.hiddenSize));
                merge = MergeMode.CONCAT;
                featSeen = true;
            } else if (a.size() == 1 && a.get(0).axis == hidAxis && a.get(0).isFull(src)) {
                roles.add(Role.FEAT);
                dims.add(Dim.of(st.hiddenSize));
                featSeen = true;
            } else if (a.size() == 1 && a.get(0).axis == dirAxis && a.get(0).isFull(src)) {
                roles.add(Role.DIR);
                dims.add(Dim.of(d));
                dirVisible = true;
            } else {
                throw fail(what + " is " + w + ", an arrangement of the output of " + st + " that lstm4j does not map");
            }
        }
        if (!featSeen) {
            throw fail(what + " has no features axis from " + st);
        }
        OutputMode mode;
        if (src.kind == Kind.LSTM_YH) {
            mode = OutputMode.FINAL_STATE;
        } else if (roles.contains(Role.TIME)) {
            mode = OutputMode.SEQUENCES;
        } else {
            Comp t = w.fixed.get(timeAxis);
            if (t == null) {
                throw fail(what + " has lost the time axis of " + st);
            }
            if (t.isLast(src)) {
                mode = OutputMode.LAST_STEP;
            } else if (t.isFirst() && st.direction == Direction.REVERSE) {
                // Position 0 is the last step a reverse layer computes: its final state (Keras go_backwards without return_sequences).
                mode = OutputMode.FINAL_STATE;
            } else {
                throw fail(what + " takes time step " + describeSel(t, src) + " of the output of " + st
                        + "; lstm4j maps every step, the last step (y[:, -1]) or the final state (Y_h)");
            }
        }
        Port.Layout raw = null;
        if (dirVisible) {
            if (mode != OutputMode.SEQUENCES || !roles.contains(Role.TIME)) {
                throw fail(what + " keeps the direction axis of " + st + " apart in a form lstm4j does not map");
            }
            if (roles.equals(List.of(Role.TIME, Role.DIR, Role.BATCH, Role.FEAT))) {
                raw = Port.Layout.ONNX_Y;
            } else if (roles.equals(List.of(Role.BATCH, Role.TIME, Role.DIR, Role.FEAT))) {
                raw = Port.Layout.ONNX_Y_BATCHWISE;
            } else {
                throw fail(what + " arranges the raw output of " + st + " as " + roles + ", which lstm4j does not map");
            }
            merge = MergeMode.CONCAT;
            roles.remove(Role.DIR);
            dims.remove(dims.size() - 1);
            dims.remove(dims.size() - 1);
            dims.add(Dim.of((long) d * st.hiddenSize));
        } else if (merge == null) {
            if (w.merge != null) {
                merge = w.merge;
                if (w.scale != 1.0) {
                    throw fail(what + " scales a merged output");
                }
            } else {
                Comp dc = w.fixed.get(dirAxis);
                if (d == 2) {
                    throw fail(what + " takes only the " + (dc != null && dc.index() == 1 ? "backward" : "forward")
                            + " direction of bidirectional " + st + " (PyTorch's h_n[-1] of a bidirectional LSTM is the backward "
                            + "direction only); lstm4j maps both directions concatenated, e.g. torch.cat((h_n[-2], h_n[-1]), dim=1)");
                }
                merge = MergeMode.CONCAT;
            }
        }
        if (!roles.contains(Role.BATCH)) {
            throw fail(what + " has no batch axis");
        }
        if (roles.get(roles.size() - 1) != Role.FEAT && raw == null) {
            throw fail(what + " moves the features axis of " + st + " away from the end");
        }
        return new Stream(st, roles.toArray(new Role[0]), dims.toArray(new Dim[0]), mode, merge, reversed, raw);
    }

    private static String describeSel(Comp c, Source s) {
        switch (c.sel) {
            case FIRST: return "0";
            case LAST: return "-1";
            case RANGE: return c.lo + (c.hi - c.lo == 1 ? "" : ":" + c.hi) + " (of " + s.dims[c.axis] + ")";
            default: return "all";
        }
    }

    // ------------------------------------------------------------------ LSTM

    private void lstm() {
        LstmStage st = new LstmStage(nodeName(node));
        Tensor w = constIn(1, "W");
        Tensor r = constIn(2, "R");
        Tensor b = constIn(3, "B");
        Tensor p = constIn(7, "P");
        if (w == null || r == null) {
            throw fail("its W or R input is missing");
        }
        String dir = attrString("direction", "forward");
        switch (dir) {
            case "forward": st.direction = Direction.FORWARD; break;
            case "reverse": st.direction = Direction.REVERSE; break;
            case "bidirectional": st.direction = Direction.BIDIRECTIONAL; break;
            default: throw fail("direction '" + dir + "' is not forward, reverse or bidirectional");
        }
        int d = st.directions();
        if (w.rank() != 3 || w.shape[0] != d || w.shape[1] % 4 != 0 || w.shape[1] == 0) {
            throw fail("W must be [" + d + ", 4*hidden, input], got " + Arrays.toString(w.shape));
        }
        int h = (int) (w.shape[1] / 4);
        int i = (int) w.shape[2];
        long hs = attrInt("hidden_size", h);
        if (hs != h) {
            throw fail("hidden_size " + hs + " disagrees with W of shape " + Arrays.toString(w.shape));
        }
        if (!Arrays.equals(r.shape, new long[] {d, 4L * h, h})) {
            throw fail("R must be [" + d + ", " + 4 * h + ", " + h + "], got " + Arrays.toString(r.shape));
        }
        if (b != null && !Arrays.equals(b.shape, new long[] {d, 8L * h})) {
            throw fail("B must be [" + d + ", " + 8 * h + "], got " + Arrays.toString(b.shape));
        }
        if (p != null && !Arrays.equals(p.shape, new long[] {d, 3L * h})) {
            throw fail("P must be [" + d + ", " + 3 * h + "], got " + Arrays.toString(p.shape));
        }
        st.hiddenSize = h;
        st.inputSize = i;
        st.layout = (int) attrInt("layout", 0);
        if (st.layout != 0 && st.layout != 1) {
            throw fail("layout " + st.layout + " is neither 0 nor 1");
        }
        if (attr("output_sequence") != null) {
            throw fail("has the output_sequence attribute of LSTM opset 1, which lstm4j does not support; re-export with opset 7 or newer");
        }
        AttributeProto clip = attr("clip");
        if (clip != null) {
            float c = clip.getF();
            if (!(c > 0) || !Float.isFinite(c)) {
                throw fail("clip must be positive and finite, got " + c);
            }
            st.clip = c;
        }
        long forget = attrInt("input_forget", 0);
        if (forget != 0 && forget != 1) {
            throw fail("input_forget must be 0 or 1, got " + forget);
        }
        st.inputForget = forget == 1;
        activations(st, d);
        float[] wv = w.toFloats();
        float[] rv = r.toFloats();
        float[] bv = b == null ? null : b.toFloats();
        float[] pv = p == null ? null : p.toFloats();
        for (int k = 0; k < d; k++) {
            try {
                st.weights.add(LstmWeights.fromOnnx(i, h,
                        Arrays.copyOfRange(wv, k * 4 * h * i, (k + 1) * 4 * h * i),
                        Arrays.copyOfRange(rv, k * 4 * h * h, (k + 1) * 4 * h * h),
                        bv == null ? null : Arrays.copyOfRange(bv, k * 8 * h, (k + 1) * 8 * h),
                        pv == null ? null : Arrays.copyOfRange(pv, k * 3 * h, (k + 1) * 3 * h)));
            } catch (IllegalArgumentException e) {
                throw fail("weights of direction " + k + ": " + e.getMessage());
            }
        }
        // The sequence it reads; a batch sorted by length (PyTorch packed sequences) must come with those sorted lengths.
        View x = requireView(0, "X");
        String sortBy = x.sortedBy;
        if (sortBy != null) {
            int batchPos = st.layout == 0 ? 1 : 0;
            if (x.rank() != 3 || x.axes.get(batchPos).size() != 1 || x.axes.get(batchPos).get(0).axis != x.sortedAxis) {
                throw fail("its input X is sorted by length along an axis that is not its batch axis");
            }
            if (!(in(4) instanceof SortedLens sl) || !sl.port().equals(sortBy)) {
                throw fail("its input X is sorted by the lengths in '" + sortBy + "' but its sequence_lens are not those sorted lengths");
            }
            x = x.sorted(null, -1);
        }
        Dim timeDim;
        Dim batchDim;
        Role[] want = st.layout == 0 ? new Role[] {Role.TIME, Role.BATCH, Role.FEAT} : new Role[] {Role.BATCH, Role.TIME, Role.FEAT};
        if (x.rank() != 3) {
            throw fail("its input X has rank " + x.rank() + ", expected 3");
        }
        boolean reversedInput = false;
        if (x.src.kind == Kind.INPUT) {
            Source src = x.src;
            if (src.dims.length != 3) {
                throw fail("its input X is graph input '" + src.inputName + "' of rank " + src.dims.length + ", expected 3");
            }
            for (int k = 0; k < 3; k++) {
                List<Comp> a = x.axes.get(k);
                if (a.size() != 1 || !a.get(0).isFull(src)) {
                    throw fail("its input X selects part of graph input '" + src.inputName + "'");
                }
                if (a.get(0).reversed) {
                    reversedInput = true;
                }
            }
            if (x.axes.get(2).get(0).axis != 2) {
                throw fail("its input X moves the features axis of graph input '" + src.inputName
                        + "'; the sequence input must be [batch, time, features] or [time, batch, features]");
            }
            int tAxis = x.axes.get(st.layout == 0 ? 0 : 1).get(0).axis;
            Port.Layout layout = tAxis == 0 ? Port.Layout.TIME_MAJOR : Port.Layout.BATCH_MAJOR;
            InputStage is = inputStages.get(src.inputName);
            if (is == null) {
                is = new InputStage(src.inputName, src);
                is.layout = layout;
                inputStages.put(src.inputName, is);
                src.roles[tAxis] = Role.TIME;
                src.roles[1 - tAxis] = Role.BATCH;
                src.roles[2] = Role.FEAT;
            } else if (is.layout != layout) {
                throw fail("reads graph input '" + src.inputName + "' with its time axis at a different position than another LSTM");
            }
            if (src.dims[2].known() && src.dims[2].value != i) {
                throw fail("W reads " + i + " features but graph input '" + src.inputName + "' has " + src.dims[2]);
            }
            Role[] roles = {src.roles[x.axes.get(0).get(0).axis], src.roles[x.axes.get(1).get(0).axis], Role.FEAT};
            st.prev = new Stream(is, roles, x.dims(), OutputMode.SEQUENCES, MergeMode.CONCAT, reversedInput, null);
            timeDim = x.dim(st.layout == 0 ? 0 : 1);
            batchDim = x.dim(st.layout == 0 ? 1 : 0);
        } else {
            Stream s = stream(x, "its input X");
            if (s.mode() != OutputMode.SEQUENCES && s.stage() instanceof LstmStage) {
                throw fail("its input X is the " + s.mode() + " output of " + s.stage() + ", not a sequence");
            }
            if (s.rawLayout() != null) {
                throw fail("its input X is the raw output of " + s.stage() + " with a separate direction axis");
            }
            if (!Arrays.equals(s.roles(), want)) {
                throw fail("its input X has axes " + Arrays.toString(s.roles()) + " but layout " + st.layout + " reads "
                        + Arrays.toString(want));
            }
            if (s.width() != i) {
                throw fail("W reads " + i + " features but " + s.stage() + " gives " + s.width());
            }
            // s.reversed() is the time order of X relative to the positions of the previous stage's output. A go_backwards
            // stage writes Y already reversed (in processing order): that reversal is the previous layer's reversed output
            // order, and only a further explicit reversal (ReverseSequence, step -1 Slice) makes this layer go_backwards.
            // Counting the previous stage's own reversal here as well would mark both layers as reversed.
            boolean ownReversal = s.stage() instanceof LstmStage writer && writer.overReversedInput;
            reversedInput = s.reversed() != ownReversal;
            st.prev = new Stream(s.stage(), s.roles(), s.dims(), s.mode(), s.merge(), ownReversal, null);
            timeDim = s.dims()[st.layout == 0 ? 0 : 1];
            batchDim = s.dims()[st.layout == 0 ? 1 : 0];
        }
        if (reversedInput) {
            // A forward LSTM over a time-reversed input is Keras go_backwards: a reverse layer whose outputs come in processing order.
            if (st.direction != Direction.FORWARD) {
                throw fail("reads a time-reversed input with direction " + dir + "; only a forward LSTM over a reversed input "
                        + "(Keras go_backwards) is mapped");
            }
            st.direction = Direction.REVERSE;
            st.overReversedInput = true;
            if (in(4) != null) {
                throw fail("reads a time-reversed input and has sequence_lens; a reversal of padded sequences does not map to a reverse layer");
            }
        }
        // Sequence lengths.
        Val lens = in(4);
        if (lens instanceof SortedLens sl) {
            if (sortBy == null) {
                throw fail("its sequence_lens are sorted by length but its input X is in the original batch order");
            }
            st.seqLensPort = sl.port();
        } else if (lens != null) {
            if (sortBy != null) {
                throw fail("its input X is sorted by length but its sequence_lens are not sorted with it");
            }
            if (lens instanceof View lv && lv.src.kind == Kind.INPUT && lv.rank() == 1 && lv.src.dims.length == 1) {
                st.seqLensPort = lv.src.inputName;
            } else {
                throw fail("its sequence_lens is computed from " + describe(lens) + "; lstm4j maps sequence lengths only when "
                        + "they are a graph input");
            }
        }
        feed(st, 5, Port.Role.INITIAL_HIDDEN, d, h, sortBy);
        feed(st, 6, Port.Role.INITIAL_CELL, d, h, sortBy);
        // Outputs.
        Dim dd = Dim.of(d);
        Dim hh = Dim.of(h);
        Source y = st.layout == 0
                ? new Source(Kind.LSTM_Y, st, null, new Dim[] {timeDim, dd, batchDim, hh}, new Role[] {Role.TIME, Role.DIR, Role.BATCH, Role.FEAT})
                : new Source(Kind.LSTM_Y, st, null, new Dim[] {batchDim, timeDim, dd, hh}, new Role[] {Role.BATCH, Role.TIME, Role.DIR, Role.FEAT});
        Dim[] sd = st.layout == 0 ? new Dim[] {dd, batchDim, hh} : new Dim[] {batchDim, dd, hh};
        Role[] sr = st.layout == 0 ? new Role[] {Role.DIR, Role.BATCH, Role.FEAT} : new Role[] {Role.BATCH, Role.DIR, Role.FEAT};
        View yv = View.identity(y);
        if (reversedInput) {
            // Outputs of the forward pass over reversed input are the reverse layer's outputs in processing order.
            List<List<Comp>> axes = new ArrayList<>(yv.axes);
            int t = y.axisOf(Role.TIME);
            Comp c = axes.get(t).get(0);
            axes.set(t, List.of(new Comp(c.axis, c.sel, c.lo, c.hi, true)));
            yv = yv.with(axes, yv.fixed);
        }
        st.yh = new Source(Kind.LSTM_YH, st, null, sd, sr);
        Source yc = new Source(Kind.LSTM_YC, st, null, sd.clone(), sr.clone());
        View hv = View.identity(st.yh);
        View cv = View.identity(yc);
        if (sortBy != null) {
            // Outputs stay in the sorted batch order until a Gather by the inverse permutation restores it.
            yv = yv.sorted(sortBy, y.axisOf(Role.BATCH));
            hv = hv.sorted(sortBy, st.yh.axisOf(Role.BATCH));
            cv = cv.sorted(sortBy, yc.axisOf(Role.BATCH));
        }
        out(0, yv);
        out(1, hv);
        out(2, cv);
    }

    private View requireView(int i, String what) {
        Val v = required(i, what);
        if (!(v instanceof View w)) {
            throw fail("its input " + what + " is " + describe(v) + ", not data flowing from the graph input");
        }
        return w;
    }

    private void activations(LstmStage st, int d) {
        AttributeProto acts = attr("activations");
        List<String> names = new ArrayList<>();
        if (acts == null) {
            for (int k = 0; k < d; k++) {
                names.addAll(List.of("Sigmoid", "Tanh", "Tanh"));
            }
        } else {
            for (int k = 0; k < acts.getStringsCount(); k++) {
                names.add(acts.getStrings(k).toStringUtf8());
            }
        }
        if (names.size() != 3 * d) {
            throw fail("activations lists " + names.size() + " functions; an LSTM with " + d + " direction(s) needs " + 3 * d);
        }
        AttributeProto al = attr("activation_alpha");
        AttributeProto be = attr("activation_beta");
        int ai = 0;
        int bi = 0;
        Activation[] parsed = new Activation[names.size()];
        for (int k = 0; k < names.size(); k++) {
            String n = names.get(k);
            Set<String> usesAlpha = Set.of("affine", "leakyrelu", "thresholdedrelu", "scaledtanh", "hardsigmoid", "elu");
            Set<String> usesBeta = Set.of("affine", "scaledtanh", "hardsigmoid");
            String lower = n.toLowerCase(java.util.Locale.ROOT);
            float alpha = Float.NaN;
            float beta = Float.NaN;
            // alpha and beta values are consumed in order by the functions that take them (as ONNX Runtime reads them).
            if (usesAlpha.contains(lower) && al != null && ai < al.getFloatsCount()) {
                alpha = al.getFloats(ai++);
            }
            if (usesBeta.contains(lower) && be != null && bi < be.getFloatsCount()) {
                beta = be.getFloats(bi++);
            }
            try {
                parsed[k] = Activation.fromOnnx(n, alpha, beta);
            } catch (IllegalArgumentException e) {
                throw fail(e.getMessage());
            }
        }
        if (d == 2) {
            for (int k = 0; k < 3; k++) {
                if (!parsed[k].equals(parsed[k + 3])) {
                    throw fail("its forward and backward directions use different activations (" + names.subList(0, 3) + " vs "
                            + names.subList(3, 6) + "); lstm4j layers use one set for both directions");
                }
            }
        }
        st.f = parsed[0];
        st.g = parsed[1];
        st.h = parsed[2];
    }

    private void feed(LstmStage st, int index, Port.Role role, int d, int h, String sortBy) {
        Val v = in(index);
        String what = role == Port.Role.INITIAL_HIDDEN ? "initial_h" : "initial_c";
        if (v == null) {
            return;
        }
        if (v instanceof Fill f && f.value() == 0 || v instanceof Const c && c.t().allEqual(0)) {
            // Zeros built at run time (or stored) are the default initial state.
            return;
        }
        if (v instanceof Fill || v instanceof Const) {
            throw fail("its " + what + " is a constant non-zero state; lstm4j models start from zeros or from a state graph input");
        }
        if (!(v instanceof View w0) || w0.src.kind != Kind.INPUT) {
            throw fail("its " + what + " is computed from " + describe(v) + "; initial states must be graph inputs");
        }
        if (!java.util.Objects.equals(w0.sortedBy, sortBy)) {
            throw fail("its " + what + " and its input X are not in the same batch order (sorted by length or not)");
        }
        View w = w0.sorted(null, -1);
        if (w.rank() != 3) {
            throw fail("its " + what + " has rank " + w.rank());
        }
        int rowsAt = st.layout == 0 ? 0 : 1;
        int batchAt = 1 - rowsAt;
        List<Comp> rows = w.axes.get(rowsAt);
        List<Comp> batch = w.axes.get(batchAt);
        List<Comp> hid = w.axes.get(2);
        Source src = w.src;
        if (batch.size() != 1 || !batch.get(0).isFull(src) || hid.size() != 1 || !hid.get(0).isFull(src)
                || !hid.get(0).size(src).isKnown(h) && hid.get(0).size(src).known()) {
            throw fail("its " + what + " is an arrangement of graph input '" + src.inputName + "' that is not [directions, batch, hidden]");
        }
        Port.Layout layout;
        long lo = 0;
        if (rows.isEmpty()) {
            if (d != 1 || src.dims.length != 2 || batch.get(0).axis != 0 || hid.get(0).axis != 1) {
                throw fail("its " + what + " is graph input '" + src.inputName + "' with a new axis, which fits only a one-direction "
                        + "[batch, hidden] state");
            }
            layout = Port.Layout.SQUEEZED;
        } else {
            Comp rc = rows.get(0);
            if (rows.size() != 1 || rc.sel != Sel.RANGE || rc.hi - rc.lo != d || rc.reversed || src.dims.length != 3 || hid.get(0).axis != 2) {
                throw fail("its " + what + " takes " + (rows.size() == 1 ? rc.size(src) : "?") + " rows of graph input '" + src.inputName
                        + "' where " + d + " direction(s) need " + d);
            }
            lo = rc.lo;
            if (rc.axis == 0 && batch.get(0).axis == 1) {
                layout = Port.Layout.STACKED;
            } else if (rc.axis == 1 && batch.get(0).axis == 0) {
                layout = Port.Layout.STACKED_BATCHWISE;
            } else {
                throw fail("its " + what + " arranges graph input '" + src.inputName + "' in a way lstm4j does not map");
            }
        }
        st.feeds.add(new StateFeed(src.inputName, role, layout, lo, d));
    }

    // ------------------------------------------------------------------ assembly

    private SequenceModel assemble() {
        List<ValueInfoProto> outs = graph.getOutputList();
        if (outs.isEmpty()) {
            throw fail("the graph has no outputs");
        }
        // The main output: the stream from the deepest stage, preferring every-step or dense outputs over Y_h.
        Stream main = null;
        String mainName = null;
        int mainDepth = -1;
        boolean mainIsState = false;
        Map<String, Stream> streams = new LinkedHashMap<>();
        Map<String, String> notStream = new LinkedHashMap<>();
        for (ValueInfoProto o : outs) {
            Val v = values.get(o.getName());
            if (v instanceof View w && w.src.kind != Kind.INPUT && w.src.kind != Kind.LSTM_YC
                    && !(w.src.kind == Kind.LSTM_YH && w.rank() == 3)) {
                try {
                    Stream s = stream(w, "graph output '" + o.getName() + "'");
                    streams.put(o.getName(), s);
                    int depth = depth(s.stage());
                    boolean isState = w.src.kind == Kind.LSTM_YH;
                    if (depth > mainDepth || depth == mainDepth && mainIsState && !isState) {
                        main = s;
                        mainName = o.getName();
                        mainDepth = depth;
                        mainIsState = isState;
                    }
                } catch (OnnxImportException e) {
                    notStream.put(o.getName(), e.getMessage());
                }
            }
        }
        if (main == null) {
            // Only final states are outputs (as in ONNX's own LSTM node tests): the chain ends at the deepest LSTM they name.
            for (ValueInfoProto o : outs) {
                Val v = values.get(o.getName());
                List<View> parts = v instanceof StateStack st ? st.parts() : v instanceof View w ? List.of(w) : List.of();
                for (View w : parts) {
                    if ((w.src.kind == Kind.LSTM_YH || w.src.kind == Kind.LSTM_YC) && depth(w.src.stage) > mainDepth) {
                        mainDepth = depth(w.src.stage);
                        main = new Stream(w.src.stage, new Role[] {Role.BATCH, Role.TIME, Role.FEAT}, null,
                                OutputMode.SEQUENCES, MergeMode.CONCAT, false, null);
                    }
                }
            }
        }
        if (main == null) {
            if (!notStream.isEmpty()) {
                throw new OnnxImportException(notStream.values().iterator().next());
            }
            throw fail("no graph output is the output of an LSTM or dense layer (outputs: "
                    + outs.stream().map(ValueInfoProto::getName).toList() + ")");
        }
        // The chain of layers, from the graph input to the main output.
        List<Stage> chain = new ArrayList<>();
        Map<Stage, Stream> readBy = new HashMap<>();
        Stream consumer = main;
        Stage s = main.stage();
        while (!(s instanceof InputStage)) {
            chain.add(0, s);
            readBy.put(s, consumer);
            consumer = s.prev;
            s = s.prev.stage();
        }
        InputStage input = (InputStage) s;
        List<LstmStage> lstms = new ArrayList<>();
        for (Stage c : chain) {
            if (c instanceof LstmStage l) {
                lstms.add(l);
            }
        }
        int inputSize = lstms.isEmpty() ? 0 : lstms.get(0).inputSize;
        String name = graph.getName().isEmpty() ? source : graph.getName();
        SequenceModel.Builder mb = SequenceModel.builder(inputSize).name(name);
        for (Stage c : chain) {
            Stream r = readBy.get(c);
            if (c instanceof LstmStage l) {
                boolean reversedOut = r.reversed() && r.mode() == OutputMode.SEQUENCES;
                if (r.reversed() && r.mode() != OutputMode.SEQUENCES) {
                    throw new OnnxImportException(source + ": the output of time-reversed " + l + " is read as " + r.mode()
                            + ", which lstm4j does not map");
                }
                LstmLayer.Builder lb = LstmLayer.builder(l.inputSize, l.hiddenSize).name(l.name).direction(l.direction)
                        .mergeMode(l.direction == Direction.BIDIRECTIONAL ? r.merge() : MergeMode.CONCAT)
                        .outputMode(r.mode()).reversedOutputOrder(reversedOut)
                        .activations(l.f, l.g, l.h).cellClip(l.clip).coupledInputForget(l.inputForget).weights(l.weights);
                mb.add(build(() -> lb.build(), l.toString()));
            } else {
                DenseStage dst = (DenseStage) c;
                if (r.reversed()) {
                    throw new OnnxImportException(source + ": the output of " + dst + " is read time-reversed by "
                            + (r == main ? "the graph output" : "the next layer") + "; lstm4j maps a time reversal after a dense "
                            + "layer only as the input of a forward LSTM (Keras go_backwards)");
                }
                Activation act = dst.activation == null ? Activation.linear() : dst.activation;
                if (dst.kernel == null) {
                    mb.add(build(() -> ActivationLayer.of(dst.name, dst.units, act), dst.toString()));
                } else {
                    mb.add(build(() -> DenseLayer.of(dst.name, DenseWeights.of(dst.inputSize, dst.units, dst.kernel, dst.bias), act),
                            dst.toString()));
                }
            }
        }
        // Sequence lengths go to every LSTM or to none: they are one property of the batch.
        Set<String> lensPorts = new HashSet<>();
        for (LstmStage l : lstms) {
            lensPorts.add(l.seqLensPort == null ? "" : l.seqLensPort);
        }
        if (lensPorts.size() > 1) {
            throw new OnnxImportException(source + ": sequence_lens is given to some LSTM layers but not others (" + lstms.stream()
                    .map(l -> l.name + ": " + (l.seqLensPort == null ? "none" : "'" + l.seqLensPort + "'")).toList()
                    + "); lstm4j applies one set of lengths to every layer");
        }
        String lensPort = lensPorts.iterator().next();
        // Initial state ports.
        Map<String, List<int[]>> feedRows = new LinkedHashMap<>();
        Map<String, StateFeed> feedKind = new HashMap<>();
        for (int k = 0; k < lstms.size(); k++) {
            for (StateFeed f : lstms.get(k).feeds) {
                StateFeed prev = feedKind.putIfAbsent(f.port(), f);
                if (prev != null && (prev.role() != f.role() || prev.layout() != f.layout())) {
                    throw new OnnxImportException(source + ": graph input '" + f.port() + "' feeds both " + prev.role() + " "
                            + prev.layout() + " and " + f.role() + " " + f.layout());
                }
                feedRows.computeIfAbsent(f.port(), x -> new ArrayList<>()).add(new int[] {(int) f.rowLo(), f.rows(), k});
            }
        }
        Map<String, Port> ports = new LinkedHashMap<>();
        for (ValueInfoProto gi : graph.getInputList()) {
            String n = gi.getName();
            if (n.equals(input.name)) {
                ports.put(n, new Port(n, Port.Role.SEQUENCE_INPUT, input.layout, List.of()));
            } else if (n.equals(lensPort)) {
                ports.put(n, new Port(n, Port.Role.SEQUENCE_LENGTHS, Port.Layout.BATCH_MAJOR, List.of()));
            } else if (feedRows.containsKey(n)) {
                List<int[]> rows = feedRows.get(n);
                rows.sort((a, b) -> Integer.compare(a[0], b[0]));
                int next = 0;
                List<Integer> layers = new ArrayList<>();
                for (int[] r : rows) {
                    if (r[0] != next) {
                        throw new OnnxImportException(source + ": initial-state graph input '" + n + "' is read at rows " + r[0]
                                + ".." + (r[0] + r[1]) + " but rows from " + next + " are not read by the next layer; lstm4j maps "
                                + "a state input that stacks consecutive layers");
                    }
                    next += r[1];
                    layers.add(r[2]);
                }
                Source src = inputSources.get(n);
                StateFeed f = feedKind.get(n);
                int rowAxis = f.layout() == Port.Layout.STACKED_BATCHWISE ? 1 : 0;
                if (f.layout() != Port.Layout.SQUEEZED && src.dims[rowAxis].known() && src.dims[rowAxis].value != next) {
                    throw new OnnxImportException(source + ": initial-state graph input '" + n + "' has " + src.dims[rowAxis]
                            + " rows but the layers read only " + next);
                }
                ports.put(n, new Port(n, f.role(), f.layout(), layers));
            }
        }
        if (!ports.containsKey(input.name)) {
            throw fail("the sequence input '" + input.name + "' is not a graph input");
        }
        Map<LstmStage, Integer> index = new HashMap<>();
        for (int k = 0; k < lstms.size(); k++) {
            index.put(lstms.get(k), k);
        }
        for (ValueInfoProto o : outs) {
            String n = o.getName();
            if (n.equals(mainName)) {
                Port.Layout layout = main.rawLayout() != null ? main.rawLayout()
                        : main.roles()[0] == Role.TIME ? Port.Layout.TIME_MAJOR : Port.Layout.BATCH_MAJOR;
                ports.put(n, new Port(n, Port.Role.OUTPUT, layout, List.of()));
                continue;
            }
            ports.put(n, statePort(n, values.get(n), index, notStream.get(n)));
        }
        mb.ports(new ArrayList<>(ports.values()));
        for (StringStringEntryProto e : model.getMetadataPropsList()) {
            mb.metadata(e.getKey(), e.getValue());
        }
        return build(mb::build, "the model");
    }

    private <T> T build(java.util.function.Supplier<T> f, String what) {
        try {
            return f.get();
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new OnnxImportException(source + ": " + what + ": " + e.getMessage(), e);
        }
    }

    private static int depth(Stage s) {
        int d = 0;
        while (!(s instanceof InputStage)) {
            d++;
            s = s.prev.stage();
        }
        return d;
    }

    private Port statePort(String name, Val v, Map<LstmStage, Integer> index, String whyNotOutput) {
        List<View> parts = v instanceof StateStack st ? st.parts() : v instanceof View w ? List.of(w) : List.of();
        String problem = "graph output '" + name + "' is neither the model's output nor a final state of its LSTM layers"
                + (whyNotOutput == null ? "" : " (" + whyNotOutput + ")") + "; lstm4j models have one output";
        if (parts.isEmpty()) {
            throw new OnnxImportException(source + ": " + problem);
        }
        Kind kind = parts.get(0).src.kind;
        if (kind != Kind.LSTM_YH && kind != Kind.LSTM_YC) {
            throw new OnnxImportException(source + ": " + problem);
        }
        Port.Layout layout = null;
        List<Integer> layers = new ArrayList<>();
        for (View w : parts) {
            LstmStage st = (LstmStage) w.src.stage;
            Integer k = index.get(st);
            if (w.src.kind != kind || k == null) {
                throw new OnnxImportException(source + ": " + problem + (k == null ? " (its LSTM is not on the path to the output)" : ""));
            }
            Port.Layout l = stateLayout(w, st);
            if (l == null || layout != null && l != layout) {
                throw new OnnxImportException(source + ": " + problem + " (the state is arranged as " + w + ")");
            }
            layout = l;
            layers.add(k);
        }
        if (layout == Port.Layout.SQUEEZED && layers.size() != 1 || layout == Port.Layout.STACKED_BATCHWISE && parts.size() != 1) {
            throw new OnnxImportException(source + ": " + problem);
        }
        return new Port(name, kind == Kind.LSTM_YH ? Port.Role.FINAL_HIDDEN : Port.Role.FINAL_CELL, layout, layers);
    }

    private static Port.Layout stateLayout(View w, LstmStage st) {
        if (w.sortedBy != null) {
            return null;
        }
        int dir = w.src.axisOf(Role.DIR);
        int batch = w.src.axisOf(Role.BATCH);
        int hid = w.src.axisOf(Role.FEAT);
        if (w.merge != null) {
            return null;
        }
        if (w.rank() == 3 && w.fixed.isEmpty()) {
            int[] order = new int[3];
            for (int i = 0; i < 3; i++) {
                List<Comp> a = w.axes.get(i);
                if (a.size() != 1 || !a.get(0).isFull(w.src)) {
                    return null;
                }
                order[i] = a.get(0).axis;
            }
            if (order[0] == dir && order[1] == batch && order[2] == hid) {
                return Port.Layout.STACKED;
            }
            if (order[0] == batch && order[1] == dir && order[2] == hid) {
                return Port.Layout.STACKED_BATCHWISE;
            }
            return null;
        }
        if (w.rank() == 2 && st.directions() == 1 && w.fixed.size() == 1 && w.fixed.containsKey(dir)) {
            List<Comp> a = w.axes.get(0);
            List<Comp> b = w.axes.get(1);
            if (a.size() == 1 && a.get(0).axis == batch && b.size() == 1 && b.get(0).axis == hid) {
                return Port.Layout.SQUEEZED;
            }
        }
        return null;
    }
}
