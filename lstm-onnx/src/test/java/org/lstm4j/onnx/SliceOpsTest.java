package org.lstm4j.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.lstm4j.onnx.HandBuilt.attr;
import static org.lstm4j.onnx.HandBuilt.ints;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.lstm4j.model.LstmLayer;
import org.lstm4j.model.MergeMode;
import org.lstm4j.model.OutputMode;
import org.lstm4j.model.SequenceModel;

/**
 * {@link SliceOps} on hand-built graphs: Slice with attributes (opset 9, Slice-1) and with inputs
 * (Slice-10), Gather of one step, Split of the direction axis (split as an attribute before opset
 * 13, as an input since). Expected values: ONNX Runtime running the same graph.
 */
class SliceOpsTest {

    /** y[:, -1] of a batch-major sequence by Slice: the last step, whichever Slice version writes it. */
    @ParameterizedTest(name = "opset {0}")
    @ValueSource(ints = {9, 10, 17})
    void sliceOfTheLastStepIsTheLastStepOutput(int opset) {
        HandBuilt g = new HandBuilt("slice_last_" + opset, opset, 10);
        g.input("x", "T", "B", 3);
        String y = g.lstm("lstm", "x", 3, 4, "forward");
        if (opset < 10) {
            g.op("Slice", "last", List.of(y), ints("starts", -1), ints("ends", Integer.MAX_VALUE), ints("axes", 0));
        } else {
            g.op("Slice", "last", List.of(y, g.longs("starts", -1), g.longs("ends", Long.MAX_VALUE), g.longs("axes", 0)));
        }
        g.op("Reshape", "out", List.of("last", g.longs("shape", -1, 4)));
        g.output("out", "B", 4);
        SequenceModel m = g.assertMatchesOnnxRuntime(Map.of("x", g.randomInput(5, 3, 3)));
        assertEquals(OutputMode.LAST_STEP, ((LstmLayer) m.layers().get(0)).outputMode());
    }

    /** Gather(index -1) on the time axis, then Squeeze of the direction axis. */
    @Test
    void gatherOfTheLastStep() {
        HandBuilt g = new HandBuilt("gather_last", 13, 11);
        g.input("x", "T", "B", 2);
        String y = g.lstm("lstm", "x", 2, 3, "forward");
        g.op("Gather", "last", List.of(y, g.scalar("minus1", -1)), attr("axis", 0L));
        g.op("Squeeze", "out", List.of("last", g.longs("ax", 0)));
        g.output("out", "B", 3);
        g.assertMatchesOnnxRuntime(Map.of("x", g.randomInput(4, 2, 2)));
    }

    /** Split of a bidirectional Y along the direction axis, each half squeezed, then added: Keras merge_mode='sum'. */
    @ParameterizedTest(name = "opset {0}")
    @ValueSource(ints = {11, 13, 18})
    void splitOfTheDirectionAxis(int opset) {
        HandBuilt g = new HandBuilt("split_dir_" + opset, opset, 12);
        g.input("x", "T", "B", 3);
        String y = g.lstm("lstm", "x", 3, 4, "bidirectional");
        if (opset < 13) {
            g.node("Split", List.of(y), List.of("fw", "bw"), attr("axis", 1L), ints("split", 1, 1));
        } else if (opset < 18) {
            g.node("Split", List.of(y, g.longs("parts", 1, 1)), List.of("fw", "bw"), attr("axis", 1L));
        } else {
            g.node("Split", List.of(y), List.of("fw", "bw"), attr("axis", 1L), attr("num_outputs", 2L));
        }
        String ax = g.longs("ax", 1);
        if (opset < 13) {
            g.op("Squeeze", "fws", List.of("fw"), ints("axes", 1));
            g.op("Squeeze", "bws", List.of("bw"), ints("axes", 1));
        } else {
            g.op("Squeeze", "fws", List.of("fw", ax));
            g.op("Squeeze", "bws", List.of("bw", ax));
        }
        g.op("Add", "out", List.of("fws", "bws"));
        g.output("out", "T", "B", 4);
        SequenceModel m = g.assertMatchesOnnxRuntime(Map.of("x", g.randomInput(5, 2, 3)));
        assertEquals(MergeMode.SUM, ((LstmLayer) m.layers().get(0)).mergeMode());
    }

    /** Steps 1:3 of a time axis whose size is known only at run time cannot be a layer's output: refused, naming the node. */
    @Test
    void aMiddleRangeOfARunTimeTimeAxisIsRefused() {
        HandBuilt g = new HandBuilt("slice_middle", 13, 13);
        g.input("x", "T", "B", 3);
        String y = g.lstm("lstm", "x", 3, 4, "forward");
        g.op("Slice", "mid", List.of(y, g.longs("starts", 1), g.longs("ends", 3), g.longs("axes", 0)));
        g.output("mid", 2, 1, "B", 4);
        g.refusal("mid", "slices steps 1:3:1 of an axis of run-time size", "only the whole axis, its first or its last step");
    }
}
