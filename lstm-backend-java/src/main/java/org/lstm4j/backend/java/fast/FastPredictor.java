package org.lstm4j.backend.java.fast;

import static org.lstm4j.weights.GateOrder.CELL_GATE;
import static org.lstm4j.weights.GateOrder.FORGET_GATE;
import static org.lstm4j.weights.GateOrder.INPUT_GATE;
import static org.lstm4j.weights.GateOrder.OUTPUT_GATE;
import static org.lstm4j.weights.GateOrder.PEEPHOLE_FORGET;
import static org.lstm4j.weights.GateOrder.PEEPHOLE_INPUT;
import static org.lstm4j.weights.GateOrder.PEEPHOLE_OUTPUT;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.lstm4j.model.Activation;
import org.lstm4j.model.ActivationLayer;
import org.lstm4j.model.DenseLayer;
import org.lstm4j.model.Direction;
import org.lstm4j.model.Layer;
import org.lstm4j.model.LstmLayer;
import org.lstm4j.model.MergeMode;
import org.lstm4j.model.OutputMode;
import org.lstm4j.model.SequenceModel;
import org.lstm4j.predict.AbstractPredictor;
import org.lstm4j.predict.LstmState;
import org.lstm4j.predict.ModelState;
import org.lstm4j.predict.NanPolicy;
import org.lstm4j.predict.Prediction;
import org.lstm4j.predict.PredictorOptions;
import org.lstm4j.predict.SequenceBatch;
import org.lstm4j.predict.StreamingPredictor;
import org.lstm4j.tensor.FloatTensor;
import org.lstm4j.tensor.TensorBuilder;
import org.lstm4j.weights.LstmWeights;

/**
 * The fast engine: float32, weights packed once per layer and direction into one fused
 * {@code [I + H][4H]} matrix (so a step is a single {@code [x_t, h_{t-1}] W} product over the whole
 * batch, see {@link Kernels#gemm}), the standard cell fused into one pass over the gates, and all
 * scratch space in a {@link Workspace}.
 *
 * <p>Thread-safe: the compiled layers are immutable and every {@link #predict} call uses its own
 * workspace. Streams ({@link #stream(int)}) hold their own state and workspace and are not.
 */
final class FastPredictor extends AbstractPredictor {

    private final Kernels kernels;
    private final Op[] ops;
    private final LstmOp[] lstms;
    private final boolean sequenceOutput;

    FastPredictor(SequenceModel model, PredictorOptions options, Kernels kernels) {
        super(FastJavaBackendProvider.NAME, model, options);
        this.kernels = kernels;
        List<Op> compiled = new ArrayList<>();
        List<LstmOp> lstmOps = new ArrayList<>();
        for (Layer layer : model.layers()) {
            if (layer instanceof LstmLayer l) {
                LstmOp op = new LstmOp(l, kernels.panelWidth(), lstmOps.size());
                lstmOps.add(op);
                compiled.add(op);
            } else if (layer instanceof DenseLayer d) {
                compiled.add(new DenseOp(d, kernels.panelWidth()));
            } else {
                compiled.add(new ActOp(((ActivationLayer) layer).activation(), layer.outputSize()));
            }
        }
        this.ops = compiled.toArray(new Op[0]);
        this.lstms = lstmOps.toArray(new LstmOp[0]);
        this.sequenceOutput = lstms[lstms.length - 1].layer.outputMode() == OutputMode.SEQUENCES;
    }

    /** Which kernels this predictor runs on ("vector 256-bit" or "scalar"). */
    String kernelDescription() {
        return kernels.description();
    }

    @Override
    protected Prediction run(SequenceBatch batch) {
        FloatTensor input = batch.input();
        int nb = input.dim(0);
        int nt = input.dim(1);
        Workspace ws = new Workspace();
        float[] x = ws.get(Workspace.INPUT, input.size());
        input.copyTo(x, 0);
        int[] lengths = batch.isRagged() ? batch.lengths() : null;
        float[][] h0 = new float[lstms.length][];
        float[][] c0 = new float[lstms.length][];
        TensorBuilder[] hn = new TensorBuilder[lstms.length];
        TensorBuilder[] cn = new TensorBuilder[lstms.length];
        float[][] hOut = new float[lstms.length][];
        float[][] cOut = new float[lstms.length][];
        for (int i = 0; i < lstms.length; i++) {
            LstmOp l = lstms[i];
            if (batch.hasInitialState()) {
                LstmState s = batch.initialState().layer(i);
                h0[i] = new float[s.hidden().size()];
                c0[i] = new float[s.cell().size()];
                s.hidden().copyTo(h0[i], 0);
                s.cell().copyTo(c0[i], 0);
            }
            hn[i] = new TensorBuilder(l.dirs, nb, l.hidden);
            cn[i] = new TensorBuilder(l.dirs, nb, l.hidden);
            hOut[i] = hn[i].values();
            cOut[i] = cn[i].values();
        }
        TensorBuilder out = outputBuilder(nb, nt);
        forward(x, nb, nt, lengths, h0, c0, hOut, cOut, out.values(), ws);
        List<LstmState> states = new ArrayList<>(lstms.length);
        for (int i = 0; i < lstms.length; i++) {
            states.add(new LstmState(hn[i].build(), cn[i].build()));
        }
        return new Prediction(out.build(), new ModelState(states));
    }

