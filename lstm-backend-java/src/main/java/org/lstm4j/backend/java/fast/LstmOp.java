package org.lstm4j.backend.java.fast;

import static org.lstm4j.weights.GateOrder.CELL_GATE;
import static org.lstm4j.weights.GateOrder.FORGET_GATE;
import static org.lstm4j.weights.GateOrder.INPUT_GATE;
import static org.lstm4j.weights.GateOrder.OUTPUT_GATE;
import static org.lstm4j.weights.GateOrder.PEEPHOLE_FORGET;
import static org.lstm4j.weights.GateOrder.PEEPHOLE_INPUT;
import static org.lstm4j.weights.GateOrder.PEEPHOLE_OUTPUT;

import java.util.Arrays;
import org.lstm4j.model.Activation;
import org.lstm4j.model.Direction;
import org.lstm4j.model.LstmLayer;
import org.lstm4j.model.MaskedOutput;
import org.lstm4j.model.MergeMode;
import org.lstm4j.model.OutputMode;
import org.lstm4j.predict.StepMask;
import org.lstm4j.weights.LstmWeights;

/**
 * One LSTM layer of the fast engine: both directions, every option of the equations in
 * {@link LstmWeights}, and masks as {@link StepMask} writes them (a masked step keeps the row's state;
 * its output is zeros or the previous output, as the layer says).
 */
final class LstmOp extends Op {
    final LstmLayer layer;
    final int index;
    final int in;
    final int hidden;
    final int dirs;
    final int width;
    final PackedMatrix[] w;  // per direction: [I + H][4H], gates i, f, c, o
    final float[][] bias;    // per direction: Wb + Rb, padded to the packed width
    final float[][] peep;    // per direction: [3H] i, f, o, or null
    final boolean standardCell;
    final Activation f;
    final Activation g;
    final Activation h;
    final boolean clip;
    final float clipAt;

    LstmOp(LstmLayer l, int panelWidth, int index) {
        this.layer = l;
        this.index = index;
        this.in = l.inputSize();
        this.hidden = l.hiddenSize();
        this.dirs = l.directionCount();
        this.width = l.outputSize();
        this.w = new PackedMatrix[dirs];
        this.bias = new float[dirs][];
        this.peep = new float[dirs][];
        int gates = 4 * hidden;
        for (int d = 0; d < dirs; d++) {
            LstmWeights lw = l.weights().get(d);
            // Fuse W [4H][I] and R [4H][H] into one [I + H][4H] (transposed) so x_t and h_{t-1} share one product.
            float[] wk = lw.inputKernel();
            float[] rk = lw.recurrentKernel();
            float[] fused = new float[(in + hidden) * gates];
            for (int gate = 0; gate < gates; gate++) {
                for (int i = 0; i < in; i++) {
                    fused[i * gates + gate] = wk[gate * in + i];
                }
                for (int j = 0; j < hidden; j++) {
                    fused[(in + j) * gates + gate] = rk[gate * hidden + j];
                }
            }
            w[d] = new PackedMatrix(fused, in + hidden, gates, panelWidth);
            float[] wb = lw.inputBias();
            float[] rb = lw.recurrentBias();
            bias[d] = new float[w[d].paddedCols()];
            for (int k = 0; k < gates; k++) {
                // Summed in double and rounded once, as the reference engine's combined bias is.
                bias[d][k] = (float) ((double) wb[k] + (double) rb[k]);
            }
            peep[d] = lw.peepholes();
        }
        this.f = l.gateActivation();
        this.g = l.cellActivation();
        this.h = l.hiddenActivation();
        this.clip = l.hasCellClip();
        this.clipAt = l.cellClip();
        this.standardCell = !clip && !l.coupledInputForget() && peep[0] == null
                && f.kind() == Activation.Kind.SIGMOID && g.kind() == Activation.Kind.TANH && h.kind() == Activation.Kind.TANH;
    }

    @Override
    int outWidth() {
        return width;
    }

    @Override
    int outSteps(int steps) {
        return layer.outputMode() == OutputMode.SEQUENCES ? steps : 1;
    }

