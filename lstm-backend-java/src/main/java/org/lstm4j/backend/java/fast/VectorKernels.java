package org.lstm4j.backend.java.fast;

import static org.lstm4j.weights.GateOrder.CELL_GATE;
import static org.lstm4j.weights.GateOrder.FORGET_GATE;
import static org.lstm4j.weights.GateOrder.INPUT_GATE;
import static org.lstm4j.weights.GateOrder.OUTPUT_GATE;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Kernels on the JDK Vector API (jdk.incubator.vector). Only loaded, reflectively, when the JVM
 * resolved that module ({@code --add-modules jdk.incubator.vector}); see {@link Kernels#best()}.
 *
 * <p>The matrix multiply keeps a 4 x 3-vector block of C in 12 registers over the whole depth of a
 * packed panel (3 vector loads and 4 broadcasts per 12 FMAs), the classic register-blocked sgemm
 * micro-kernel; a panel (depth x 24 floats on AVX2) stays in L2 while every row block of A passes.
 * Sigmoid and tanh use the API's EXP and TANH (HotSpot's SVML stubs).
 */
final class VectorKernels implements Kernels {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final int WIDTH = 3 * L;

    @Override
    public int panelWidth() {
        return WIDTH;
    }

    @Override
    public String description() {
        return "vector " + S.vectorBitSize() + "-bit";
    }

    @Override
    public void gemm(float[] a, int aOff, int lda, int m, PackedMatrix w, float[] c, int cOff, int ldc) {
        gemm(a, aOff, lda, m, w, null, c, cOff, ldc);
    }

    @Override
    public void gemm(float[] a, int aOff, int lda, int m, PackedMatrix w, float[] bias, float[] c, int cOff, int ldc) {
        final int k = w.rows;
        final float[] wd = w.data;
        for (int p = 0; p < w.panels; p++) {
            final int panel = p * k * WIDTH;
            final int col = cOff + p * WIDTH;
            // With a bias the accumulators start from it (C's old values are ignored): no per-row copy of the bias.
            final float[] init = bias == null ? c : bias;
            final int bcol = p * WIDTH;
            int i = 0;
            for (; i + 4 <= m; i += 4) {
                int c0 = col + i * ldc;
                block4(a, aOff + i * lda, lda, k, wd, panel, c, c0, ldc, init, bias == null ? c0 : bcol, bias == null ? ldc : 0);
            }
            for (; i < m; i++) {
                int c0 = col + i * ldc;
                block1(a, aOff + i * lda, k, wd, panel, c, c0, init, bias == null ? c0 : bcol);
            }
        }
    }

    private static void block4(float[] a, int a0, int lda, int k, float[] wd, int panel, float[] c, int c0, int ldc,
            float[] init, int i0, int ildc) {
        int c1 = c0 + ldc;
        int c2 = c1 + ldc;
        int c3 = c2 + ldc;
        int i1 = i0 + ildc;
        int i2 = i1 + ildc;
        int i3 = i2 + ildc;
        FloatVector r00 = FloatVector.fromArray(S, init, i0);
        FloatVector r01 = FloatVector.fromArray(S, init, i0 + L);
        FloatVector r02 = FloatVector.fromArray(S, init, i0 + 2 * L);
        FloatVector r10 = FloatVector.fromArray(S, init, i1);
        FloatVector r11 = FloatVector.fromArray(S, init, i1 + L);
        FloatVector r12 = FloatVector.fromArray(S, init, i1 + 2 * L);
        FloatVector r20 = FloatVector.fromArray(S, init, i2);
        FloatVector r21 = FloatVector.fromArray(S, init, i2 + L);
        FloatVector r22 = FloatVector.fromArray(S, init, i2 + 2 * L);
        FloatVector r30 = FloatVector.fromArray(S, init, i3);
        FloatVector r31 = FloatVector.fromArray(S, init, i3 + L);
        FloatVector r32 = FloatVector.fromArray(S, init, i3 + 2 * L);
        int a1 = a0 + lda;
        int a2 = a1 + lda;
        int a3 = a2 + lda;
        for (int kk = 0; kk < k; kk++) {
            int wi = panel + kk * WIDTH;
            FloatVector w0 = FloatVector.fromArray(S, wd, wi);
            FloatVector w1 = FloatVector.fromArray(S, wd, wi + L);
            FloatVector w2 = FloatVector.fromArray(S, wd, wi + 2 * L);
            FloatVector x = FloatVector.broadcast(S, a[a0 + kk]);
            r00 = w0.fma(x, r00);
            r01 = w1.fma(x, r01);
            r02 = w2.fma(x, r02);
            x = FloatVector.broadcast(S, a[a1 + kk]);
            r10 = w0.fma(x, r10);
            r11 = w1.fma(x, r11);
            r12 = w2.fma(x, r12);
            x = FloatVector.broadcast(S, a[a2 + kk]);
            r20 = w0.fma(x, r20);
            r21 = w1.fma(x, r21);
            r22 = w2.fma(x, r22);
            x = FloatVector.broadcast(S, a[a3 + kk]);
            r30 = w0.fma(x, r30);
            r31 = w1.fma(x, r31);
            r32 = w2.fma(x, r32);
        }
        r00.intoArray(c, c0);
        r01.intoArray(c, c0 + L);
        r02.intoArray(c, c0 + 2 * L);
        r10.intoArray(c, c1);
        r11.intoArray(c, c1 + L);
        r12.intoArray(c, c1 + 2 * L);
        r20.intoArray(c, c2);
        r21.intoArray(c, c2 + L);
        r22.intoArray(c, c2 + 2 * L);
        r30.intoArray(c, c3);
        r31.intoArray(c, c3 + L);
        r32.intoArray(c, c3 + 2 * L);
    }

