package org.lstm4j.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lstm4j.onnx.HandBuilt.attr;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.lstm4j.model.Direction;
import org.lstm4j.model.LstmLayer;
import org.lstm4j.model.Port;
import org.lstm4j.model.SequenceModel;
import org.lstm4j.onnx.proto.OnnxProto.AttributeProto;
import org.lstm4j.tensor.FloatTensor;
import org.lstm4j.testing.TensorAssertions;
import org.lstm4j.testing.Tolerance;

/**
 * {@link LstmOp} and {@link LstmInputs} on hand-built graphs: the node's attributes (clip,
 * input_forget, activations with alpha and beta), peepholes, sequence lengths and initial states
 * as graph inputs, layout 1, and the refusals that name the node. Expected values: ONNX Runtime
 * running the same graph (for layout 1, which ONNX Runtime's CPU LSTM rejects, the layout-0 graph).
 */
class LstmOpTest {

    private static AttributeProto strings(String name, String... v) {
        return ExportGraph.strings(name, List.of(v));
    }

    /** clip, input_forget, LeakyRelu/HardSigmoid activations with their alpha and beta, peepholes, lengths, h0, c0. */
    @Test
    void everyAttributeAndOptionalInput() {
        HandBuilt g = new HandBuilt("lstm_everything", 17, 60);
        g.input("x", "T", "B", 3);
        g.intInput("lens", "B");
        g.input("h0", 1, "B", 4);
        g.input("c0", 1, "B", 4);
        String p = g.random("P", 0.3f, 1, 12);
        String y = g.lstm("lstm", "x", 3, 4, "reverse", List.of("lens", "h0", "c0", p),
                attr("clip", 2.5f), attr("input_forget", 1L), strings("activations", "HardSigmoid", "LeakyRelu", "Tanh"),
                ExportGraph.floats("activation_alpha", List.of(0.3f, 0.1f)), ExportGraph.floats("activation_beta", List.of(0.45f)));
        g.op("Squeeze", "out", List.of(y, g.longs("ax", 1)));
        g.output("out", "T", "B", 4);
        g.output("lstm_h", 1, "B", 4);
        g.output("lstm_c", 1, "B", 4);
        SequenceModel m = g.assertMatchesOnnxRuntime(Map.of("x", g.randomInput(5, 3, 3), "lens", new int[] {5, 2, 4},
                "h0", g.randomInput(1, 3, 4), "c0", g.randomInput(1, 3, 4)));
        LstmLayer l = (LstmLayer) m.layers().get(0);
        assertEquals(Direction.REVERSE, l.direction());
        assertEquals(2.5f, l.cellClip());
        assertTrue(l.coupledInputForget());
        assertEquals(List.of(Port.Role.SEQUENCE_INPUT, Port.Role.SEQUENCE_LENGTHS, Port.Role.INITIAL_HIDDEN, Port.Role.INITIAL_CELL,
                Port.Role.OUTPUT, Port.Role.FINAL_HIDDEN, Port.Role.FINAL_CELL), m.ports().stream().map(Port::role).toList());
    }

    /** Layout 1 reads [B, T, I] and writes Y [B, T, D, H]: the same model as the layout-0 graph with Transposes, whose ONNX Runtime output it matches. */
    @Test
    void layoutOneIsTheBatchMajorLstm() throws Exception {
        HandBuilt zero = new HandBuilt("layout0", 17, 61);
        zero.input("x", "B", "T", 3);
        zero.op("Transpose", "xt", List.of("x"), HandBuilt.ints("perm", 1, 0, 2));
        String y0 = zero.lstm("lstm", "xt", 3, 4, "bidirectional");
        zero.op("Transpose", "yt", List.of(y0), HandBuilt.ints("perm", 2, 0, 1, 3));
        zero.op("Reshape", "out", List.of("yt", zero.longs("shape", 0, 0, -1)));
        zero.output("out", "B", "T", 8);
        HandBuilt one = new HandBuilt("layout1", 17, 61);
        one.input("x", "B", "T", 3);
        String y1 = one.lstm("lstm", "x", 3, 4, "bidirectional", attr("layout", 1L));
        one.op("Reshape", "out", List.of(y1, one.longs("shape", 0, 0, -1)));
        one.output("out", "B", "T", 8);
        assertEquals(zero.importModel().layers(), one.importModel().layers());
        FloatTensor x = zero.randomInput(2, 5, 3);
        FloatTensor expected = OrtRunner.run(zero.bytes(), Map.of("x", x)).get("out");
        TensorAssertions.assertClose(expected, Oracle.run(one.importModel(), Map.of("x", x), Map.of()).get("out"), Tolerance.DEFAULT, "layout 1");
    }

    @Test
    void missingWeightsAreRefused() {
        HandBuilt g = new HandBuilt("no_r", 17, 62);
        g.input("x", "T", "B", 3);
        g.node("LSTM", List.of("x", g.random("W", 0.5f, 1, 16, 3)), List.of("y"), attr("hidden_size", 4L));
        g.output("y", "T", 1, "B", 4);
        g.refusal("y", "its W or R input is missing");
    }

    @Test
    void differentActivationsPerDirectionAreRefused() {
        HandBuilt g = new HandBuilt("acts_per_dir", 17, 63);
        g.input("x", "T", "B", 3);
        String y = g.lstm("lstm", "x", 3, 4, "bidirectional",
                strings("activations", "Sigmoid", "Tanh", "Tanh", "Sigmoid", "Relu", "Tanh"));
        g.output(y, "T", 2, "B", 4);
        g.refusal("lstm", "forward and backward directions use different activations");
    }

    @Test
    void opsetOneOutputSequenceIsRefused() {
        HandBuilt g = new HandBuilt("output_sequence", 17, 64);
        g.input("x", "T", "B", 3);
        String y = g.lstm("lstm", "x", 3, 4, "forward", attr("output_sequence", 1L));
        g.output(y, "T", 1, "B", 4);
        g.refusal("lstm", "output_sequence attribute of LSTM opset 1");
    }

    @Test
    void aGruIsRefused() {
        HandBuilt g = new HandBuilt("gru", 17, 65);
        g.input("x", "T", "B", 3);
        g.node("GRU", List.of("x", g.random("W", 0.5f, 1, 12, 3), g.random("R", 0.5f, 1, 12, 4)), List.of("y"), attr("hidden_size", 4L));
        g.output("y", "T", 1, "B", 4);
        g.refusal("y", "only LSTM layers are supported; this model has a GRU layer");
    }

    /** A constant non-zero initial state has no place in a model: refused, naming the node. */
    @Test
    void aConstantNonZeroInitialStateIsRefused() {
        HandBuilt g = new HandBuilt("constant_h0", 17, 66);
        g.input("x", "T", "B", 3);
        String y = g.lstm("lstm", "x", 3, 4, "forward", List.of("", g.floats("h0", new int[] {1, 1, 4}, 1f, 1f, 1f, 1f)));
        g.output(y, "T", 1, "B", 4);
        g.refusal("lstm", "its initial_h is a constant non-zero state");
    }
}
