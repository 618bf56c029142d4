package org.lstm4j.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.lstm4j.model.LstmLayer;
import org.lstm4j.model.Port;
import org.lstm4j.model.SequenceModel;

/**
 * {@link InputPreprocessing} on hand-built graphs: per-feature constants applied to the graph input
 * before the first LSTM (normalisation as Keras's Normalization layer and PyTorch's
 * {@code (x - mean) / std} write it) fold into that LSTM's weights; the model still reads the raw
 * input. Expected values: ONNX Runtime running the same graph.
 */
class InputPreprocessingTest {

    /** PyTorch batch-first: (x - mean) / std on [B, T, F], a Transpose to time-major, the LSTM's final state. */
    @Test
    void standardisationBeforeTheLstmFoldsIntoItsWeights() {
        HandBuilt g = new HandBuilt("standardised", 17, 70);
        g.input("x", "B", "T", 3);
        g.op("Sub", "centred", List.of("x", g.floats("mean", new int[] {3}, 0.5f, -1.25f, 3f)));
        g.op("Div", "scaled", List.of("centred", g.floats("std", new int[] {3}, 2f, 0.25f, 1.5f)));
        g.op("Transpose", "x_t", List.of("scaled"), HandBuilt.ints("perm", 1, 0, 2));
        g.lstm("lstm", "x_t", 3, 4, "forward");
        g.op("Reshape", "out", List.of("lstm_h", g.longs("shape", -1, 4)));
        g.output("out", "B", 4);
        SequenceModel m = g.assertMatchesOnnxRuntime(Map.of("x", g.randomInput(2, 5, 3)));
        assertEquals(1, m.layers().size(), m.toString());
        assertInstanceOf(LstmLayer.class, m.layers().get(0));
        assertEquals("x", m.inputPorts().get(0).name());
        assertEquals(Port.Layout.BATCH_MAJOR, m.inputPorts().get(0).layout());
    }

    /** Time-major, [1, 1, F] scale then a scalar shift, a bidirectional LSTM reading the result. */
    @Test
    void broadcastScaleAndScalarShiftBeforeABidirectionalLstm() {
        HandBuilt g = new HandBuilt("scaled_bidi", 17, 71);
        g.input("x", "T", "B", 3);
        g.op("Mul", "scaled", List.of(g.floats("scale", new int[] {1, 1, 3}, 0.5f, 2f, -1f), "x"));
        g.op("Add", "shifted", List.of("scaled", g.floats("shift", new int[] {1}, 0.75f)));
        String y = g.lstm("lstm", "shifted", 3, 4, "bidirectional");
        g.output(y, "T", 2, "B", 4);
        g.assertMatchesOnnxRuntime(Map.of("x", g.randomInput(5, 2, 3)));
    }

    /** A constant minus the input (c - x) is x * -1 + c. */
    @Test
    void constantMinusTheInput() {
        HandBuilt g = new HandBuilt("reflected", 17, 72);
        g.input("x", "T", "B", 3);
        g.op("Sub", "reflected", List.of(g.floats("c", new int[] {3}, 1f, 0f, -2f), "x"));
        String y = g.lstm("lstm", "reflected", 3, 4, "forward");
        g.output(y, "T", 1, "B", 4);
        g.assertMatchesOnnxRuntime(Map.of("x", g.randomInput(4, 3, 3)));
    }

    /** A positional encoding (one value per time step and feature) is refused, naming it. */
    @Test
    void aPositionalEncodingIsRefused() {
        HandBuilt g = new HandBuilt("positional", 17, 73);
        g.input("x", "B", 4, 3);
        g.op("Add", "encoded", List.of("x", g.random("pe", 1f, 1, 4, 3)));
        g.op("Transpose", "x_t", List.of("encoded"), HandBuilt.ints("perm", 1, 0, 2));
        g.lstm("lstm", "x_t", 3, 4, "forward");
        g.output("lstm_y", 4, 1, "B", 4);
        g.refusal("encoded", "varies along more than the features", "positional encoding");
    }

    /** A constant divided by the input is not x * a + b: refused. */
    @Test
    void aConstantDividedByTheInputIsRefused() {
        HandBuilt g = new HandBuilt("reciprocal", 17, 74);
        g.input("x", "T", "B", 3);
        g.op("Div", "inv", List.of(g.floats("one", new int[] {1}, 1f), "x"));
        g.lstm("lstm", "inv", 3, 4, "forward");
        g.output("lstm_y", "T", 1, "B", 4);
        g.refusal("inv", "divides a constant by graph input 'x'");
    }

    /** Preprocessing along the batch axis is not per-feature: the LSTM refuses it, naming the axis's role. */
    @Test
    void preprocessingAlongTheBatchAxisIsRefused() {
        HandBuilt g = new HandBuilt("per_row", 17, 75);
        g.input("x", "T", 2, 3);
        g.op("Mul", "scaled", List.of("x", g.floats("rows", new int[] {2, 1}, 2f, 3f)));
        g.lstm("lstm", "scaled", 3, 4, "forward");
        g.output("lstm_y", "T", 1, 2, 4);
        g.refusal("lstm", "along its axis 1, which this LSTM reads as batch");
    }
}