    /** One row: the depth is split in two halves of independent accumulators to hide FMA latency. */
    private static void block1(float[] a, int a0, int k, float[] wd, int panel, float[] c, int c0, float[] init, int i0) {
        FloatVector r0 = FloatVector.fromArray(S, init, i0);
        FloatVector r1 = FloatVector.fromArray(S, init, i0 + L);
        FloatVector r2 = FloatVector.fromArray(S, init, i0 + 2 * L);
        FloatVector s0 = FloatVector.zero(S);
        FloatVector s1 = FloatVector.zero(S);
        FloatVector s2 = FloatVector.zero(S);
        int kk = 0;
        for (; kk + 2 <= k; kk += 2) {
            int wi = panel + kk * WIDTH;
            FloatVector x = FloatVector.broadcast(S, a[a0 + kk]);
            r0 = FloatVector.fromArray(S, wd, wi).fma(x, r0);
            r1 = FloatVector.fromArray(S, wd, wi + L).fma(x, r1);
            r2 = FloatVector.fromArray(S, wd, wi + 2 * L).fma(x, r2);
            FloatVector y = FloatVector.broadcast(S, a[a0 + kk + 1]);
            s0 = FloatVector.fromArray(S, wd, wi + WIDTH).fma(y, s0);
            s1 = FloatVector.fromArray(S, wd, wi + WIDTH + L).fma(y, s1);
            s2 = FloatVector.fromArray(S, wd, wi + WIDTH + 2 * L).fma(y, s2);
        }
        if (kk < k) {
            int wi = panel + kk * WIDTH;
            FloatVector x = FloatVector.broadcast(S, a[a0 + kk]);
            r0 = FloatVector.fromArray(S, wd, wi).fma(x, r0);
            r1 = FloatVector.fromArray(S, wd, wi + L).fma(x, r1);
            r2 = FloatVector.fromArray(S, wd, wi + 2 * L).fma(x, r2);
        }
        r0.add(s0).intoArray(c, c0);
        r1.add(s1).intoArray(c, c0 + L);
        r2.add(s2).intoArray(c, c0 + 2 * L);
    }

    @Override
    public void lstmCell(float[] g, int gOff, int hidden, float[] cell, int cOff, float[] h, int hOff) {
        int j = 0;
        int bound = S.loopBound(hidden);
        for (; j < bound; j += L) {
            FloatVector i = sigmoid(FloatVector.fromArray(S, g, gOff + INPUT_GATE * hidden + j));
            FloatVector f = sigmoid(FloatVector.fromArray(S, g, gOff + FORGET_GATE * hidden + j));
            FloatVector z = tanh(FloatVector.fromArray(S, g, gOff + CELL_GATE * hidden + j));
            FloatVector o = sigmoid(FloatVector.fromArray(S, g, gOff + OUTPUT_GATE * hidden + j));
            FloatVector cNew = f.mul(FloatVector.fromArray(S, cell, cOff + j)).add(i.mul(z));
            cNew.intoArray(cell, cOff + j);
            o.mul(tanh(cNew)).intoArray(h, hOff + j);
        }
        for (; j < hidden; j++) {
            float i = ScalarKernels.sigmoid(g[gOff + INPUT_GATE * hidden + j]);
            float f = ScalarKernels.sigmoid(g[gOff + FORGET_GATE * hidden + j]);
            float z = ScalarKernels.tanh(g[gOff + CELL_GATE * hidden + j]);
            float o = ScalarKernels.sigmoid(g[gOff + OUTPUT_GATE * hidden + j]);
            float cNew = f * cell[cOff + j] + i * z;
            cell[cOff + j] = cNew;
            h[hOff + j] = o * ScalarKernels.tanh(cNew);
        }
    }

    private static FloatVector sigmoid(FloatVector x) {
        return FloatVector.broadcast(S, 1f).div(x.neg().lanewise(VectorOperators.EXP).add(1f));
    }

    /**
     * The API's TANH and EXP, which HotSpot 17 backs with its SVML stubs (libjsvml): measured faster here
     * than an inlined polynomial exp built from API operations, which C2 does not compile as tightly.
     */
    private static FloatVector tanh(FloatVector x) {
        return x.lanewise(VectorOperators.TANH);
    }
}
