package org.lstm4j.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.lstm4j.onnx.HandBuilt.attr;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.lstm4j.model.DenseLayer;
import org.lstm4j.model.SequenceModel;
import org.lstm4j.onnx.proto.OnnxProto.AttributeProto;
import org.lstm4j.onnx.proto.OnnxProto.TensorProto;

/**
 * {@link ConstantOps} and {@link ShapeOps} on hand-built graphs: zero initial states built at run
 * time from the input's shape (PyTorch's and tf2onnx's forms), a bias computed from constants
 * (Constant, Cast, Where, Neg, Max, Range), a Reshape whose shape is the product of run-time sizes,
 * pass-throughs. Expected values: ONNX Runtime running the same graph.
 */
class ConstantAndShapeOpsTest {

    private static AttributeProto floatValue(float v) {
        TensorProto t = TensorProto.newBuilder().setDataType(HandBuilt.FLOAT).addDims(1).addFloatData(v).build();
        return AttributeProto.newBuilder().setName("value").setType(AttributeProto.AttributeType.TENSOR).setT(t).build();
    }

    /** h0 = ConstantOfShape([1, B, H]) and c0 = Expand(0, [1, B, H]), B taken from Shape(x) at run time. */
    @Test
    void zeroInitialStatesBuiltFromTheInputShape() {
        HandBuilt g = new HandBuilt("zero_states", 17, 50);
        g.input("x", "T", "B", 3);
        g.op("Shape", "xshape", List.of("x"));
        g.op("Gather", "batch", List.of("xshape", g.scalar("one", 1)), attr("axis", 0L));
        g.op("Unsqueeze", "batch1", List.of("batch", g.longs("ax0", 0)));
        g.op("Concat", "state_shape", List.of(g.longs("dirs", 1), "batch1", g.longs("hidden", 4)), attr("axis", 0L));
        g.op("ConstantOfShape", "h0", List.of("state_shape"), floatValue(0f));
        g.op("Expand", "c0", List.of(g.floats("zero", new int[] {1}, 0f), "state_shape"));
        String y = g.lstm("lstm", "x", 3, 4, "forward", List.of("", "h0", "c0"));
        g.op("Squeeze", "out", List.of(y, g.longs("ax1", 1)));
        g.output("out", "T", "B", 4);
        SequenceModel m = g.assertMatchesOnnxRuntime(Map.of("x", g.randomInput(4, 3, 3)));
        assertEquals(2, m.ports().size(), "zero states are no ports: " + m.ports());
    }

    /** A bias folded from constants: Where(Less(a, 0), Neg(a), Max(a, 0.25)) + Cast(Range(0, 2, 1)). */
    @Test
    void biasFoldedFromConstants() {
        HandBuilt g = new HandBuilt("folded_bias", 17, 51);
        g.input("x", "T", "B", 3);
        g.lstm("lstm", "x", 3, 4, "forward");
        g.op("Squeeze", "h", List.of("lstm_h", g.longs("ax", 0)));
        String a = g.floats("a", new int[] {2}, -0.5f, 0.125f);
        g.op("Less", "neg_mask", List.of(a, g.floats("zero", new int[0], 0f)));
        g.op("Neg", "minus_a", List.of(a));
        g.op("Max", "at_least", List.of(a, g.floats("quarter", new int[0], 0.25f)));
        g.op("Where", "picked", List.of("neg_mask", "minus_a", "at_least"));
        g.op("Range", "iota", List.of(g.scalar("r0", 0), g.scalar("r2", 2), g.scalar("r1", 1)));
        g.op("Cast", "iotaf", List.of("iota"), attr("to", (long) HandBuilt.FLOAT));
        g.op("Add", "bias", List.of("picked", "iotaf"));
        g.op("Identity", "bias_id", List.of("bias"));
        g.op("MatMul", "mm", List.of("h", g.random("kernel", 0.5f, 4, 2)));
        g.op("Add", "out", List.of("mm", "bias_id"));
        g.output("out", "B", 2);
        SequenceModel m = g.assertMatchesOnnxRuntime(Map.of("x", g.randomInput(3, 2, 3)));
        float[] bias = ((DenseLayer) m.layers().get(1)).weights().bias();
        assertEquals(0.5f, bias[0]);
        assertEquals(1.25f, bias[1]);
    }

    /** Reshape to [ReduceProd(Shape(y)[0:2]), H], then back: the batch and time product kept symbolic. */
    @Test
    void reshapeByTheProductOfRunTimeSizes() {
        HandBuilt g = new HandBuilt("reduce_prod", 17, 52);
        g.input("x", "T", "B", 3);
        String y = g.lstm("lstm", "x", 3, 4, "forward");
        g.op("Squeeze", "ys", List.of(y, g.longs("ax", 1)));
        g.op("Shape", "yshape", List.of("ys"));
        g.op("Slice", "tb", List.of("yshape", g.longs("s0", 0), g.longs("s2", 2)));
        g.op("ReduceProd", "rows", List.of("tb"), attr("keepdims", 1L));
        g.op("Concat", "flat_shape", List.of("rows", g.longs("h", 4)), attr("axis", 0L));
        g.op("Reshape", "flat", List.of("ys", "flat_shape"));
        g.op("MatMul", "mm", List.of("flat", g.random("kernel", 0.5f, 4, 2)));
        g.op("Concat", "back_shape", List.of("tb", g.longs("u", 2)), attr("axis", 0L));
        g.op("Reshape", "out", List.of("mm", "back_shape"));
        g.output("out", "T", "B", 2);
        g.assertMatchesOnnxRuntime(Map.of("x", g.randomInput(3, 2, 3)));
    }

    /** Dropout at inference is its input; its mask as a graph output has no counterpart and is refused. */
    @Test
    void dropoutPassesItsInputButNotItsMask() {
        HandBuilt g = new HandBuilt("dropout", 17, 53);
        g.input("x", "T", "B", 3);
        String y = g.lstm("lstm", "x", 3, 4, "forward");
        g.node("Dropout", List.of(y), List.of("dropped", "mask"));
        g.op("Squeeze", "out", List.of("dropped", g.longs("ax", 1)));
        g.output("out", "T", "B", 4);
        g.assertMatchesOnnxRuntime(Map.of("x", g.randomInput(3, 2, 3)));
        g.g.output("mask", HandBuilt.INT32);
        g.refusal("dropped", "its mask output is a graph output");
    }

    /** Network data cast to an integer type is refused, naming the node. */
    @Test
    void castOfNetworkDataToIntegersIsRefused() {
        HandBuilt g = new HandBuilt("cast_int", 17, 54);
        g.input("x", "T", "B", 3);
        String y = g.lstm("lstm", "x", 3, 4, "forward");
        g.op("Cast", "yi", List.of(y), attr("to", (long) HandBuilt.INT64));
        g.op("Cast", "out", List.of("yi"), attr("to", (long) HandBuilt.FLOAT));
        g.output("out", "T", 1, "B", 4);
        g.refusal("yi", "casts network data to int64");
    }
}
