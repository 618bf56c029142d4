package org.lstm4j.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.lstm4j.onnx.HandBuilt.ints;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.lstm4j.model.LstmLayer;
import org.lstm4j.model.MergeMode;
import org.lstm4j.model.OutputMode;
import org.lstm4j.model.Port;
import org.lstm4j.model.SequenceModel;

/**
 * {@link LayoutOps} on hand-built graphs: Transpose, Squeeze and Unsqueeze (axes as an attribute
 * before opset 13, as an input since), Reshape and Flatten around LSTM outputs. Expected values:
 * ONNX Runtime running the same graph ({@link HandBuilt#assertMatchesOnnxRuntime}).
 */
class LayoutOpsTest {

    /** x [B, T, 3] -> Transpose -> LSTM -> Squeeze(dir) -> Transpose -> y [B, T, 4]: a batch-major every-step model. */
    @ParameterizedTest(name = "opset {0}")
    @ValueSource(ints = {11, 13, 17})
    void transposeAndSqueezeAroundAnLstmGiveABatchMajorSequenceOutput(int opset) {
        HandBuilt g = new HandBuilt("transpose_squeeze_" + opset, opset, 1);
        g.input("x", "B", "T", 3);
        g.op("Transpose", "xt", List.of("x"), ints("perm", 1, 0, 2));
        String y = g.lstm("lstm", "xt", 3, 4, "forward");
        if (opset >= 13) {
            g.op("Squeeze", "ys", List.of(y, g.longs("axes", 1)));
        } else {
            g.op("Squeeze", "ys", List.of(y), ints("axes", 1));
        }
        g.op("Transpose", "out", List.of("ys"), ints("perm", 1, 0, 2));
        g.output("out", "B", "T", 4);
        SequenceModel m = g.assertMatchesOnnxRuntime(Map.of("x", g.randomInput(2, 5, 3)));
        assertEquals(Port.Layout.BATCH_MAJOR, m.inputPorts().get(0).layout());
        assertEquals(OutputMode.SEQUENCES, ((LstmLayer) m.layers().get(0)).outputMode());
    }

    /** Y [T, 2, B, H] -> Transpose [T, B, 2, H] -> Reshape [T, B, 2H]: both directions concatenated, time-major. */
    @Test
    void reshapeMergingTheDirectionAxisIsTheConcatMerge() {
        HandBuilt g = new HandBuilt("reshape_concat", 17, 2);
        g.input("x", "T", "B", 3);
        String y = g.lstm("lstm", "x", 3, 4, "bidirectional");
        g.op("Transpose", "yt", List.of(y), ints("perm", 0, 2, 1, 3));
        g.op("Reshape", "out", List.of("yt", g.longs("shape", 0, 0, -1)));
        g.output("out", "T", "B", 8);
        SequenceModel m = g.assertMatchesOnnxRuntime(Map.of("x", g.randomInput(6, 2, 3)));
        assertEquals(MergeMode.CONCAT, ((LstmLayer) m.layers().get(0)).mergeMode());
        assertEquals(Port.Layout.TIME_MAJOR, m.outputPorts().get(0).layout());
    }

    /** Y_h [1, B, H] -> Unsqueeze -> Flatten(axis 1) -> [B, H]... through Squeeze/Unsqueeze pairs that cancel. */
    @Test
    void unsqueezeAndFlattenOfTheFinalState() {
        HandBuilt g = new HandBuilt("unsqueeze_flatten", 13, 3);
        g.input("x", "T", "B", 3);
        g.lstm("lstm", "x", 3, 5, "forward");
        g.op("Transpose", "ht", List.of("lstm_h"), ints("perm", 1, 0, 2));
        g.op("Unsqueeze", "hu", List.of("ht", g.longs("ax", 3)));
        g.op("Flatten", "out", List.of("hu"), HandBuilt.attr("axis", 1L));
        g.output("out", "B", 5);
        SequenceModel m = g.assertMatchesOnnxRuntime(Map.of("x", g.randomInput(4, 3, 3)));
        assertEquals(OutputMode.FINAL_STATE, ((LstmLayer) m.layers().get(0)).outputMode());
    }

    /** A Reshape that mixes the time and feature axes of Y is refused, naming the node. */
    @Test
    void reshapeThatMixesAxesIsRefused() {
        HandBuilt g = new HandBuilt("reshape_mix", 17, 4);
        g.input("x", 5, 2, 3);
        String y = g.lstm("lstm", "x", 3, 4, "forward");
        g.op("Reshape", "out", List.of(y, g.longs("shape", 2, 20)));
        g.output("out", 2, 20);
        g.refusal("out", "reshapes");
    }
}
