package org.lstm4j.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.lstm4j.onnx.HandBuilt.attr;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.lstm4j.model.DenseLayer;
import org.lstm4j.model.SequenceModel;

/**
 * {@link DenseOps} and {@link ArithmeticOps} on hand-built graphs: MatMul plus a bias Add on every
 * step, Gemm with transB, alpha and beta on the last step, tf2onnx's Tensordot (Reshape to
 * [B*T, H], MatMul, Reshape back), and elementwise no-ops. Expected values: ONNX Runtime running
 * the same graph.
 */
class DenseAndArithmeticOpsTest {

    /** [T, B, H] MatMul [H, U] + b: a dense layer on every step with its bias. */
    @Test
    void matMulAndAddOnEveryStep() {
        HandBuilt g = new HandBuilt("matmul_add", 17, 30);
        g.input("x", "T", "B", 3);
        String y = g.lstm("lstm", "x", 3, 4, "forward");
        g.op("Squeeze", "ys", List.of(y, g.longs("ax", 1)));
        g.op("MatMul", "mm", List.of("ys", g.random("kernel", 0.5f, 4, 2)));
        g.op("Add", "out", List.of("mm", g.random("bias", 0.5f, 2)));
        g.output("out", "T", "B", 2);
        SequenceModel m = g.assertMatchesOnnxRuntime(Map.of("x", g.randomInput(5, 3, 3)));
        assertInstanceOf(DenseLayer.class, m.layers().get(1));
    }

    /** Gemm(h_n, B^T) * alpha + C * beta: the kernel and bias scaled into the dense layer. */
    @Test
    void gemmWithTransposedKernelAlphaAndBeta() {
        HandBuilt g = new HandBuilt("gemm", 17, 31);
        g.input("x", "T", "B", 3);
        g.lstm("lstm", "x", 3, 4, "forward");
        g.op("Squeeze", "h", List.of("lstm_h", g.longs("ax", 0)));
        g.op("Gemm", "out", List.of("h", g.random("kernel", 0.5f, 2, 4), g.random("bias", 0.5f, 2)),
                attr("transB", 1L), attr("alpha", 0.7f), attr("beta", 1.5f));
        g.output("out", "B", 2);
        g.assertMatchesOnnxRuntime(Map.of("x", g.randomInput(4, 3, 3)));
    }

    /** tf2onnx's Tensordot: [B, T, H] reshaped to [B*T, H], multiplied, reshaped back with the run-time [B, T]. */
    @Test
    void tensordotFlatteningBatchAndTime() {
        HandBuilt g = new HandBuilt("tensordot", 17, 32);
        g.input("x", "B", "T", 3);
        g.op("Transpose", "xt", List.of("x"), HandBuilt.ints("perm", 1, 0, 2));
        String y = g.lstm("lstm", "xt", 3, 4, "forward");
        g.op("Squeeze", "ys", List.of(y, g.longs("ax", 1)));
        g.op("Transpose", "yb", List.of("ys"), HandBuilt.ints("perm", 1, 0, 2));
        g.op("Reshape", "flat", List.of("yb", g.longs("flat_shape", -1, 4)));
        g.op("MatMul", "mm", List.of("flat", g.random("kernel", 0.5f, 4, 2)));
        g.op("Shape", "yshape", List.of("yb"));
        g.op("Slice", "bt", List.of("yshape", g.longs("s0", 0), g.longs("s2", 2)));
        g.op("Concat", "back_shape", List.of("bt", g.longs("units", 2)), attr("axis", 0L));
        g.op("Reshape", "back", List.of("mm", "back_shape"));
        g.op("Add", "out", List.of("back", g.random("bias", 0.5f, 2)));
        g.output("out", "B", "T", 2);
        g.assertMatchesOnnxRuntime(Map.of("x", g.randomInput(3, 4, 3)));
    }

    /** Adding 0, subtracting 0, multiplying or dividing by 1 change nothing and map to no layer. */
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"Add,0", "Sub,0", "Mul,1", "Div,1"})
    void elementwiseNoOpsMapToNothing(String op, float value) {
        HandBuilt g = new HandBuilt("noop_" + op, 17, 33);
        g.input("x", "T", "B", 3);
        String y = g.lstm("lstm", "x", 3, 4, "forward");
        g.op(op, "same", List.of(y, g.floats("c", new int[] {1}, value)));
        g.op("Squeeze", "out", List.of("same", g.longs("ax", 1)));
        g.output("out", "T", "B", 4);
        SequenceModel m = g.assertMatchesOnnxRuntime(Map.of("x", g.randomInput(3, 2, 3)));
        assertEquals(1, m.layers().size());
    }

    /** A constant added to an LSTM output (no MatMul before it) belongs to no layer: refused, naming the node. */
    @Test
    void aConstantAddedToAnLstmOutputIsRefused() {
        HandBuilt g = new HandBuilt("add_after_lstm", 17, 34);
        g.input("x", "T", "B", 3);
        String y = g.lstm("lstm", "x", 3, 4, "forward");
        g.op("Add", "out", List.of(y, g.random("c", 0.5f, 4)));
        g.output("out", "T", 1, "B", 4);
        g.refusal("out", "is not part of any layer lstm4j maps");
    }

    /** MatMul of two network tensors is no dense layer: refused, naming the node. */
    @Test
    void matMulOfTwoNetworkTensorsIsRefused() {
        HandBuilt g = new HandBuilt("matmul_two", 17, 35);
        g.input("x", "T", "B", 3);
        String y = g.lstm("lstm", "x", 3, 4, "forward");
        g.op("MatMul", "out", List.of(y, "x"));
        g.output("out", "T", 1, "B", 3);
        g.refusal("out", "a dense layer multiplies the network's output by a constant kernel");
    }
}
