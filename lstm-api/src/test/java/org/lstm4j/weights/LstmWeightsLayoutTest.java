package org.lstm4j.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The converters against each framework's documented layout. Every weight is encoded as
 * {@code 1000 * gate + 100 * unit + column} (gate 1..4 = i, f, c, o in the framework's own
 * naming), written into the framework's array exactly as its documentation lays it out, so
 * that any misplaced block, transpose or order shows up as a wrong digit.
 */
class LstmWeightsLayoutTest {

    private static final int I = 3;
    private static final int H = 2;
    private static final int GI = 1;
    private static final int GF = 2;
    private static final int GC = 3;
    private static final int GO = 4;

    private static float code(int gate, int unit, int col) {
        return 1000 * gate + 100 * unit + col;
    }

    /** Canonical W: rows gate-major in order i, f, c, o; [4H][cols]. */
    private static float[] canonical(int cols) {
        int[] order = {GI, GF, GC, GO};
        float[] w = new float[4 * H * cols];
        for (int g = 0; g < 4; g++) {
            for (int u = 0; u < H; u++) {
                for (int c = 0; c < cols; c++) {
                    w[(g * H + u) * cols + c] = code(order[g], u, c);
                }
            }
        }
        return w;
    }

    @Test
    void theNamedGateOffsetsAreTheCanonicalOrder() {
        assertEquals(GateOrder.CANONICAL.blockOf(Gate.INPUT), GateOrder.INPUT_GATE);
        assertEquals(GateOrder.CANONICAL.blockOf(Gate.FORGET), GateOrder.FORGET_GATE);
        assertEquals(GateOrder.CANONICAL.blockOf(Gate.CELL), GateOrder.CELL_GATE);
        assertEquals(GateOrder.CANONICAL.blockOf(Gate.OUTPUT), GateOrder.OUTPUT_GATE);
        // canonical weights of gate k start at row k*H: the digit of the gate in the code
        float[] w = canonical(I);
        assertEquals(code(GC, 0, 0), w[GateOrder.CELL_GATE * H * I]);
        assertEquals(code(GO, 1, 2), w[(GateOrder.OUTPUT_GATE * H + 1) * I + 2]);
        // peepholes i, f, o (the class comment of LstmWeights)
        assertEquals(List.of(0, 1, 2), List.of(GateOrder.PEEPHOLE_INPUT, GateOrder.PEEPHOLE_FORGET, GateOrder.PEEPHOLE_OUTPUT));
    }

    @Test
    void kerasKernelColumnsAreGatesInOrderIFCO() {
        // keras/src/layers/rnn/lstm.py: kernel has shape (input_dim, 4 * units); the cell splits
        // z = x @ kernel into z0..z3 = i, f, c, o along the last axis.
        float[] kernel = new float[I * 4 * H];
        float[] recurrent = new float[H * 4 * H];
        float[] bias = new float[4 * H];
        int[] order = {GI, GF, GC, GO};
        for (int g = 0; g < 4; g++) {
            for (int u = 0; u < H; u++) {
                for (int row = 0; row < I; row++) {
                    kernel[row * 4 * H + g * H + u] = code(order[g], u, row);
                }
                for (int row = 0; row < H; row++) {
                    recurrent[row * 4 * H + g * H + u] = code(order[g], u, row);
                }
                bias[g * H + u] = code(order[g], u, 0);
            }
        }
        LstmWeights w = LstmWeights.fromKeras(I, H, kernel, recurrent, bias);
        assertArrayEquals(canonical(I), w.inputKernel());
        assertArrayEquals(canonical(H), w.recurrentKernel());
        assertArrayEquals(canonical(1), w.inputBias());
        assertArrayEquals(new float[4 * H], w.recurrentBias());
        LstmWeights.KerasLstm back = w.toKeras();
        assertArrayEquals(kernel, back.kernel());
        assertArrayEquals(recurrent, back.recurrentKernel());
        assertArrayEquals(bias, back.bias());
    }

