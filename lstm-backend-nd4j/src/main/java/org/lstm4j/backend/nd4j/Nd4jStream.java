package org.lstm4j.backend.nd4j;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.lstm4j.model.Activation;
import org.lstm4j.model.LstmLayer;
import org.lstm4j.model.SequenceModel;
import org.lstm4j.predict.LstmState;
import org.lstm4j.predict.ModelState;
import org.lstm4j.predict.NanPolicy;
import org.lstm4j.predict.Prediction;
import org.lstm4j.predict.SequenceBatch;
import org.lstm4j.predict.StreamingPredictor;
import org.lstm4j.tensor.FloatTensor;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A stream on ND4J whose single steps allocate no ND4J object: its arrays (the input, each layer's
 * output, the state) are made once, outside any workspace, and each layer runs through an op
 * context whose arrays and arguments are set once (an LSTM layer on libnd4j's {@code lstmLayerCell},
 * a dense layer on {@code matmul}). The predictor's own path builds arrays, an op and an op context
 * per call, and its {@code lstmLayer} op keeps about 0.12 KiB per call inside libnd4j: resident
 * memory grew about 0.8 KiB per streaming step on it, and never levelled off.
 *
 * <p>The step path covers models of fused LSTM layers (forward), dense layers and activation layers
 * whose activation is one in-place ND4J transform ({@link #STEP_ACTIVATIONS}); chunks, and steps of
 * any other model, run on the predictor from the carried state, which is written back here.
 * The LSTM state is double-buffered: a step reads one pair of arrays and writes the other.
 */
final class Nd4jStream implements StreamingPredictor {

    /** Activations applied in place by one ND4J transform, with no temporary array. */
    private static final Set<Activation.Kind> STEP_ACTIVATIONS = Set.of(Activation.Kind.LINEAR, Activation.Kind.TANH,
            Activation.Kind.SIGMOID, Activation.Kind.RELU, Activation.Kind.SOFTSIGN, Activation.Kind.SOFTPLUS);

    private final Nd4jPredictor predictor;
    private final SequenceModel model;
    private final int streams;
    private final boolean stepPath;
    private final List<INDArray> owned = new ArrayList<>();
    private final List<OpContext> contexts = new ArrayList<>();
    /** Per LSTM layer, per parity: hidden and cell state [B, H]. */
    private final List<INDArray[]> hidden = new ArrayList<>();
    private final List<INDArray[]> cell = new ArrayList<>();
    /**
     * Per parity (which of the two state arrays holds the current state), the step's stages in order:
     * an LSTM layer's OpContext, a {@link DenseStage} or an {@link ActivationStage}.
     */
    private final List<List<Object>> stages = List.of(new ArrayList<>(), new ArrayList<>());
    /** Per parity, the array holding the step's output. */
    private final INDArray[] out = new INDArray[2];
    private DynamicCustomOp lstmOp;
    private DynamicCustomOp matmulOp;
    private INDArray x;
    private int parity;
    private boolean closed;

    Nd4jStream(Nd4jPredictor predictor, List<Object> kernels, int streams) {
        this.model = predictor.model();
        if (!model.isStreamable()) {
            throw new IllegalArgumentException("model '" + model.name() + "' has an LSTM that reads backwards; "
                    + "it needs the whole sequence and cannot be streamed step by step");
        }
        if (streams < 1) {
            throw new IllegalArgumentException("a stream needs at least 1 sequence, got " + streams);
        }
        this.predictor = predictor;
        this.streams = streams;
        for (LstmLayer l : model.lstmLayers()) {
            hidden.add(new INDArray[] {array(streams, l.hiddenSize()), array(streams, l.hiddenSize())});
            cell.add(new INDArray[] {array(streams, l.hiddenSize()), array(streams, l.hiddenSize())});
        }
        this.stepPath = fitsStepPath(kernels);
        try {
            if (stepPath) {
                buildStages(kernels);
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private static boolean fitsStepPath(List<Object> kernels) {
        boolean afterDense = false;
        for (Object k : kernels) {
            // An activation layer runs in place, so only on a dense layer's output (an LSTM's is its state).
            boolean fits = k instanceof DirectionKernel[] dirs ? dirs.length == 1 && dirs[0] instanceof FusedLstmKernel
                    : k instanceof DenseKernel dense ? STEP_ACTIVATIONS.contains(dense.activation().kind())
                    : k instanceof Activation a && afterDense && STEP_ACTIVATIONS.contains(a.kind());
            if (!fits) {
                return false;  // an embedding, a masking layer (its masked steps keep the state), a composed LSTM, ...
            }
            afterDense = !(k instanceof DirectionKernel[]);
        }
        return true;
    }

    private void buildStages(List<Object> kernels) {
        lstmOp = DynamicCustomOp.builder("lstmLayerCell").build();
        matmulOp = DynamicCustomOp.builder("matmul").build();
        x = array(streams, model.inputSize());
        INDArray[] denseOut = new INDArray[kernels.size()];  // shared by both parities
        for (int p = 0; p < 2; p++) {
            INDArray current = x;  // [B, F]: the previous stage's output
            int lstm = 0;
            for (int i = 0; i < kernels.size(); i++) {
                Object k = kernels.get(i);
                if (k instanceof DirectionKernel[] dirs) {
                    INDArray[] h = hidden.get(lstm);
                    INDArray[] c = cell.get(lstm);
                    // From the state at parity p into the other pair, which is the layer's output too.
                    stages.get(p).add(context(((FusedLstmKernel) dirs[0]).stepContext(current, h[p], c[p], h[1 - p], c[1 - p])));
                    current = h[1 - p];
                    lstm++;
                } else if (k instanceof DenseKernel dense) {
                    if (denseOut[i] == null) {
                        denseOut[i] = array(streams, dense.kernel().size(1));
                    }
                    INDArray z = denseOut[i];
                    OpContext ctx = context(Nd4j.getExecutioner().buildContext());
                    ctx.setInputArrays(current, dense.kernel());
                    ctx.setOutputArrays(z);
                    ctx.setIArguments(0, 0, 0);     // no transposes
                    ctx.setTArguments(1.0, 1.0);    // z = x K + z, z holding the bias rows
                    stages.get(p).add(new DenseStage(ctx, z, biasRows(dense.bias(), z.columns()), dense.activation()));
                    current = z;
                } else {
                    stages.get(p).add(new ActivationStage((Activation) k, current));
                }
            }
            out[p] = current;
        }
    }

    private float[] biasRows(INDArray bias, int units) {
        float[] rows = new float[streams * units];
        float[] b = bias.data().asFloat();
        for (int r = 0; r < streams; r++) {
            System.arraycopy(b, 0, rows, r * units, units);
        }
        return rows;
    }

    /** A dense layer's step: z = x K + bias rows, then its activation in place. */
    private record DenseStage(OpContext context, INDArray z, float[] biasRows, Activation activation) {
    }

    /** An activation layer's step, in place on the previous stage's output. */
    private record ActivationStage(Activation activation, INDArray target) {
    }

    private OpContext context(OpContext ctx) {
        contexts.add(ctx);
        return ctx;
    }

    private INDArray array(long... shape) {
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            INDArray a = Nd4j.create(DataType.FLOAT, shape);
            owned.add(a);
            return a;
        }
    }

    /** Whether single steps run on the stream's own arrays and op contexts (else on the predictor's path). */
    boolean stepsOnOwnArrays() {
        return stepPath;
    }

    @Override
    public int streams() {
        return streams;
    }

    @Override
    public synchronized FloatTensor step(FloatTensor step) {
        Objects.requireNonNull(step, "step");
        ensureOpen();
        if (step.rank() != 2 || step.dim(0) != streams) {
            throw new IllegalArgumentException("a step must be [streams, features] = [" + streams + ", "
                    + model.inputSize() + "], got " + Arrays.toString(step.shape()));
        }
        if (!stepPath || step.dim(1) != model.inputSize()) {
            // The predictor's path (and its message for a wrong feature count).
            FloatTensor y = chunk(step.reshape(streams, 1, step.dim(1)));
            return y.rank() == 3 ? y.reshape(streams, y.dim(2)) : y;
        }
        float[] v = step.toArray();
        if (predictor.options().nanPolicy() == NanPolicy.REJECT) {
            for (int k = 0; k < v.length; k++) {
                if (!Float.isFinite(v[k])) {
                    throw new IllegalArgumentException("input holds " + v[k] + " at [" + k / step.dim(1) + ", 0, " + k % step.dim(1)
                            + "] (NanPolicy.REJECT)");
                }
            }
        }
        x.data().setData(v);
        for (Object stage : stages.get(parity)) {
            if (stage instanceof DenseStage dense) {
                dense.z().data().setData(dense.biasRows());
                Nd4j.getExecutioner().exec(matmulOp, dense.context());
                Nd4jActivations.applyInPlace(dense.activation(), dense.z());
            } else if (stage instanceof ActivationStage act) {
                Nd4jActivations.applyInPlace(act.activation(), act.target());
            } else {
                Nd4j.getExecutioner().exec(lstmOp, (OpContext) stage);
            }
        }
        INDArray y = out[parity];
        parity = 1 - parity;
        return FloatTensor.of(new int[] {streams, y.columns()}, y.data().asFloat());
    }

    @Override
    public synchronized FloatTensor chunk(FloatTensor chunk) {
        Objects.requireNonNull(chunk, "chunk");
        ensureOpen();
        if (chunk.rank() != 3 || chunk.dim(0) != streams) {
            throw new IllegalArgumentException("a chunk must be [streams, time, features] with " + streams
                    + " streams, got " + Arrays.toString(chunk.shape()));
        }
        return advance(SequenceBatch.of(chunk));
    }

    @Override
    public FloatTensor step(org.lstm4j.tensor.IntTensor tokens) {
        Objects.requireNonNull(tokens, "tokens");
        if (tokens.rank() != 1 || tokens.dim(0) != streams) {
            throw new IllegalArgumentException("a step of token ids must be [streams] = [" + streams + "], got "
                    + Arrays.toString(tokens.shape()));
        }
        FloatTensor y = chunk(tokens.reshape(streams, 1));
        return y.rank() == 3 ? y.reshape(streams, y.dim(2)) : y;
    }

    @Override
    public synchronized FloatTensor chunk(org.lstm4j.tensor.IntTensor tokens) {
        Objects.requireNonNull(tokens, "tokens");
        ensureOpen();
        if (tokens.rank() != 2 || tokens.dim(0) != streams) {
            throw new IllegalArgumentException("a chunk of token ids must be [streams, time] with " + streams
                    + " streams, got " + Arrays.toString(tokens.shape()));
        }
        return advance(SequenceBatch.ofTokens(tokens));
    }

    private FloatTensor advance(SequenceBatch batch) {
        Prediction p = predictor.predict(batch.continuing(state()));
        write(p.finalState());
        return p.output();
    }

    @Override
    public synchronized ModelState snapshot() {
        ensureOpen();
        return state();
    }

    private ModelState state() {
        List<LstmState> layers = new ArrayList<>();
        for (int i = 0; i < hidden.size(); i++) {
            INDArray h = hidden.get(i)[parity];
            int[] shape = {1, streams, h.columns()};
            layers.add(new LstmState(FloatTensor.of(shape, h.data().asFloat()), FloatTensor.of(shape, cell.get(i)[parity].data().asFloat())));
        }
        return new ModelState(layers);
    }

    private void write(ModelState s) {
        for (int i = 0; i < hidden.size(); i++) {
            hidden.get(i)[parity].data().setData(s.layer(i).hidden().toArray());
            cell.get(i)[parity].data().setData(s.layer(i).cell().toArray());
        }
    }

    @Override
    public synchronized void restore(ModelState snapshot) {
        Objects.requireNonNull(snapshot, "state");
        ensureOpen();
        snapshot.requireFits(model, streams);
        write(snapshot);
    }

    @Override
    public synchronized void reset() {
        ensureOpen();
        write(ModelState.zeros(model, streams));
    }

    @Override
    public synchronized void reset(int stream) {
        ensureOpen();
        if (stream < 0 || stream >= streams) {
            throw new IndexOutOfBoundsException("stream " + stream + " of " + streams);
        }
        for (int i = 0; i < hidden.size(); i++) {
            for (INDArray a : new INDArray[] {hidden.get(i)[parity], cell.get(i)[parity]}) {
                int hs = a.columns();
                float[] v = a.data().asFloat();
                Arrays.fill(v, stream * hs, (stream + 1) * hs, 0f);
                a.data().setData(v);
            }
        }
    }

    /** Frees the stream's op contexts and arrays; its predictor calls it too, when it closes first. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        predictor.forget(this);
        for (OpContext ctx : contexts) {
            try {
                ctx.close();
            } catch (Exception e) {
                throw new IllegalStateException("closing an ND4J op context failed", e);
            }
        }
        for (INDArray a : owned) {
            a.close();
        }
        contexts.clear();
        owned.clear();
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException(predictor.isClosed() ? "nd4j predictor for model '" + model.name() + "' is closed"
                    : "stream is closed");
        }
    }
}
