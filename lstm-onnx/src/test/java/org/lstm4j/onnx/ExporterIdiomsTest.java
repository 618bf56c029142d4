package org.lstm4j.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lstm4j.onnx.HandBuilt.attr;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.lstm4j.model.DenseLayer;
import org.lstm4j.model.Direction;
import org.lstm4j.model.LstmLayer;
import org.lstm4j.model.OutputMode;
import org.lstm4j.model.Port;
import org.lstm4j.model.SequenceModel;
import org.lstm4j.onnx.proto.OnnxProto.AttributeProto;
import org.lstm4j.onnx.proto.OnnxProto.TensorProto;

/**
 * The exporter idioms on hand-built graphs that rebuild each exporter's form node by node:
 * {@link KerasGoBackwards} (ReverseSequence over whole sequences, Slice with step -1),
 * {@link PyTorchPackedSequences} (TopK, Gather by the permutation, ScatterElements for its inverse),
 * {@link Tf2OnnxTimeDistributed} (per-step MatMul/Add stacked by Concat). Expected values: ONNX
 * Runtime running the same graph.
 */
class ExporterIdiomsTest {

    /** x reversed over whole sequences by ReverseSequence (lengths = T for every row, built at run time), then a forward LSTM. */
    @Test
    void kerasGoBackwardsAsReverseSequence() {
        HandBuilt g = new HandBuilt("go_backwards_rs", 17, 70);
        g.input("x", "B", "T", 3);
        g.op("Transpose", "xt", List.of("x"), HandBuilt.ints("perm", 1, 0, 2));
        g.op("Shape", "xshape", List.of("x"));
        g.op("Slice", "time", List.of("xshape", g.longs("s1", 1), g.longs("e2", 2)));
        g.op("Slice", "batch", List.of("xshape", g.longs("s0", 0), g.longs("e1", 1)));
        g.op("Expand", "lens", List.of("time", "batch"));
        g.op("ReverseSequence", "xr", List.of("xt", "lens"), attr("batch_axis", 1L), attr("time_axis", 0L));
        String y = g.lstm("lstm", "xr", 3, 4, "forward");
        g.op("Squeeze", "ys", List.of(y, g.longs("ax", 1)));
        g.op("Transpose", "out", List.of("ys"), HandBuilt.ints("perm", 1, 0, 2));
        g.output("out", "B", "T", 4);
        SequenceModel m = g.assertMatchesOnnxRuntime(Map.of("x", g.randomInput(2, 5, 3)));
        LstmLayer l = (LstmLayer) m.layers().get(0);
        assertEquals(Direction.REVERSE, l.direction());
        assertTrue(l.reversedOutputOrder());
    }

    /** The same reversal as a Slice with step -1, and the last processed step (position 0) read: the final state. */
    @Test
    void kerasGoBackwardsAsNegativeStepSlice() {
        HandBuilt g = new HandBuilt("go_backwards_slice", 17, 71);
        g.input("x", "T", "B", 3);
        g.op("Slice", "xr", List.of("x", g.longs("s", -1), g.longs("e", Long.MIN_VALUE), g.longs("a", 0), g.longs("st", -1)));
        String y = g.lstm("lstm", "xr", 3, 4, "forward");
        g.op("Gather", "last", List.of(y, g.scalar("minus1", -1)), attr("axis", 0L));
        g.op("Squeeze", "out", List.of("last", g.longs("ax", 0)));
        g.output("out", "B", 4);
        SequenceModel m = g.assertMatchesOnnxRuntime(Map.of("x", g.randomInput(5, 2, 3)));
        assertEquals(Direction.REVERSE, ((LstmLayer) m.layers().get(0)).direction());
    }

