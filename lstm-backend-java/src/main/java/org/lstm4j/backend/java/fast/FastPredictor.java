package org.lstm4j.backend.java.fast;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.lstm4j.model.Activation;
import org.lstm4j.model.ActivationLayer;
import org.lstm4j.model.DenseLayer;
import org.lstm4j.model.EmbeddingLayer;
import org.lstm4j.model.Layer;
import org.lstm4j.model.LstmLayer;
import org.lstm4j.model.OutputMode;
import org.lstm4j.model.SequenceModel;
import org.lstm4j.predict.AbstractPredictor;
import org.lstm4j.predict.LstmState;
import org.lstm4j.predict.ModelState;
import org.lstm4j.predict.NanPolicy;
import org.lstm4j.predict.Prediction;
import org.lstm4j.predict.PredictorOptions;
import org.lstm4j.predict.SequenceBatch;
import org.lstm4j.predict.StepMask;
import org.lstm4j.predict.StreamingPredictor;
import org.lstm4j.tensor.FloatTensor;
import org.lstm4j.tensor.IntTensor;
import org.lstm4j.tensor.TensorBuilder;

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
    private final EmbeddingLayer embedding;
    private final Op[] ops;
    private final LstmOp[] lstms;
    private final boolean sequenceOutput;

    FastPredictor(SequenceModel model, PredictorOptions options, Kernels kernels) {
        super(FastJavaBackendProvider.NAME, model, options, FastJavaBackendProvider.CAPABILITIES);
        this.kernels = kernels;
        this.embedding = model.embedding().orElse(null);
        List<Op> compiled = new ArrayList<>();
        List<LstmOp> lstmOps = new ArrayList<>();
        for (Layer layer : model.layers()) {
            if (layer instanceof LstmLayer l) {
                LstmOp op = new LstmOp(l, kernels.panelWidth(), lstmOps.size());
                lstmOps.add(op);
                compiled.add(op);
            } else if (layer instanceof DenseLayer d) {
                compiled.add(new DenseOp(d, kernels.panelWidth()));
            } else if (layer instanceof ActivationLayer a) {
                compiled.add(new ActOp(a.activation(), layer.outputSize()));
            }
            // An embedding is looked up before the ops run (embed); a masking layer passes its input on (its mask is resolved once).
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
        int nb = batch.batchSize();
        int nt = batch.timeSteps();
        Workspace ws = new Workspace();
        float[] x = batch.hasTokens() ? embed(batch.tokens(), ws) : input(batch.input(), ws);
        boolean[] valid = valid(batch.mask());
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
        forward(x, nb, nt, valid, batch.continuesStreams(), h0, c0, hOut, cOut, out.values(), ws);
        List<LstmState> states = new ArrayList<>(lstms.length);
        for (int i = 0; i < lstms.length; i++) {
            states.add(new LstmState(hn[i].build(), cn[i].build()));
        }
        return new Prediction(out.build(), new ModelState(states));
    }

    /** The features of a batch in the workspace's input buffer. */
    static float[] input(FloatTensor input, Workspace ws) {
        float[] x = ws.get(Workspace.INPUT, input.size());
        input.copyTo(x, 0);
        return x;
    }

    /** Each id's embedding row in the workspace's input buffer, {@code [ids][dimension]}; the ids are checked already. */
    float[] embed(IntTensor ids, Workspace ws) {
        int dim = embedding.outputSize();
        float[] x = ws.get(Workspace.INPUT, ids.size() * dim);
        for (int k = 0; k < ids.size(); k++) {
            embedding.weights().copyRow(ids.get(k), x, k * dim);
        }
        return x;
    }

    /** A mask as one flag per step, {@code [batch * time]}; null for none. */
    static boolean[] valid(StepMask mask) {
        if (mask == null) {
            return null;
        }
        int t = mask.timeSteps();
        boolean[] v = new boolean[mask.batchSize() * t];
        for (int k = 0; k < v.length; k++) {
            v[k] = mask.isValid(k / t, k % t);
        }
        return v;
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
     * The whole model over {@code x [nb][nt][features]} (features after the embedding, for a model over token ids).
     *
     * @param valid   {@code [nb * nt]}, true for a valid step; null when every step is valid
     * @param carried whether the batch continues streams ({@link SequenceBatch#continuesStreams()})
     * @param h0      per LSTM layer {@code [D][nb][H]}, or null entries for zeros; may be the same arrays as hn
     * @param hn      per LSTM layer, receives the final hidden state
     * @param out     receives the model's output, exactly its size
     */
    void forward(float[] x, int nb, int nt, boolean[] valid, boolean carried, float[][] h0, float[][] c0, float[][] hn, float[][] cn,
            float[] out, Workspace ws) {
        float[] cur = x;
        int steps = nt;
        boolean[] mask = valid;
        int next = Workspace.LAYER_A;
        for (int o = 0; o < ops.length; o++) {
            Op op = ops[o];
            int outSteps = op.outSteps(steps);
            float[] dst = o == ops.length - 1 ? out : ws.get(next, nb * outSteps * op.outWidth());
            if (op instanceof LstmOp l) {
                l.run(kernels, cur, nb, steps, mask, carried, h0[l.index], c0[l.index], hn[l.index], cn[l.index], dst, ws);
            } else {
                op.run(kernels, cur, nb * steps, dst, ws);
            }
            if (outSteps != steps) {
                mask = null;  // a vector per sequence from here on: no mask
            }
            steps = outSteps;
            cur = dst;
            next = next == Workspace.LAYER_A ? Workspace.LAYER_B : Workspace.LAYER_A;
        }
    }

    /** A compiled layer. */
    static final class DenseOp extends Op {
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

    static final class ActOp extends Op {
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
    static float apply(Activation a, float v) {
        switch (a.kind()) {
            case SIGMOID: return ScalarKernels.sigmoid(v);
            case TANH: return ScalarKernels.tanh(v);
            case LINEAR: return v;
            default: return (float) a.apply(v);
        }
    }

    /** An activation over one row: elementwise, or softmax and log-softmax over the row (in double, as heads are small). */
    private static void applyInPlace(Activation act, float[] v, int off, int n) {
        if (act.kind() == Activation.Kind.LINEAR) {
            return;
        }
        if (!act.kind().isElementwise()) {
            double[] row = new double[n];
            for (int u = 0; u < n; u++) {
                row[u] = v[off + u];
            }
            act.applyInPlace(row);
            for (int u = 0; u < n; u++) {
                v[off + u] = (float) row[u];
            }
            return;
        }
        for (int u = 0; u < n; u++) {
            v[off + u] = apply(act, v[off + u]);
        }
    }
}
