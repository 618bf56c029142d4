package org.lstm4j.backend.nd4j;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.point;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.lstm4j.backend.UnsupportedModelException;
import org.lstm4j.model.Activation;
import org.lstm4j.model.ActivationLayer;
import org.lstm4j.model.DenseLayer;
import org.lstm4j.model.Direction;
import org.lstm4j.model.EmbeddingLayer;
import org.lstm4j.model.Layer;
import org.lstm4j.model.LstmLayer;
import org.lstm4j.model.MaskingLayer;
import org.lstm4j.model.OutputMode;
import org.lstm4j.model.SequenceModel;
import org.lstm4j.predict.AbstractPredictor;
import org.lstm4j.predict.LstmState;
import org.lstm4j.predict.ModelState;
import org.lstm4j.predict.Prediction;
import org.lstm4j.predict.PredictorOptions;
import org.lstm4j.predict.SequenceBatch;
import org.lstm4j.predict.StreamingPredictor;
import org.lstm4j.tensor.FloatTensor;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.memory.enums.SpillPolicy;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.custom.ReverseSequence;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Runs a model on ND4J. Weights are translated once, here; each call allocates its arrays in a
 * per-thread workspace that is reset when the call ends, and results are copied out to
 * {@link FloatTensor}s before it is. Streams ({@link Nd4jStream}) own their arrays and op contexts,
 * so that a streaming step allocates no ND4J object; closing the predictor closes them.
 *
 * <p>Thread-safe: a call only reads the weights, and every array it writes is its own (ND4J's
 * workspaces are per thread). The 8-thread test checks this against serial results.
 */
final class Nd4jPredictor extends AbstractPredictor {

    /** Predictor property: {@code auto} (fused lstmLayer where it fits) or {@code composed} (ND4J ops everywhere). */
    static final String KERNEL_PROPERTY = "nd4j.kernel";

    private static final String WORKSPACE_ID = "LSTM4J_ND4J_PREDICT";
    private static final WorkspaceConfiguration WORKSPACE = WorkspaceConfiguration.builder()
            .initialSize(0)
            .policyLearning(LearningPolicy.FIRST_LOOP)
            .policyAllocation(AllocationPolicy.OVERALLOCATE)
            .overallocationLimit(0.25)
            .policySpill(SpillPolicy.REALLOCATE)
            .build();

    /** The kernel of a layer that passes its input on (a masking layer). */
    private static final Object PASS_ON = new Object();

    private final List<Object> kernels = new ArrayList<>();  // per layer: DirectionKernel[], DenseKernel, EmbeddingKernel, Activation or PASS_ON
    private final Set<Nd4jStream> streams = ConcurrentHashMap.newKeySet();

    Nd4jPredictor(SequenceModel model, PredictorOptions options) {
        super(Nd4jBackendProvider.NAME, model, options, Nd4jBackendProvider.CAPABILITIES);
        String kernel = options.property(KERNEL_PROPERTY, "auto").toLowerCase(Locale.ROOT);
        if (!kernel.equals("auto") && !kernel.equals("composed")) {
            throw new IllegalArgumentException("predictor property " + KERNEL_PROPERTY + " must be 'auto' or 'composed', got '" + kernel + "'");
        }
        try {
            for (Layer l : model.layers()) {
                if (l instanceof LstmLayer lstm) {
                    boolean fused = kernel.equals("auto") && FusedLstmKernel.supports(lstm);
                    DirectionKernel[] dirs = new DirectionKernel[lstm.directionCount()];
                    for (int d = 0; d < dirs.length; d++) {
                        dirs[d] = fused ? new FusedLstmKernel(lstm, lstm.weights().get(d)) : new ComposedLstmKernel(lstm, lstm.weights().get(d));
                    }
                    kernels.add(dirs);
                } else if (l instanceof DenseLayer dense) {
                    kernels.add(new DenseKernel(dense));
                } else if (l instanceof ActivationLayer activation) {
                    kernels.add(activation.activation());
                } else if (l instanceof EmbeddingLayer embedding) {
                    kernels.add(new EmbeddingKernel(embedding));
                } else if (l instanceof MaskingLayer) {
                    kernels.add(PASS_ON);  // its mask is resolved before the run; no LSTM reads the values it would zero
                } else {
                    throw new UnsupportedModelException("backend 'nd4j' cannot run layer '" + l.name() + "' of model '"
                            + model.name() + "': " + l.getClass().getSimpleName() + " is not a layer kind it knows");
                }
            }
        } catch (RuntimeException e) {
            release();
            throw e;
        }
    }