    /** PyTorch's pack_padded_sequence(enforce_sorted=False) / pad_packed_sequence, node by node. */
    @Test
    void pytorchPackedSequencesSortedAndRestored() {
        HandBuilt g = new HandBuilt("packed", 17, 72);
        g.input("x", "T", "B", 3);
        g.intInput("lens", "B");
        g.op("Cast", "lens64", List.of("lens"), attr("to", (long) HandBuilt.INT64));
        g.op("Shape", "count", List.of("lens64"));
        g.node("TopK", List.of("lens64", "count"), List.of("sorted", "perm"), attr("axis", 0L));
        g.op("Gather", "xs", List.of("x", "perm"), attr("axis", 1L));
        g.op("Cast", "sorted32", List.of("sorted"), attr("to", (long) HandBuilt.INT32));
        String y = g.lstm("lstm", "xs", 3, 4, "forward", List.of("sorted32"));
        TensorProto zero = TensorProto.newBuilder().setDataType(HandBuilt.INT64).addDims(1).addInt64Data(0).build();
        g.op("ConstantOfShape", "zeros", List.of("count"),
                AttributeProto.newBuilder().setName("value").setType(AttributeProto.AttributeType.TENSOR).setT(zero).build());
        g.op("Gather", "n", List.of("count", g.scalar("first", 0)), attr("axis", 0L));
        g.op("Range", "iota", List.of(g.scalar("r0", 0), "n", g.scalar("r1", 1)));
        g.op("ScatterElements", "inverse", List.of("zeros", "perm", "iota"), attr("axis", 0L));
        g.op("Gather", "yo", List.of(y, "inverse"), attr("axis", 2L));
        g.op("Squeeze", "out", List.of("yo", g.longs("ax", 1)));
        g.op("Gather", "hn", List.of("lstm_h", "inverse"), attr("axis", 1L));
        g.output("out", "T", "B", 4);
        g.output("hn", 1, "B", 4);
        SequenceModel m = g.assertMatchesOnnxRuntime(Map.of("x", g.randomInput(5, 3, 3), "lens", new int[] {3, 5, 1}));
        assertEquals(Port.Role.SEQUENCE_LENGTHS, m.ports().get(1).role());
    }

    /** nn.LSTM given explicit zero states over a packed batch sorts them too: a Gather of zeros by the permutation is zeros. */
    @Test
    void pytorchPackedSequencesWithExplicitZeroStates() {
        HandBuilt g = new HandBuilt("packed_zero_h0", 17, 76);
        g.input("x", "T", "B", 3);
        g.intInput("lens", "B");
        g.op("Cast", "lens64", List.of("lens"), attr("to", (long) HandBuilt.INT64));
        g.op("Shape", "count", List.of("lens64"));
        g.node("TopK", List.of("lens64", "count"), List.of("sorted", "perm"), attr("axis", 0L));
        g.op("Gather", "xs", List.of("x", "perm"), attr("axis", 1L));
        g.op("Concat", "state_shape", List.of(g.longs("dirs", 1), "count", g.longs("hidden", 4)), attr("axis", 0L));
        g.op("ConstantOfShape", "zeros_h", List.of("state_shape"));
        g.op("Gather", "h0", List.of("zeros_h", "perm"), attr("axis", 1L));
        g.op("Cast", "sorted32", List.of("sorted"), attr("to", (long) HandBuilt.INT32));
        g.lstm("lstm", "xs", 3, 4, "forward", List.of("sorted32", "h0", "h0"));
        TensorProto zero = TensorProto.newBuilder().setDataType(HandBuilt.INT64).addDims(1).addInt64Data(0).build();
        g.op("ConstantOfShape", "zeros", List.of("count"),
                AttributeProto.newBuilder().setName("value").setType(AttributeProto.AttributeType.TENSOR).setT(zero).build());
        g.op("Gather", "n", List.of("count", g.scalar("first", 0)), attr("axis", 0L));
        g.op("Range", "iota", List.of(g.scalar("r0", 0), "n", g.scalar("r1", 1)));
        g.op("ScatterElements", "inverse", List.of("zeros", "perm", "iota"), attr("axis", 0L));
        g.op("Gather", "hn", List.of("lstm_h", "inverse"), attr("axis", 1L));
        g.op("Squeeze", "out", List.of("hn", g.longs("ax", 0)));
        g.output("out", "B", 4);
        SequenceModel m = g.assertMatchesOnnxRuntime(Map.of("x", g.randomInput(5, 3, 3), "lens", new int[] {2, 5, 4}));
        assertEquals(OutputMode.FINAL_STATE, ((LstmLayer) m.layers().get(0)).outputMode());
    }

    /** A packed batch never restored to the input order is refused, naming what is still sorted. */
    @Test
    void pytorchPackedSequencesLeftSortedAreRefused() {
        HandBuilt g = new HandBuilt("packed_unrestored", 17, 73);
        g.input("x", "T", "B", 3);
        g.intInput("lens", "B");
        g.op("Cast", "lens64", List.of("lens"), attr("to", (long) HandBuilt.INT64));
        g.op("Shape", "count", List.of("lens64"));
        g.node("TopK", List.of("lens64", "count"), List.of("sorted", "perm"), attr("axis", 0L));
        g.op("Gather", "xs", List.of("x", "perm"), attr("axis", 1L));
        String y = g.lstm("lstm", "xs", 3, 4, "forward", List.of("sorted"));
        g.op("Squeeze", "out", List.of(y, g.longs("ax", 1)));
        g.output("out", "T", "B", 4);
        OnnxImportException e = org.junit.jupiter.api.Assertions.assertThrows(OnnxImportException.class, g::importModel);
        assertTrue(e.getMessage().contains("still sorted by the lengths in 'lens'"), e.getMessage());
    }

