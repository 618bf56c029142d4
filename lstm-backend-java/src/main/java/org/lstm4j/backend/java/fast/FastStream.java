package org.lstm4j.backend.java.fast;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.lstm4j.model.EmbeddingLayer;
import org.lstm4j.model.SequenceModel;
import org.lstm4j.predict.LstmState;
import org.lstm4j.predict.ModelState;
import org.lstm4j.predict.NanPolicy;
import org.lstm4j.predict.SequenceBatch;
import org.lstm4j.predict.StepMask;
import org.lstm4j.predict.StreamingPredictor;
import org.lstm4j.tensor.FloatTensor;
import org.lstm4j.tensor.IntTensor;
import org.lstm4j.tensor.TensorBuilder;

/**
 * The fast engine's stream: each layer's h and c live in arrays owned by the stream and are
 * advanced in place, and the scratch space is kept, so a step allocates only the output tensor
 * it returns (and a chunk nothing more once its size has been seen). Not thread-safe.
 */
final class FastStream implements StreamingPredictor {
    private final FastPredictor predictor;
    private final SequenceModel model;
    private final int streams;
    private final float[][] h;
    private final float[][] c;
    private final Workspace ws = new Workspace();
    /** Whether the model makes masks from its input (asked once: the step loop must not allocate). */
    private final boolean masksInput;
    private boolean closed;

    FastStream(FastPredictor predictor, int streams) {
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
        this.masksInput = model.masksInput();
        int layers = predictor.lstmCount();
        this.h = new float[layers][];
        this.c = new float[layers][];
        for (int i = 0; i < layers; i++) {
            h[i] = new float[predictor.lstmStateSize(i, streams)];
            c[i] = new float[predictor.lstmStateSize(i, streams)];
        }
    }

    @Override
    public int streams() {
        return streams;
    }

    @Override
    public FloatTensor step(FloatTensor step) {
        Objects.requireNonNull(step, "step");
        ensureOpen();
        requireFeatures();
        if (step.rank() != 2 || step.dim(0) != streams || step.dim(1) != model.inputSize()) {
            throw new IllegalArgumentException("a step must be [streams, features] = [" + streams + ", "
                    + model.inputSize() + "], got " + Arrays.toString(step.shape()));
        }
        return advance(step, 1, true);
    }

    @Override
    public FloatTensor chunk(FloatTensor chunk) {
        Objects.requireNonNull(chunk, "chunk");
        ensureOpen();
        requireFeatures();
        if (chunk.rank() != 3 || chunk.dim(0) != streams || chunk.dim(1) < 1 || chunk.dim(2) != model.inputSize()) {
            throw new IllegalArgumentException("a chunk must be [streams, time, features] = [" + streams + ", time >= 1, "
                    + model.inputSize() + "], got " + Arrays.toString(chunk.shape()));
        }
        return advance(chunk, chunk.dim(1), false);
    }

    @Override
    public FloatTensor step(IntTensor tokens) {
        Objects.requireNonNull(tokens, "tokens");
        ensureOpen();
        if (tokens.rank() != 1 || tokens.dim(0) != streams) {
            throw new IllegalArgumentException("a step of token ids must be [streams] = [" + streams + "], got " + Arrays.toString(tokens.shape()));
        }
        return advance(tokens.reshape(streams, 1), true);
    }

    @Override
    public FloatTensor chunk(IntTensor tokens) {
        Objects.requireNonNull(tokens, "tokens");
        ensureOpen();
        if (tokens.rank() != 2 || tokens.dim(0) != streams || tokens.dim(1) < 1) {
            throw new IllegalArgumentException("a chunk of token ids must be [streams, time] with " + streams + " streams and time >= 1, got "
                    + Arrays.toString(tokens.shape()));
        }
        return advance(tokens, false);
    }

    private FloatTensor advance(FloatTensor in, int time, boolean oneStep) {
        if (predictor.nanPolicy() == NanPolicy.REJECT) {
            for (int k = 0; k < in.size(); k++) {
                if (!Float.isFinite(in.get(k))) {
                    throw new IllegalArgumentException("streamed input holds " + in.get(k) + " at flat index " + k + " (NanPolicy.REJECT)");
                }
            }
        }
        // Only a model with a masking layer needs the mask; a plain step allocates nothing but its output.
        boolean[] valid = masksInput ? mask(SequenceBatch.of(oneStep ? in.reshape(streams, 1, in.dim(1)) : in)) : null;
        return run(FastPredictor.input(in, ws), valid, time, oneStep);
    }

    private FloatTensor advance(IntTensor ids, boolean oneStep) {
        EmbeddingLayer embedding = model.embedding().orElseThrow(() -> new IllegalArgumentException("model '" + model.name()
                + "' reads features [streams, features], not token ids: it has no embedding layer"));
        embedding.requireInVocabulary(ids);
        return run(predictor.embed(ids, ws), masksInput ? mask(SequenceBatch.ofTokens(ids)) : null, ids.dim(1), oneStep);
    }

    private boolean[] mask(SequenceBatch chunk) {
        return FastPredictor.valid(StepMask.resolve(model, chunk));
    }

    /** Runs a chunk from the streams' state, which it advances in place; masked steps leave a stream's state alone. */
    private FloatTensor run(float[] x, boolean[] valid, int time, boolean oneStep) {
        TensorBuilder out = predictor.outputBuilder(streams, time);
        predictor.forward(x, streams, time, valid, true, h, c, h, c, out.values(), ws);
        FloatTensor result = out.build();
        // A step returns [streams, out]: the same values as [streams, 1, out].
        return oneStep && result.rank() == 3 ? result.reshape(streams, result.dim(2)) : result;
    }

    private void requireFeatures() {
        if (model.readsTokens()) {
            throw new IllegalArgumentException("model '" + model.name() + "' reads token ids: step(IntTensor) with one id per stream");
        }
    }

    @Override
    public ModelState snapshot() {
        ensureOpen();
        List<LstmState> layers = new ArrayList<>(h.length);
        for (int i = 0; i < h.length; i++) {
            int[] shape = {1, streams, h[i].length / streams};
            layers.add(new LstmState(FloatTensor.of(shape, h[i]), FloatTensor.of(shape, c[i])));
        }
        return new ModelState(layers);
    }

    @Override
    public void restore(ModelState state) {
        Objects.requireNonNull(state, "state");
        ensureOpen();
        state.requireFits(model, streams);
        for (int i = 0; i < h.length; i++) {
            state.layer(i).hidden().copyTo(h[i], 0);
            state.layer(i).cell().copyTo(c[i], 0);
        }
    }

    @Override
    public void reset() {
        ensureOpen();
        for (int i = 0; i < h.length; i++) {
            Arrays.fill(h[i], 0f);
            Arrays.fill(c[i], 0f);
        }
    }

    @Override
    public void reset(int stream) {
        ensureOpen();
        if (stream < 0 || stream >= streams) {
            throw new IndexOutOfBoundsException("stream " + stream + " of " + streams);
        }
        for (int i = 0; i < h.length; i++) {
            int hs = h[i].length / streams;
            Arrays.fill(h[i], stream * hs, (stream + 1) * hs, 0f);
            Arrays.fill(c[i], stream * hs, (stream + 1) * hs, 0f);
        }
    }

    @Override
    public void close() {
        closed = true;
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("stream is closed");
        }
        if (predictor.isClosed()) {
            throw new IllegalStateException(predictor.backendName() + " predictor for model '" + model.name() + "' is closed");
        }
    }
}