    /**
     * The layer over {@code x [nb][steps][in]}.
     *
     * @param valid   {@code [nb * steps]}, true for a valid step; null when every step is valid
     * @param carried whether a masked step before a row's first valid one repeats the initial h (a continued
     *                stream) rather than zeros
     */
    void run(Kernels k, float[] x, int nb, int steps, boolean[] valid, boolean carried, float[] h0, float[] c0, float[] hn,
             float[] cn, float[] out, Workspace ws) {
        OutputMode mode = layer.outputMode();
        boolean needY = mode != OutputMode.FINAL_STATE;
        boolean direct = dirs == 1 && mode == OutputMode.SEQUENCES && !layer.reversedOutputOrder();
        int ySize = nb * steps * hidden;
        for (int d = 0; d < dirs; d++) {
            float[] y = needY ? (direct ? out : ws.get(d == 0 ? Workspace.Y0 : Workspace.Y1, ySize)) : null;
            runDirection(k, d, x, nb, steps, valid, carried, h0, c0, hn, cn, y, ws);
        }
        if (direct) {
            return;
        }
        float[] y0 = needY ? ws.get(Workspace.Y0, ySize) : null;
        float[] y1 = needY && dirs == 2 ? ws.get(Workspace.Y1, ySize) : null;
        switch (mode) {
            case SEQUENCES:
                for (int b = 0; b < nb; b++) {
                    for (int t = 0; t < steps; t++) {
                        // Keras go_backwards returns the outputs in processing order over the whole time axis.
                        int src = layer.reversedOutputOrder() ? steps - 1 - t : t;
                        merge(y0, y1, (b * steps + src) * hidden, out, (b * steps + t) * width);
                    }
                }
                break;
            case FINAL_STATE:
                for (int b = 0; b < nb; b++) {
                    if (carried || valid == null || anyValid(valid, b, steps)) {
                        merge(hn, hn, b * hidden, out, b * width, nb * hidden);
                    } else {
                        Arrays.fill(out, b * width, (b + 1) * width, 0f);  // no valid step: Keras's last output is zeros
                    }
                }
                break;
            default:  // LAST_STEP: y[:, T-1, :]
                for (int b = 0; b < nb; b++) {
                    merge(y0, y1, (b * steps + steps - 1) * hidden, out, b * width);
                }
        }
    }

    private static boolean anyValid(boolean[] valid, int b, int steps) {
        for (int t = 0; t < steps; t++) {
            if (valid[b * steps + t]) {
                return true;
            }
        }
        return false;
    }

    private void merge(float[] y0, float[] y1, int src, float[] out, int dst) {
        merge(y0, y1, src, out, dst, 0);
    }

    /** Merges the forward vector at {@code a[src]} with the backward one at {@code b[src + bShift]}. */
    private void merge(float[] a, float[] b, int src, float[] out, int dst, int bShift) {
        if (dirs == 1) {
            System.arraycopy(a, src, out, dst, hidden);
            return;
        }
        int s2 = src + bShift;
        MergeMode m = layer.mergeMode();
        switch (m) {
            case CONCAT:
                System.arraycopy(a, src, out, dst, hidden);
                System.arraycopy(b, s2, out, dst + hidden, hidden);
                break;
            case SUM:
                for (int j = 0; j < hidden; j++) {
                    out[dst + j] = a[src + j] + b[s2 + j];
                }
                break;
            case MUL:
                for (int j = 0; j < hidden; j++) {
                    out[dst + j] = a[src + j] * b[s2 + j];
                }
                break;
            default:
                for (int j = 0; j < hidden; j++) {
                    out[dst + j] = (a[src + j] + b[s2 + j]) / 2f;
                }
        }
    }

