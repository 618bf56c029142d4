package org.lstm4j.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.lstm4j.onnx.proto.OnnxProto.AttributeProto;
import org.lstm4j.onnx.proto.OnnxProto.GraphProto;
import org.lstm4j.onnx.proto.OnnxProto.ModelProto;
import org.lstm4j.onnx.proto.OnnxProto.NodeProto;

/**
 * The orchestrator ({@link GraphMapper}, {@link GraphOrder}) and the registry ({@link OpRegistry}):
 * handlers found by op type and opset, a missing handler or a foreign domain refused naming the
 * node, the registry's ranges never overlapping, control flow refused with its hints.
 */
class OrchestratorTest {

    @Test
    void opsWhoseSemanticsChangedHaveOneHandlerPerOpsetRange() {
        OpRegistry r = OpRegistry.standard();
        assertNotSame(r.find("Slice", 9), r.find("Slice", 10));
        assertNotSame(r.find("Softmax", 12), r.find("Softmax", 13));
        assertNotSame(r.find("Split", 12), r.find("Split", 13));
        assertNull(r.find("LSTM", 1), "LSTM opset 1 has no handler");
        assertNotNull(r.find("LSTM", 22));
        assertNull(r.find("Erf", 17));
    }

    @Test
    void everyRegisteredOpTypeIsRegisteredByOneFamilyWithoutOverlaps() {
        Set<String> ops = new HashSet<>();
        for (OpRegistry.Entry e : OpRegistry.standard().entries()) {
            ops.add(e.opType());
            assertTrue(e.since() <= e.until(), e.toString());
        }
        assertTrue(ops.containsAll(List.of("LSTM", "MatMul", "Gemm", "Concat", "Slice", "Gather", "Reshape", "TopK", "ReverseSequence")), ops.toString());
        OpRegistry r = new OpRegistry().add("a", 1, 12, n -> { }, "X");
        assertThrows(IllegalStateException.class, () -> r.add("b", 12, 13, n -> { }, "X"));
    }

    /** A registry is the importer's vocabulary: the same graph is refused by one without the handler its op needs. */
    @Test
    void theOrchestratorAsksTheRegistryForEveryNode() {
        HandBuilt g = new HandBuilt("relu_head", 17, 80);
        g.input("x", "T", "B", 3);
        String y = g.lstm("lstm", "x", 3, 4, "forward");
        g.op("Relu", "out", List.of(y));
        g.output("out", "T", 1, "B", 4);
        ModelProto model = OnnxImporter.parse(g.bytes(), "relu_head", OnnxImportOptions.defaults());
        OpRegistry withoutRelu = new OpRegistry();
        for (OpRegistry.Entry e : OpRegistry.standard().entries()) {
            if (!e.opType().equals("Relu")) {
                withoutRelu.add(e.family(), e.since(), e.until(), e.outputs(), e.handler(), e.opType());
            }
        }
        OnnxImportException refused = assertThrows(OnnxImportException.class, () -> new GraphMapper(model, "relu_head",
                new TensorReader(OnnxImportOptions.defaults(), null, "relu_head"), OnnxImportOptions.defaults(), withoutRelu).map());
        assertTrue(refused.getMessage().contains("node 'out' (Relu): op Relu is not supported"), refused.getMessage());
    }

    @Test
    void anOpWithoutAHandlerIsRefusedNamingTheNodeAndOp() {
        HandBuilt g = new HandBuilt("erf", 17, 81);
        g.input("x", "T", "B", 3);
        String y = g.lstm("lstm", "x", 3, 4, "forward");
        g.op("Erf", "out", List.of(y));
        g.output("out", "T", 1, "B", 4);
        g.refusal("out", "op Erf is not supported between the graph input and output");
    }

    @Test
    void anOpOfAnotherDomainIsRefused() throws Exception {
        HandBuilt g = new HandBuilt("domain", 17, 82);
        g.input("x", "T", "B", 3);
        String y = g.lstm("lstm", "x", 3, 4, "forward");
        g.op("Relu", "out", List.of(y));
        g.output("out", "T", 1, "B", 4);
        ModelProto m = ModelProto.parseFrom(g.bytes());
        GraphProto.Builder gb = m.getGraph().toBuilder();
        NodeProto relu = gb.getNode(1).toBuilder().setDomain("com.example").build();
        gb.setNode(1, relu);
        byte[] bytes = m.toBuilder().setGraph(gb).build().toByteArray();
        OnnxImportException e = assertThrows(OnnxImportException.class, () -> OnnxImporter.importModel(bytes, "domain"));
        assertTrue(e.getMessage().contains("node 'out' (Relu): op Relu of domain 'com.example' is not supported"), e.getMessage());
    }

    @Test
    void aLoopIsRefusedWithWhatItsBodySuggests() {
        HandBuilt g = new HandBuilt("loop", 17, 83);
        g.input("x", "T", "B", 3);
        GraphProto body = GraphProto.newBuilder().setName("body")
                .addNode(NodeProto.newBuilder().setOpType("Clip").addInput("a").addOutput("b"))
                .addNode(NodeProto.newBuilder().setOpType("Tanh").addInput("b").addOutput("c")).build();
        g.op("Loop", "out", List.of("", ""), AttributeProto.newBuilder().setName("body").setType(AttributeProto.AttributeType.GRAPH)
                .setG(body).build());
        g.output("out", "T", "B", 3);
        g.refusal("out", "a Loop (a recurrence unrolled into a loop body) cannot be mapped", "recurrent_activation='hard_sigmoid'",
                "(loop body ops: Clip, Tanh)");
    }

    @Test
    void aCycleOnThePathToTheOutputIsRefusedNamingANodeInIt() {
        HandBuilt g = new HandBuilt("cycle", 17, 84);
        g.input("x", "T", "B", 3);
        g.op("Add", "a", List.of("x", "b"));
        g.op("Relu", "b", List.of("a"));
        g.output("b", "T", "B", 3);
        String m = g.refusal(null, "the graph has a cycle");
        assertTrue(m.contains("node 'a'") || m.contains("node 'b'"), m);
        assertEquals(1, m.split("node '").length - 1, m);
    }
}
