package org.lstm4j.onnx;

import java.util.List;
import org.lstm4j.model.SequenceModel;
import org.lstm4j.onnx.Values.Const;
import org.lstm4j.onnx.Values.Dim;
import org.lstm4j.onnx.Values.Kind;
import org.lstm4j.onnx.Values.Role;
import org.lstm4j.onnx.Values.Source;
import org.lstm4j.onnx.Values.View;
import org.lstm4j.onnx.proto.OnnxProto.ModelProto;
import org.lstm4j.onnx.proto.OnnxProto.NodeProto;
import org.lstm4j.onnx.proto.OnnxProto.OperatorSetIdProto;
import org.lstm4j.onnx.proto.OnnxProto.TensorProto;
import org.lstm4j.onnx.proto.OnnxProto.TensorShapeProto;
import org.lstm4j.onnx.proto.OnnxProto.ValueInfoProto;

/**
 * Maps one ONNX graph onto a {@link SequenceModel}, as an orchestrator: it checks the graph's
 * limits, gives initializers and graph inputs their values, orders the nodes the outputs need,
 * hands each node to the handler {@link OpRegistry} holds for its op type, and lets
 * {@link ModelAssembly} build the chain of layers that leads to the graph output. Every value is
 * a constant or a view of a network tensor with symbolic batch and time sizes ({@link Values}).
 * Anything not understood on that path is an error naming the node. Package-private; one
 * instance per import.
 */
final class GraphMapper {

    private final ModelProto model;
    private final String source;
    private final TensorReader reader;
    private final OnnxImportOptions options;
    private final OpRegistry handlers;

    GraphMapper(ModelProto model, String source, TensorReader reader, OnnxImportOptions options) {
        this(model, source, reader, options, OpRegistry.standard());
    }

    GraphMapper(ModelProto model, String source, TensorReader reader, OnnxImportOptions options, OpRegistry handlers) {
        this.model = model;
        this.source = source;
        this.reader = reader;
        this.options = options;
        this.handlers = handlers;
    }

    SequenceModel map() {
        ImportState state = new ImportState(model, source, reader, options, opset());
        var graph = state.graph;
        if (graph.getNodeCount() > options.maxNodes()) {
            throw state.fail("the graph has " + graph.getNodeCount() + " nodes, more than the limit of " + options.maxNodes()
                    + " (OnnxImportOptions.maxNodes)");
        }
        if (graph.getInitializerCount() > options.maxInitializers()) {
            throw state.fail("the graph has " + graph.getInitializerCount() + " initializers, more than the limit of "
                    + options.maxInitializers() + " (OnnxImportOptions.maxInitializers)");
        }
        if (graph.getSparseInitializerCount() > 0) {
            throw state.fail("sparse initializers are not supported");
        }
        for (TensorProto t : graph.getInitializerList()) {
            if (state.values.containsKey(t.getName())) {
                throw state.fail("two initializers are named '" + t.getName() + "'");
            }
            state.values.put(t.getName(), new Const(reader.read(t, "initializer '" + t.getName() + "'")));
        }
        for (ValueInfoProto in : graph.getInputList()) {
            if (state.values.containsKey(in.getName())) {
                // An input with an initializer of the same name is a constant with a default (older exporters list weights as inputs).
                continue;
            }
            state.values.put(in.getName(), View.identity(inputSource(state, in)));
        }
        List<NodeProto> order = GraphOrder.of(state, state.values.keySet(), handlers);
        for (NodeProto n : order) {
            // A recurrence unrolled into a loop is reported as such, before any of the glue around it.
            if (RecurrenceLoops.isLoop(n.getOpType())) {
                throw Node.fail(source, n, RecurrenceLoops.message(n, graph));
            }
        }
        for (NodeProto n : order) {
            Node node = new Node(n, state);
            try {
                handlerFor(node).map(node);
            } catch (OnnxImportException e) {
                throw e;
            } catch (Refusal e) {
                throw node.fail(e.reason());
            } catch (IllegalArgumentException | IllegalStateException | ArithmeticException | IndexOutOfBoundsException e) {
                throw node.fail(e.getMessage() == null ? e.toString() : e.getMessage());
            }
        }
        return new ModelAssembly(state).assemble();
    }

    private OpHandler handlerFor(Node n) {
        String op = n.opType();
        String domain = n.proto.getDomain();
        if (!domain.isEmpty() && !domain.equals("ai.onnx")) {
            throw new Refusal("op " + op + " of domain '" + domain + "' is not supported (only standard ONNX ops are)");
        }
        OpHandler h = handlers.find(op, n.opset());
        if (h == null) {
            throw new Refusal("op " + op + " is not supported between the graph input and output (lstm4j maps LSTM, "
                    + "MatMul/Gemm + Add dense layers, their activations, and the layout glue exporters write around them)");
        }
        return h;
    }

    private int opset() {
        int opset = -1;
        for (OperatorSetIdProto o : model.getOpsetImportList()) {
            if (o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx")) {
                opset = (int) o.getVersion();
            }
        }
        if (opset < 0) {
            throw new OnnxImportException(source + ": the model imports no version of the default ONNX operator set");
        }
        if (opset < 7) {
            throw new OnnxImportException(source + ": opset " + opset
                    + " is older than 7, the first with today's LSTM operator; re-export with opset 7 or newer");
        }
        return opset;
    }

    private Source inputSource(ImportState state, ValueInfoProto in) {
        if (!in.getType().hasTensorType()) {
            throw state.fail("graph input '" + in.getName() + "' is not a tensor");
        }
        TensorShapeProto shape = in.getType().getTensorType().getShape();
        int rank = shape.getDimCount();
        if (rank > options.maxRank()) {
            throw state.fail("graph input '" + in.getName() + "' has rank " + rank + ", more than the limit " + options.maxRank());
        }
        Dim[] dims = new Dim[rank];
        Role[] roles = new Role[rank];
        for (int i = 0; i < rank; i++) {
            TensorShapeProto.Dimension d = shape.getDim(i);
            if (d.hasDimValue() && d.getDimValue() > 0) {
                dims[i] = Dim.of(d.getDimValue());
            } else if (d.hasDimValue() && d.getDimValue() < 0) {
                throw state.fail("graph input '" + in.getName() + "' declares a negative dimension " + d.getDimValue());
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
        state.inputSources.put(in.getName(), s);
        int type = in.getType().getTensorType().getElemType();
        if (type != Tensor.FLOAT && type != Tensor.DOUBLE && type != Tensor.FLOAT16 && type != Tensor.BFLOAT16) {
            state.integerInputs.add(in.getName());
        }
        return s;
    }
}
