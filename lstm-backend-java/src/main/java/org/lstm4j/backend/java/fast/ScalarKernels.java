package org.lstm4j.backend.java.fast;

import static org.lstm4j.weights.GateOrder.CELL_GATE;
import static org.lstm4j.weights.GateOrder.FORGET_GATE;
import static org.lstm4j.weights.GateOrder.INPUT_GATE;
import static org.lstm4j.weights.GateOrder.OUTPUT_GATE;

/**
 * Plain-Java kernels for JVMs without the Vector API. The same panel layout and register blocking
 * (4 rows of C at a time) as the vector kernels; the innermost loop over a panel's columns is a
 * simple counted loop that HotSpot's C2 compiles to SIMD on its own.
 */
final class ScalarKernels implements Kernels {

    static final ScalarKernels INSTANCE = new ScalarKernels();
    private static final int WIDTH = 16;

    private ScalarKernels() {
    }

    @Override
    public int panelWidth() {
        return WIDTH;
    }

    @Override
    public String description() {
        return "scalar";
    }

    @Override
    public void gemm(float[] a, int aOff, int lda, int m, PackedMatrix w, float[] c, int cOff, int ldc) {
        final int k = w.rows;
        final float[] wd = w.data;
        for (int p = 0; p < w.panels; p++) {
            int panel = p * k * WIDTH;
            int col = p * WIDTH;
            for (int i = 0; i < m; i++) {
                int ci = cOff + i * ldc + col;
                int ai = aOff + i * lda;
                for (int kk = 0; kk < k; kk++) {
                    float x = a[ai + kk];
                    int wi = panel + kk * WIDTH;
                    for (int j = 0; j < WIDTH; j++) {
                        c[ci + j] += x * wd[wi + j];
                    }
                }
            }
        }
    }

    @Override
    public void gemm(float[] a, int aOff, int lda, int m, PackedMatrix w, float[] bias, float[] c, int cOff, int ldc) {
        int np = w.paddedCols();
        for (int i = 0; i < m; i++) {
            System.arraycopy(bias, 0, c, cOff + i * ldc, np);
        }
        gemm(a, aOff, lda, m, w, c, cOff, ldc);
    }

    @Override
    public void lstmCell(float[] g, int gOff, int hidden, float[] cell, int cOff, float[] h, int hOff) {
        for (int j = 0; j < hidden; j++) {
            float i = sigmoid(g[gOff + INPUT_GATE * hidden + j]);
            float f = sigmoid(g[gOff + FORGET_GATE * hidden + j]);
            float z = tanh(g[gOff + CELL_GATE * hidden + j]);
            float o = sigmoid(g[gOff + OUTPUT_GATE * hidden + j]);
            float cNew = f * cell[cOff + j] + i * z;
            cell[cOff + j] = cNew;
            h[hOff + j] = o * tanh(cNew);
        }
    }

    static float sigmoid(float x) {
        return (float) (1.0 / (1.0 + Math.exp(-(double) x)));
    }

    /**
     * tanh through the intrinsic {@link Math#exp} (much faster than {@link Math#tanh} on HotSpot),
     * in double so that {@code 1 - e} near zero keeps float precision.
     */
    static float tanh(float x) {
        double e = Math.exp(-2.0 * Math.abs((double) x));
        double t = (1.0 - e) / (1.0 + e);
        return (float) (x < 0 ? -t : t);
    }
}