    TensorBuilder outputBuilder(int nb, int nt) {
        int width = ops[ops.length - 1].outWidth();
        return sequenceOutput ? new TensorBuilder(nb, nt, width) : new TensorBuilder(nb, width);
    }

    @Override
    public StreamingPredictor stream(int streams) {
        ensureOpen();
        return new FastStream(this, streams);
    }

    NanPolicy nanPolicy() {
        return options.nanPolicy();
    }

    int lstmCount() {
        return lstms.length;
    }

    int lstmStateSize(int layer, int streams) {
        return lstms[layer].dirs * streams * lstms[layer].hidden;
    }

    /**
     * The whole model over {@code x [nb][nt][inputSize]}.
     *
     * @param lengths per-sequence valid lengths, or null when every sequence fills the time axis
     * @param h0      per LSTM layer {@code [D][nb][H]}, or null entries for zeros; may be the same arrays as hn
     * @param hn      per LSTM layer, receives the final hidden state
     * @param out     receives the model's output, exactly its size
     */
    void forward(float[] x, int nb, int nt, int[] lengths, float[][] h0, float[][] c0, float[][] hn, float[][] cn,
            float[] out, Workspace ws) {
        float[] cur = x;
        int steps = nt;
        int[] lens = lengths;
        int next = Workspace.LAYER_A;
        for (int o = 0; o < ops.length; o++) {
            Op op = ops[o];
            int outSteps = op.outSteps(steps);
            float[] dst = o == ops.length - 1 ? out : ws.get(next, nb * outSteps * op.outWidth());
            if (op instanceof LstmOp l) {
                l.run(kernels, cur, nb, steps, lens, h0[l.index], c0[l.index], hn[l.index], cn[l.index], dst, ws);
            } else {
                op.run(kernels, cur, nb * steps, dst, ws);
            }
            if (outSteps != steps) {
                lens = null;  // a vector per sequence from here on: one valid step each
            }
            steps = outSteps;
            cur = dst;
            next = next == Workspace.LAYER_A ? Workspace.LAYER_B : Workspace.LAYER_A;
        }
    }

    /** A compiled layer. */
    private abstract static class Op {
        abstract int outWidth();

        int outSteps(int steps) {
            return steps;
        }

        /** Row-wise layers: {@code rows} rows of input to as many rows of output. */
        void run(Kernels k, float[] in, int rows, float[] out, Workspace ws) {
            throw new UnsupportedOperationException();
        }
    }

    private static final class LstmOp extends Op {
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

        void run(Kernels k, float[] x, int nb, int steps, int[] lengths, float[] h0, float[] c0, float[] hn, float[] cn,
                float[] out, Workspace ws) {
            OutputMode mode = layer.outputMode();
            boolean needY = mode != OutputMode.FINAL_STATE;
            boolean direct = dirs == 1 && mode == OutputMode.SEQUENCES && !layer.reversedOutputOrder();
            int ySize = nb * steps * hidden;
            for (int d = 0; d < dirs; d++) {
                float[] y = null;
                if (needY) {
                    y = direct ? out : ws.get(d == 0 ? Workspace.Y0 : Workspace.Y1, ySize);
                    if (lengths != null) {
                        Arrays.fill(y, 0, ySize, 0f);  // ONNX: outputs past a sequence's end are 0
                    }
                }
                runDirection(k, d, x, nb, steps, lengths, h0, c0, hn, cn, y, ws);
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
                        merge(hn, hn, b * hidden, out, b * width, nb * hidden);
                    }
                    break;
                default:  // LAST_STEP: y[:, T-1, :]
                    for (int b = 0; b < nb; b++) {
                        merge(y0, y1, (b * steps + steps - 1) * hidden, out, b * width);
                    }
            }
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