    /** tf2onnx's TimeDistributed(Dense) over 3 known steps: Gather, MatMul and Add per step, Unsqueeze, Concat. */
    @Test
    void tf2onnxUnrolledTimeDistributed() {
        HandBuilt g = new HandBuilt("time_distributed", 17, 74);
        g.input("x", "B", 3, 2);
        g.op("Transpose", "xt", List.of("x"), HandBuilt.ints("perm", 1, 0, 2));
        String y = g.lstm("lstm", "xt", 2, 4, "forward");
        g.op("Squeeze", "ys", List.of(y, g.longs("ax1", 1)));
        g.op("Transpose", "yb", List.of("ys"), HandBuilt.ints("perm", 1, 0, 2));
        String kernel = g.random("kernel", 0.5f, 4, 2);
        String bias = g.random("bias", 0.5f, 2);
        String axis = g.longs("ax_step", 1);
        for (int t = 0; t < 3; t++) {
            g.op("Gather", "step" + t, List.of("yb", g.scalar("t" + t, t)), attr("axis", 1L));
            g.op("MatMul", "mm" + t, List.of("step" + t, kernel));
            g.op("Add", "d" + t, List.of("mm" + t, bias));
            g.op("Unsqueeze", "u" + t, List.of("d" + t, axis));
        }
        g.op("Concat", "out", List.of("u0", "u1", "u2"), attr("axis", 1L));
        g.output("out", "B", 3, 2);
        SequenceModel m = g.assertMatchesOnnxRuntime(Map.of("x", g.randomInput(2, 3, 2)));
        assertEquals(OutputMode.SEQUENCES, ((LstmLayer) m.layers().get(0)).outputMode());
        assertEquals(2, m.layers().size());
        assertEquals(DenseLayer.class, m.layers().get(1).getClass());
    }

    /** One step of the unrolled form read alone (not the last) is refused, naming the step. */
    @Test
    void tf2onnxPerStepDenseOnAMiddleStepAloneIsRefused() {
        HandBuilt g = new HandBuilt("one_middle_step", 17, 75);
        g.input("x", 3, "B", 2);
        String y = g.lstm("lstm", "x", 2, 4, "forward");
        g.op("Gather", "step1", List.of(y, g.scalar("t1", 1)), attr("axis", 0L));
        g.op("Squeeze", "s1", List.of("step1", g.longs("ax", 0)));
        g.op("MatMul", "out", List.of("s1", g.random("kernel", 0.5f, 4, 2)));
        g.output("out", "B", 2);
        OnnxImportException e = org.junit.jupiter.api.Assertions.assertThrows(OnnxImportException.class, g::importModel);
        assertTrue(e.getMessage().contains("applied to time step 1 of 3 only"), e.getMessage());
    }

    /**
     * Keras's last-k-steps Lambda then TimeDistributed(Dense), as tf2onnx unrolls it over a known time
     * axis: only steps 3 and 4 of 5 get a MatMul/Add, stacked by Concat. lstm4j has no "last k steps"
     * output, so the Concat is refused, saying which steps it stacks and what to change.
     */
    @Test
    void tf2onnxTimeDistributedOverTheLastStepsIsRefusedNamingTheSteps() {
        HandBuilt g = new HandBuilt("last_k_time_distributed", 17, 76);
        g.input("x", "B", 5, 2);
        g.op("Transpose", "xt", List.of("x"), HandBuilt.ints("perm", 1, 0, 2));
        String y = g.lstm("lstm", "xt", 2, 4, "forward");
        g.op("Squeeze", "ys", List.of(y, g.longs("ax1", 1)));
        g.op("Transpose", "yb", List.of("ys"), HandBuilt.ints("perm", 1, 0, 2));
        String kernel = g.random("kernel", 0.5f, 4, 2);
        String bias = g.random("bias", 0.5f, 2);
        String axis = g.longs("ax_step", 1);
        for (int t = 3; t < 5; t++) {
            g.op("Gather", "step" + t, List.of("yb", g.scalar("t" + t, t)), attr("axis", 1L));
            g.op("MatMul", "mm" + t, List.of("step" + t, kernel));
            g.op("Add", "d" + t, List.of("mm" + t, bias));
            g.op("Unsqueeze", "u" + t, List.of("d" + t, axis));
        }
        g.op("Concat", "out", List.of("u3", "u4"), attr("axis", 1L));
        g.output("out", "B", 2, 2);
        g.refusal("out", "stacks 2 per-step dense outputs (steps [3, 4]) of a sequence of 5 steps", "slice of the time axis",
                "lstm predict --raw");
    }
}
