package org.lstm4j.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.lstm4j.onnx.HandBuilt.attr;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.lstm4j.model.LstmLayer;
import org.lstm4j.model.MergeMode;
import org.lstm4j.model.OutputMode;
import org.lstm4j.model.SequenceModel;

/**
 * {@link ConcatOps} and {@link DirectionMerges} on hand-built graphs: the two halves of a
 * bidirectional output put back by Concat, Add, Mul or Add-and-halve, constants concatenated
 * into a shape. Expected values: ONNX Runtime running the same graph.
 */
class ConcatAndDirectionMergesTest {

    /** PyTorch's torch.cat((h_n[-2], h_n[-1]), dim=1): both directions of Y_h side by side. */
    @Test
    void concatOfTheTwoFinalStateHalvesIsTheConcatMergedFinalState() {
        HandBuilt g = new HandBuilt("cat_hn", 17, 20);
        g.input("x", "T", "B", 3);
        g.lstm("lstm", "x", 3, 4, "bidirectional");
        g.op("Gather", "fw", List.of("lstm_h", g.scalar("zero", 0)), attr("axis", 0L));
        g.op("Gather", "bw", List.of("lstm_h", g.scalar("one", 1)), attr("axis", 0L));
        g.op("Concat", "out", List.of("fw", "bw"), attr("axis", 1L));
        g.output("out", "B", 8);
        SequenceModel m = g.assertMatchesOnnxRuntime(Map.of("x", g.randomInput(5, 2, 3)));
        LstmLayer l = (LstmLayer) m.layers().get(0);
        assertEquals(OutputMode.FINAL_STATE, l.outputMode());
        assertEquals(MergeMode.CONCAT, l.mergeMode());
    }

    /** Keras merge modes written elementwise on the two halves of Y (sum, mul, and ave as a sum times or over a constant). */
    @ParameterizedTest(name = "{0} then {1} {2}")
    @CsvSource({"Add,,0,SUM", "Mul,,0,MUL", "Add,Mul,0.5,AVE", "Add,Div,2,AVE"})
    void elementwiseMergesOfTheTwoHalves(String merge, String scaleOp, float scale, MergeMode expected) {
        HandBuilt g = new HandBuilt("merge_" + merge + scaleOp, 17, 21);
        g.input("x", "T", "B", 3);
        String y = g.lstm("lstm", "x", 3, 4, "bidirectional");
        g.op("Gather", "fw", List.of(y, g.scalar("zero", 0)), attr("axis", 1L));
        g.op("Gather", "bw", List.of(y, g.scalar("one", 1)), attr("axis", 1L));
        String merged = g.op(merge, scaleOp == null ? "out" : "merged", List.of("fw", "bw"));
        if (scaleOp != null) {
            g.op(scaleOp, "out", List.of(merged, g.floats("scale", new int[0], scale)));
        }
        g.output("out", "T", "B", 4);
        SequenceModel m = g.assertMatchesOnnxRuntime(Map.of("x", g.randomInput(5, 2, 3)));
        assertEquals(expected, ((LstmLayer) m.layers().get(0)).mergeMode());
    }

    /** Constants concatenated into a shape are folded (Concat of [0, 0] and [-1] for a Reshape). */
    @Test
    void concatOfConstantsIsFolded() {
        HandBuilt g = new HandBuilt("cat_const", 17, 22);
        g.input("x", "T", "B", 3);
        String y = g.lstm("lstm", "x", 3, 4, "bidirectional");
        g.op("Transpose", "yt", List.of(y), HandBuilt.ints("perm", 0, 2, 1, 3));
        g.op("Concat", "shape", List.of(g.longs("tb", 0, 0), g.longs("rest", -1)), attr("axis", 0L));
        g.op("Reshape", "out", List.of("yt", "shape"));
        g.output("out", "T", "B", 8);
        g.assertMatchesOnnxRuntime(Map.of("x", g.randomInput(3, 2, 3)));
    }

    /** Concatenating the LSTM output with the graph input is no layer lstm4j has: refused, naming the node. */
    @Test
    void concatOfUnrelatedTensorsIsRefused() {
        HandBuilt g = new HandBuilt("cat_unrelated", 17, 23);
        g.input("x", "T", "B", 3);
        String y = g.lstm("lstm", "x", 3, 4, "forward");
        g.op("Squeeze", "ys", List.of(y, g.longs("ax", 1)));
        g.op("Concat", "out", List.of("ys", "x"), attr("axis", 2L));
        g.output("out", "T", "B", 7);
        g.refusal("out", "concatenates values it cannot relate to the model");
    }
}
