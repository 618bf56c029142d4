package org.lstm4j.predict;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.lstm4j.model.SequenceModel;
import org.lstm4j.tensor.FloatTensor;
import org.lstm4j.tensor.IntTensor;

/**
 * Streaming on top of any {@link Predictor}: each call runs the chunk from the carried state
 * and keeps the final state. Exactly the whole-sequence result, since a forward LSTM's state
 * after step t is all it needs for step t+1. Backends with a faster step loop override
 * {@link Predictor#stream(int)}.
 */
final class StatefulStream implements StreamingPredictor {
    private final Predictor predictor;
    private final int streams;
    private ModelState state;
    private boolean closed;

    StatefulStream(Predictor predictor, int streams) {
        SequenceModel model = predictor.model();
        if (!model.isStreamable()) {
            throw new IllegalArgumentException("model '" + model.name() + "' has an LSTM that reads backwards; "
                    + "it needs the whole sequence and cannot be streamed step by step");
        }
        if (streams < 1) {
            throw new IllegalArgumentException("a stream needs at least 1 sequence, got " + streams);
        }
        this.predictor = predictor;
        this.streams = streams;
        this.state = ModelState.zeros(model, streams);
    }

    @Override
    public int streams() {
        return streams;
    }

    @Override
    public FloatTensor step(FloatTensor step) {
        Objects.requireNonNull(step, "step");
        if (step.rank() != 2 || step.dim(0) != streams) {
            throw new IllegalArgumentException("a step must be [streams, features] = [" + streams + ", "
                    + predictor.model().inputSize() + "], got " + Arrays.toString(step.shape()));
        }
        FloatTensor out = chunk(step.reshape(streams, 1, step.dim(1)));
        return out.rank() == 3 ? out.reshape(streams, out.dim(2)) : out;
    }

    @Override
    public FloatTensor chunk(FloatTensor chunk) {
        Objects.requireNonNull(chunk, "chunk");
        ensureOpen();
        if (chunk.rank() != 3 || chunk.dim(0) != streams) {
            throw new IllegalArgumentException("a chunk must be [streams, time, features] with " + streams
                    + " streams, got " + Arrays.toString(chunk.shape()));
        }
        return advance(SequenceBatch.of(chunk));
    }

    @Override
    public FloatTensor step(IntTensor tokens) {
        Objects.requireNonNull(tokens, "tokens");
        if (tokens.rank() != 1 || tokens.dim(0) != streams) {
            throw new IllegalArgumentException("a step of token ids must be [streams] = [" + streams + "], got "
                    + Arrays.toString(tokens.shape()));
        }
        FloatTensor out = chunk(tokens.reshape(streams, 1));
        return out.rank() == 3 ? out.reshape(streams, out.dim(2)) : out;
    }

    @Override
    public FloatTensor chunk(IntTensor tokens) {
        Objects.requireNonNull(tokens, "tokens");
        ensureOpen();
        if (tokens.rank() != 2 || tokens.dim(0) != streams) {
            throw new IllegalArgumentException("a chunk of token ids must be [streams, time] with " + streams
                    + " streams, got " + Arrays.toString(tokens.shape()));
        }
        return advance(SequenceBatch.ofTokens(tokens));
    }

    private FloatTensor advance(SequenceBatch chunk) {
        Prediction p = predictor.predict(chunk.continuing(state));
        state = p.finalState();
        return p.output();
    }

    @Override
    public ModelState snapshot() {
        ensureOpen();
        return state;
    }

    @Override
    public void restore(ModelState snapshot) {
        Objects.requireNonNull(snapshot, "state");
        ensureOpen();
        snapshot.requireFits(predictor.model(), streams);
        state = snapshot;
    }

    @Override
    public void reset() {
        ensureOpen();
        state = ModelState.zeros(predictor.model(), streams);
    }

    @Override
    public void reset(int stream) {
        ensureOpen();
        if (stream < 0 || stream >= streams) {
            throw new IndexOutOfBoundsException("stream " + stream + " of " + streams);
        }
        List<LstmState> layers = new ArrayList<>();
        for (LstmState s : state.layers()) {
            layers.add(new LstmState(zeroStream(s.hidden(), stream), zeroStream(s.cell(), stream)));
        }
        state = new ModelState(layers);
    }

    private static FloatTensor zeroStream(FloatTensor t, int stream) {
        float[] v = t.toArray();
        int b = t.dim(1);
        int h = t.dim(2);
        for (int d = 0; d < t.dim(0); d++) {
            Arrays.fill(v, (d * b + stream) * h, (d * b + stream + 1) * h, 0f);
        }
        return FloatTensor.of(t.shape(), v);
    }

    @Override
    public void close() {
        closed = true;
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("stream is closed");
        }
    }
}