    private void runDirection(Kernels k, int d, float[] x, int nb, int steps, boolean[] valid, boolean carried, float[] h0, float[] c0,
                              float[] hn, float[] cn, float[] y, Workspace ws) {
        boolean backwards = layer.direction() == Direction.REVERSE || d == 1;
        boolean holdPrevious = layer.maskedOutput() == MaskedOutput.PREVIOUS;
        PackedMatrix wd = w[d];
        float[] bd = bias[d];
        int kk = in + hidden;
        int np = wd.paddedCols();
        float[] xh = ws.get(Workspace.XH, nb * kk);
        float[] gates = ws.get(Workspace.GATES, nb * np);
        float[] c = ws.get(Workspace.CELL, nb * hidden);
        // Whether a row has had a valid step: before that, a repeated previous output is zeros (or the carried h).
        boolean[] seen = valid == null ? null : new boolean[nb];
        for (int b = 0; b < nb; b++) {
            int s = (d * nb + b) * hidden;
            if (h0 == null) {
                Arrays.fill(xh, b * kk + in, (b + 1) * kk, 0f);
                Arrays.fill(c, b * hidden, (b + 1) * hidden, 0f);
            } else {
                System.arraycopy(h0, s, xh, b * kk + in, hidden);
                System.arraycopy(c0, s, c, b * hidden, hidden);
            }
        }
        for (int s = 0; s < steps; s++) {
            int t = backwards ? steps - 1 - s : s;
            for (int b = 0; b < nb; b++) {
                System.arraycopy(x, (b * steps + t) * in, xh, b * kk, in);
            }
            k.gemm(xh, 0, kk, nb, wd, bd, gates, 0, np);
            for (int b = 0; b < nb; b++) {
                int yAt = (b * steps + t) * hidden;
                if (valid != null && !valid[b * steps + t]) {
                    // A masked step: the row's state stays as it was (its gates, computed with the others', are unused).
                    if (y != null) {
                        if (holdPrevious && (seen[b] || carried)) {
                            System.arraycopy(xh, b * kk + in, y, yAt, hidden);
                        } else {
                            Arrays.fill(y, yAt, yAt + hidden, 0f);
                        }
                    }
                    continue;
                }
                if (standardCell) {
                    k.lstmCell(gates, b * np, hidden, c, b * hidden, xh, b * kk + in);
                } else {
                    cell(peep[d], gates, b * np, c, b * hidden, xh, b * kk + in);
                }
                if (seen != null) {
                    seen[b] = true;
                }
                if (y != null) {
                    System.arraycopy(xh, b * kk + in, y, yAt, hidden);
                }
            }
        }
        for (int b = 0; b < nb; b++) {
            int s = (d * nb + b) * hidden;
            System.arraycopy(xh, b * kk + in, hn, s, hidden);
            System.arraycopy(c, b * hidden, cn, s, hidden);
        }
    }

    /** Every option of the equations in {@link LstmWeights}: activations, clip, peepholes, coupling. */
    private void cell(float[] p, float[] gates, int gOff, float[] c, int cOff, float[] hOut, int hOff) {
        int hs = hidden;
        boolean coupled = layer.coupledInputForget();
        for (int j = 0; j < hs; j++) {
            float cPrev = c[cOff + j];
            float iPre = gates[gOff + INPUT_GATE * hs + j];
            float fPre = gates[gOff + FORGET_GATE * hs + j];
            float zPre = gates[gOff + CELL_GATE * hs + j];
            float oPre = gates[gOff + OUTPUT_GATE * hs + j];
            if (p != null) {
                iPre += p[PEEPHOLE_INPUT * hs + j] * cPrev;
                fPre += p[PEEPHOLE_FORGET * hs + j] * cPrev;
            }
            float i = FastPredictor.apply(f, clip(iPre));
            float fg = coupled ? 1f - i : FastPredictor.apply(f, clip(fPre));
            float z = FastPredictor.apply(g, clip(zPre));
            float cNew = fg * cPrev + i * z;
            if (p != null) {
                oPre += p[PEEPHOLE_OUTPUT * hs + j] * cNew;
            }
            float o = FastPredictor.apply(f, clip(oPre));
            c[cOff + j] = cNew;
            hOut[hOff + j] = o * FastPredictor.apply(h, cNew);
        }
    }

    /** ONNX's clip bounds each gate's pre-activation, as ONNX Runtime applies it. */
    private float clip(float v) {
        return clip ? Math.max(-clipAt, Math.min(clipAt, v)) : v;
    }
}