    /** Which kernel each LSTM layer runs on ("fused" or "composed"), for tests and diagnostics. */
    List<String> lstmKernels() {
        List<String> out = new ArrayList<>();
        for (Object k : kernels) {
            if (k instanceof DirectionKernel[] dirs) {
                out.add(dirs[0] instanceof FusedLstmKernel ? "fused" : "composed");
            }
        }
        return out;
    }

    @Override
    public StreamingPredictor stream(int count) {
        ensureOpen();
        Nd4jStream s = new Nd4jStream(this, kernels, count);
        streams.add(s);
        if (isClosed()) {  // closed while the stream was made: release() may not have seen it
            s.close();
            ensureOpen();
        }
        return s;
    }

    /** A stream that closed itself. */
    void forget(Nd4jStream s) {
        streams.remove(s);
    }

    PredictorOptions options() {
        return options;
    }

    @Override
    protected Prediction run(SequenceBatch batch) {
        int nb = batch.batchSize();
        int nt = batch.timeSteps();
        int[] lengths = batch.lengths();
        boolean ragged = batch.isRagged();
        ModelState init = batch.hasInitialState() ? batch.initialState() : null;
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().getAndActivateWorkspace(WORKSPACE, WORKSPACE_ID)) {
            INDArray x = batch.hasTokens() ? null : Nd4j.create(batch.input().toArray(), new long[] {nb, nt, model.inputSize()}, 'c');
            INDArray seqLen = ragged ? Nd4j.createFromArray(lengths) : null;
            INDArray[] masks = ragged ? masks(lengths, nt) : null;
            INDArray fullLengths = null;
            List<LstmState> finals = new ArrayList<>();
            int lstmIndex = 0;
            int li = 0;
            for (Layer layer : model.layers()) {
                Object k = kernels.get(li++);
                if (layer instanceof LstmLayer lstm) {
                    DirectionKernel[] dirs = (DirectionKernel[]) k;
                    int hs = lstm.hiddenSize();
                    INDArray[] ys = new INDArray[dirs.length];
                    INDArray[] hLast = new INDArray[dirs.length];
                    INDArray[] cLast = new INDArray[dirs.length];
                    for (int d = 0; d < dirs.length; d++) {
                        boolean backwards = lstm.direction() == Direction.REVERSE || d == 1;
                        INDArray h0 = initial(init, lstmIndex, true, d, nb, hs);
                        INDArray c0 = initial(init, lstmIndex, false, d, nb, hs);
                        INDArray lens = seqLen;
                        if (backwards && lens == null) {
                            if (fullLengths == null) {
                                fullLengths = Nd4j.createFromArray(lengths);
                            }
                            lens = fullLengths;
                        }
                        // A backward direction reads each sequence from its last valid step down to 0
                        // (ONNX): reverse the valid steps, run forward, and put outputs back at their
                        // input positions. libnd4j's own backward mode with seqLen reads steps
                        // T-1 .. T-len instead (left padding), so it is not used.
                        INDArray in = backwards ? reverse(x, lens) : x;
                        DirectionKernel.Output r = dirs[d].run(in, seqLen, masks, h0, c0);
                        ys[d] = backwards ? reverse(r.y(), lens) : r.y();
                        if (lstm.reversedOutputOrder()) {
                            // Keras go_backwards: the outputs in processing order over the whole time axis.
                            ys[d] = reverse(ys[d], Nd4j.createFromArray(fullTime(nb, nt)));
                        }
                        hLast[d] = r.hLast();
                        cLast[d] = r.cLast();
                    }
                    finals.add(new LstmState(stateTensor(hLast, nb, hs), stateTensor(cLast, nb, hs)));
                    switch (lstm.outputMode()) {
                        case SEQUENCES:
                            x = merge(lstm, ys, 2);
                            break;
                        case FINAL_STATE:
                            x = merge(lstm, hLast, 1);
                            break;
                        default: {  // LAST_STEP: y[:, T-1, :]
                            INDArray[] last = new INDArray[ys.length];
                            for (int d = 0; d < ys.length; d++) {
                                last[d] = ys[d].get(all(), point(nt - 1), all()).dup('c');
                            }
                            x = merge(lstm, last, 1);
                        }
                    }
                    lstmIndex++;
                } else if (k instanceof DenseKernel dense) {
                    x = dense.apply(x);
                } else if (k instanceof EmbeddingKernel embedding) {
                    x = embedding.apply(batch.tokens());
                } else if (k != PASS_ON) {
                    // Its own copy: x may be an array the LSTM step above still refers to.
                    x = Nd4jActivations.applyPerStep((Activation) k, x.dup('c'));
                }
            }
            return new Prediction(toTensor(x), new ModelState(finals));
        }
    }

    /** Per step t, [B, 1] holding 1 where t < length and 0 past the end. */
    private static INDArray[] masks(int[] lengths, int time) {
        INDArray[] out = new INDArray[time];
        for (int t = 0; t < time; t++) {
            float[] m = new float[lengths.length];
            for (int b = 0; b < m.length; b++) {
                m[b] = t < lengths[b] ? 1f : 0f;
            }
            out[t] = Nd4j.create(m, new long[] {lengths.length, 1}, 'c');
        }
        return out;
    }

    private static int[] fullTime(int nb, int nt) {
        int[] full = new int[nb];
        java.util.Arrays.fill(full, nt);
        return full;
    }

    private static INDArray reverse(INDArray x, INDArray lengths) {
        return Nd4j.exec(new ReverseSequence(x, lengths, 1, 0))[0];
    }

    private static INDArray initial(ModelState init, int layer, boolean hidden, int direction, int batch, int hs) {
        if (init == null) {
            return Nd4j.create(DataType.FLOAT, batch, hs);
        }
        LstmState s = init.layer(layer);
        float[] all = (hidden ? s.hidden() : s.cell()).toArray();
        int from = direction * batch * hs;
        return Nd4j.create(Arrays.copyOfRange(all, from, from + batch * hs), new long[] {batch, hs}, 'c');
    }

    private static INDArray merge(LstmLayer layer, INDArray[] parts, int featureAxis) {
        if (parts.length == 1) {
            return parts[0];
        }
        INDArray fwd = parts[0];
        INDArray bwd = parts[1];
        switch (layer.mergeMode()) {
            case CONCAT: return Nd4j.concat(featureAxis, fwd, bwd);
            case SUM: return fwd.add(bwd);
            case MUL: return fwd.mul(bwd);
            default: return fwd.add(bwd).muli(0.5);  // AVE
        }
    }

    private static FloatTensor stateTensor(INDArray[] perDirection, int batch, int hs) {
        float[] out = new float[perDirection.length * batch * hs];
        for (int d = 0; d < perDirection.length; d++) {
            float[] v = floats(perDirection[d]);
            System.arraycopy(v, 0, out, d * batch * hs, batch * hs);
        }
        return FloatTensor.of(new int[] {perDirection.length, batch, hs}, out);
    }

    private static FloatTensor toTensor(INDArray a) {
        long[] s = a.shape();
        int[] shape = new int[s.length];
        for (int i = 0; i < s.length; i++) {
            shape[i] = Math.toIntExact(s[i]);
        }
        return FloatTensor.of(shape, floats(a));
    }

    /** The values in row-major order, copied to the Java heap. */
    static float[] floats(INDArray a) {
        INDArray c = a.isView() || a.ordering() != 'c' || a.dataType() != DataType.FLOAT ? a.castTo(DataType.FLOAT).dup('c') : a;
        float[] v = c.data().asFloat();
        long n = a.length();
        return v.length == n ? v : Arrays.copyOf(v, Math.toIntExact(n));
    }

    /** Dense and embedding kernels: their close frees native arrays and throws nothing. */
    private static void closeQuietly(AutoCloseable kernel) {
        try {
            kernel.close();
        } catch (Exception e) {
            throw new IllegalStateException("closing an ND4J kernel failed", e);
        }
    }

    @Override
    protected void release() {
        for (Nd4jStream s : List.copyOf(streams)) {
            s.close();
        }
        for (Object k : kernels) {
            if (k instanceof DirectionKernel[] dirs) {
                for (DirectionKernel d : dirs) {
                    if (d != null) {
                        d.close();
                    }
                }
            } else if (k instanceof AutoCloseable kernel) {
                closeQuietly(kernel);
            }
        }
        kernels.clear();
    }
}