        private void runDirection(Kernels k, int d, float[] x, int nb, int steps, int[] lengths, float[] h0, float[] c0,
                float[] hn, float[] cn, float[] y, Workspace ws) {
            boolean backwards = layer.direction() == Direction.REVERSE || d == 1;
            PackedMatrix wd = w[d];
            float[] bd = bias[d];
            int kk = in + hidden;
            int np = wd.paddedCols();
            float[] xh = ws.get(Workspace.XH, nb * kk);
            float[] gates = ws.get(Workspace.GATES, nb * np);
            float[] c = ws.get(Workspace.CELL, nb * hidden);
            int maxLen = 0;
            for (int b = 0; b < nb; b++) {
                int s = (d * nb + b) * hidden;
                if (h0 == null) {
                    Arrays.fill(xh, b * kk + in, (b + 1) * kk, 0f);
                    Arrays.fill(c, b * hidden, (b + 1) * hidden, 0f);
                } else {
                    System.arraycopy(h0, s, xh, b * kk + in, hidden);
                    System.arraycopy(c0, s, c, b * hidden, hidden);
                }
                maxLen = Math.max(maxLen, lengths == null ? steps : lengths[b]);
            }
            for (int s = 0; s < maxLen; s++) {
                for (int b = 0; b < nb; b++) {
                    int len = lengths == null ? steps : lengths[b];
                    if (s < len) {
                        int t = backwards ? len - 1 - s : s;
                        System.arraycopy(x, (b * steps + t) * in, xh, b * kk, in);
                    }
                }
                k.gemm(xh, 0, kk, nb, wd, bd, gates, 0, np);
                for (int b = 0; b < nb; b++) {
                    int len = lengths == null ? steps : lengths[b];
                    if (s >= len) {
                        continue;  // this sequence has ended: its state stays as it was after its last step
                    }
                    if (standardCell) {
                        k.lstmCell(gates, b * np, hidden, c, b * hidden, xh, b * kk + in);
                    } else {
                        cell(peep[d], gates, b * np, c, b * hidden, xh, b * kk + in);
                    }
                    if (y != null) {
                        int t = backwards ? len - 1 - s : s;
                        System.arraycopy(xh, b * kk + in, y, (b * steps + t) * hidden, hidden);
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
                float i = apply(f, clip(iPre));
                float fg = coupled ? 1f - i : apply(f, clip(fPre));
                float z = apply(g, clip(zPre));
                float cNew = fg * cPrev + i * z;
                if (p != null) {
                    oPre += p[PEEPHOLE_OUTPUT * hs + j] * cNew;
                }
                float o = apply(f, clip(oPre));
                c[cOff + j] = cNew;
                hOut[hOff + j] = o * apply(h, cNew);
            }
        }

        /** ONNX's clip bounds each gate's pre-activation, as ONNX Runtime applies it. */
        private float clip(float v) {
            return clip ? Math.max(-clipAt, Math.min(clipAt, v)) : v;
        }
    }

    private static final class DenseOp extends Op {
        final int in;
        final int units;
        final PackedMatrix w;
        final float[] bias;
        final Activation activation;

        DenseOp(DenseLayer d, int panelWidth) {
            this.in = d.inputSize();
            this.units = d.outputSize();
            this.w = new PackedMatrix(d.weights().kernel(), in, units, panelWidth);  // kernel is already [in][units]
            this.bias = Arrays.copyOf(d.weights().bias(), w.paddedCols());
            this.activation = d.activation();
        }

        @Override
        int outWidth() {
            return units;
        }

        @Override
        void run(Kernels k, float[] x, int rows, float[] out, Workspace ws) {
            int np = w.paddedCols();
            float[] acc = ws.get(Workspace.DENSE, rows * np);
            k.gemm(x, 0, in, rows, w, bias, acc, 0, np);
            for (int r = 0; r < rows; r++) {
                System.arraycopy(acc, r * np, out, r * units, units);
                applyInPlace(activation, out, r * units, units);
            }
        }
    }

    private static final class ActOp extends Op {
        final Activation activation;
        final int width;

        ActOp(Activation activation, int width) {
            this.activation = activation;
            this.width = width;
        }

        @Override
        int outWidth() {
            return width;
        }

        @Override
        void run(Kernels k, float[] x, int rows, float[] out, Workspace ws) {
            System.arraycopy(x, 0, out, 0, rows * width);
            for (int r = 0; r < rows; r++) {
                applyInPlace(activation, out, r * width, width);
            }
        }
    }

    /** The activation in double, rounded once to float: these paths are not the hot standard cell. */
    private static float apply(Activation a, float v) {
        switch (a.kind()) {
            case SIGMOID: return ScalarKernels.sigmoid(v);
            case TANH: return ScalarKernels.tanh(v);
            case LINEAR: return v;
            default: return (float) a.apply(v);
        }
    }

    /** An activation over one row: elementwise, or softmax over the row. */
    private static void applyInPlace(Activation act, float[] v, int off, int n) {
        if (act.kind() == Activation.Kind.LINEAR) {
            return;
        }
        if (act.kind() == Activation.Kind.SOFTMAX) {
            double max = Double.NEGATIVE_INFINITY;
            for (int u = 0; u < n; u++) {
                max = Math.max(max, v[off + u]);
            }
            double total = 0;
            for (int u = 0; u < n; u++) {
                total += Math.exp(v[off + u] - max);
            }
            for (int u = 0; u < n; u++) {
                v[off + u] = (float) (Math.exp(v[off + u] - max) / total);
            }
            return;
        }
        for (int u = 0; u < n; u++) {
            v[off + u] = apply(act, v[off + u]);
        }
    }
}
