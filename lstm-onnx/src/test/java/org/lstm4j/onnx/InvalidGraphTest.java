package org.lstm4j.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lstm4j.onnx.HandBuilt.attr;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Graphs that ONNX Runtime (and the ONNX checker) reject are refused even when the offending node
 * is off the path to the output, with the node named: a cycle, a node with more or fewer outputs
 * than its op's schema allows, an input nothing defines. Each case is checked against ONNX Runtime
 * refusing the same bytes, and the same graph without the offending node imports, so that the test
 * sees the node and not something else.
 */
class InvalidGraphTest {

    /** A valid one-LSTM graph with {@code extra} nodes added off the path from x to out. */
    private static HandBuilt graph(String name, Consumer<HandBuilt> extra) {
        HandBuilt g = new HandBuilt(name, 17, 90);
        g.input("x", "T", "B", 3);
        String y = g.lstm("lstm", "x", 3, 4, "forward");
        g.op("Squeeze", "out", List.of(y, g.longs("ax", 1)));
        extra.accept(g);
        g.output("out", "T", "B", 4);
        return g;
    }

    private static void assertOnnxRuntimeRefuses(HandBuilt g) {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        assertThrows(OrtException.class, () -> {
            try (OrtSession s = env.createSession(g.bytes())) {
                s.getNumInputs();
            }
        }, "ONNX Runtime should refuse it too");
    }

    @Test
    void theValidGraphImports() {
        assertEquals(1, graph("valid", g -> { }).importModel().layers().size());
    }

    @Test
    void aCycleOffThePathIsRefusedNamingItsNodes() {
        HandBuilt g = graph("cycle_off_path", x -> {
            x.op("Add", "loop_a", List.of("x", "loop_b"));
            x.op("Relu", "loop_b", List.of("loop_a"));
        });
        String m = g.refusal("loop_a", "the graph has a cycle ('loop_a' -> 'loop_b' -> 'loop_a')");
        assertTrue(m.contains("its input 'loop_b' depends on its own outputs"), m);
        assertOnnxRuntimeRefuses(g);
    }

    @Test
    void aNodeWithAnOutputCountItsSchemaForbidsIsRefused() {
        HandBuilt g = graph("two_outputs", x -> x.node("Relu", List.of("x"), List.of("r1", "r2")));
        g.refusal("r1", "it has 2 outputs, but Relu (opset 17) has 1");
        assertOnnxRuntimeRefuses(g);
    }

    @Test
    void aTopKWithOneOutputIsRefused() {
        HandBuilt g = graph("topk_one", x -> x.node("TopK", List.of("x", x.longs("k", 1)), List.of("values"), attr("axis", 0L)));
        g.refusal("values", "it has 1 outputs, but TopK (opset 17) has 2");
        assertOnnxRuntimeRefuses(g);
    }

    @Test
    void anInputNothingDefinesIsRefusedNamingTheNode() {
        HandBuilt g = graph("undefined_off_path", x -> x.op("Relu", "dangling", List.of("nowhere")));
        g.refusal("dangling", "its input 'nowhere' is neither a graph input, an initializer nor a node output");
        assertOnnxRuntimeRefuses(g);
    }

    /** Optional outputs left out count as ONNX counts them: an LSTM with Y only, or with Y_h alone after an empty Y, is fine. */
    @Test
    void optionalOutputsMayBeOmitted() {
        HandBuilt g = new HandBuilt("lstm_yh_only", 17, 91);
        g.input("x", "T", "B", 3);
        g.node("LSTM", List.of("x", g.random("W", 0.5f, 1, 16, 3), g.random("R", 0.5f, 1, 16, 4)), List.of("", "h"),
                attr("hidden_size", 4L));
        g.op("Squeeze", "out", List.of("h", g.longs("ax", 0)));
        g.output("out", "B", 4);
        g.assertMatchesOnnxRuntime(java.util.Map.of("x", g.randomInput(3, 2, 3)));
    }

    @Test
    void aMissingRequiredConstantInputIsRefusedNotACrash() {
        HandBuilt gemm = new HandBuilt("gemm_without_b", 17, 92);
        gemm.input("x", "T", "B", 3);
        gemm.lstm("lstm", "x", 3, 4, "forward");
        gemm.op("Squeeze", "h", List.of("lstm_h", gemm.longs("ax", 0)));
        gemm.op("Gemm", "out", List.of("h", ""));
        gemm.output("out", "B", 4);
        gemm.refusal("out", "its input B is missing");
        HandBuilt range = graph("range_without_limit", x -> x.op("Range", "r", List.of(x.scalar("r0", 0), "", x.scalar("r1", 1))));
        range.g.output("r", HandBuilt.INT64);
        range.refusal("r", "its input limit is missing");
    }
}