    @Test
    void pyTorchRowsAreGatesInOrderIFGO() {
        // torch.nn.LSTM docs: weight_ih_l[k] is (W_ii|W_if|W_ig|W_io), shape (4*hidden_size, input_size);
        // bias_ih_l[k] is (b_ii|b_if|b_ig|b_io), and likewise for _hh.
        float[] ih = canonical(I);
        float[] hh = canonical(H);
        float[] bih = canonical(1);
        float[] bhh = new float[4 * H];
        for (int k = 0; k < bhh.length; k++) {
            bhh[k] = -bih[k];
        }
        LstmWeights w = LstmWeights.fromPyTorch(I, H, ih, hh, bih, bhh);
        assertArrayEquals(ih, w.inputKernel());
        assertArrayEquals(bhh, w.recurrentBias());
        LstmWeights.PyTorchLstm back = w.toPyTorch();
        assertArrayEquals(ih, back.weightIh());
        assertArrayEquals(hh, back.weightHh());
        assertArrayEquals(bih, back.biasIh());
        assertArrayEquals(bhh, back.biasHh());
    }

    @Test
    void onnxBlocksAreInOrderIOFCWithBiasWbThenRbAndPeepholesIOF() {
        // ONNX LSTM operator: W is W[iofc] [4H, I]; R is R[iofc]; B is [Wb[iofc], Rb[iofc]] (8H); P is P[iof] (3H).
        int[] onnxOrder = {GI, GO, GF, GC};
        float[] w = new float[4 * H * I];
        float[] r = new float[4 * H * H];
        float[] b = new float[8 * H];
        for (int g = 0; g < 4; g++) {
            for (int u = 0; u < H; u++) {
                for (int c = 0; c < I; c++) {
                    w[(g * H + u) * I + c] = code(onnxOrder[g], u, c);
                }
                for (int c = 0; c < H; c++) {
                    r[(g * H + u) * H + c] = code(onnxOrder[g], u, c);
                }
                b[g * H + u] = code(onnxOrder[g], u, 0);
                b[4 * H + g * H + u] = -code(onnxOrder[g], u, 0);
            }
        }
        float[] p = new float[3 * H];
        int[] peepOrder = {GI, GO, GF};
        for (int g = 0; g < 3; g++) {
            for (int u = 0; u < H; u++) {
                p[g * H + u] = code(peepOrder[g], u, 9);
            }
        }
        LstmWeights weights = LstmWeights.fromOnnx(I, H, w, r, b, p);
        assertArrayEquals(canonical(I), weights.inputKernel());
        assertArrayEquals(canonical(H), weights.recurrentKernel());
        assertArrayEquals(canonical(1), weights.inputBias());
        float[] negated = canonical(1);
        for (int k = 0; k < negated.length; k++) {
            negated[k] = -negated[k];
        }
        assertArrayEquals(negated, weights.recurrentBias());
        // canonical peepholes are i, f, o
        assertArrayEquals(new float[] {code(GI, 0, 9), code(GI, 1, 9), code(GF, 0, 9), code(GF, 1, 9), code(GO, 0, 9), code(GO, 1, 9)},
                weights.peepholes());
        LstmWeights.OnnxLstm back = weights.toOnnx();
        assertArrayEquals(w, back.w());
        assertArrayEquals(r, back.r());
        assertArrayEquals(b, back.b());
        assertArrayEquals(p, back.p());
    }

    @Test
    void kerasHasOneBiasSoExportSumsBoth() {
        LstmWeights w = LstmWeights.of(1, 1, new float[4], new float[4], new float[] {1, 2, 3, 4}, new float[] {10, 20, 30, 40}, null);
        assertArrayEquals(new float[] {11, 22, 33, 44}, w.toKeras().bias());
        assertArrayEquals(new float[] {11, 22, 33, 44}, w.combinedBias());
    }

    @Test
    void wrongSizesNameTheArrayAndTheCounts() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LstmWeights.fromKeras(3, 2, new float[23], new float[16], null));
        assertTrue(e.getMessage().contains("Keras kernel") && e.getMessage().contains("24") && e.getMessage().contains("23"), e.getMessage());
    }

    @Test
    void denseFromPyTorchTransposesTheWeight() {
        // torch.nn.Linear: weight has shape (out_features, in_features), y = x W^T + b.
        DenseWeights d = DenseWeights.fromPyTorch(3, 2, new float[] {1, 2, 3, 4, 5, 6}, new float[] {7, 8});
        assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, d.kernel());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, d.toPyTorchWeight());
        assertEquals(8, d.parameterCount());
    }
}
