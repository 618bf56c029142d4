package org.lstm4j.backend.tf;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.lstm4j.model.SequenceModel;
import org.lstm4j.predict.AbstractPredictor;
import org.lstm4j.predict.LstmState;
import org.lstm4j.predict.ModelState;
import org.lstm4j.predict.Prediction;
import org.lstm4j.predict.PredictorOptions;
import org.lstm4j.predict.SequenceBatch;
import org.lstm4j.tensor.FloatTensor;
import org.lstm4j.tensor.IntTensor;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * A model compiled into one TensorFlow {@link Graph} and run by one {@link Session}, both made
 * once here and reused by every call (graph mode was about 3x faster per step than eager on the
 * seed model, and eager's memory grew). Each call feeds {@code x} and, only when given, lengths and
 * initial states, and fetches the output and the final states; its tensors are closed before it
 * returns. Streaming uses the default {@link org.lstm4j.predict.Predictor#stream(int)}, which
 * feeds the carried state and fetches the new one through this same graph.
 *
 * <p>Thread-safe: TensorFlow's {@code Session.run} may be called concurrently, and this class keeps
 * no state between calls.
 */
final class TensorFlowPredictor extends AbstractPredictor {

    /** The property that gives TensorFlow its own thread pools ({@code default}) instead of the options' counts. */
    static final String THREAD_POOLS_PROPERTY = "tf.threadPools";
    /** The property that chooses how LSTM layers are built: {@code auto} (BlockLSTM where it fits) or {@code loop}. */
    static final String LSTM_FORM_PROPERTY = "tf.lstmForm";

    private final Graph graph;
    private final ModelGraph endpoints;
    private final Session session;

    TensorFlowPredictor(SequenceModel model, PredictorOptions options) {
        super(TensorFlowBackendProvider.NAME, model, options, TensorFlowBackendProvider.CAPABILITIES);
        Graph g = new Graph();
        try {
            this.endpoints = new ModelGraph(g, model, loopOnly(options));
            this.session = new Session(g, sessionConfig(options));
        } catch (RuntimeException | Error e) {
            g.close();
            throw e;
        }
        this.graph = g;
    }

    private static boolean loopOnly(PredictorOptions options) {
        String form = options.property(LSTM_FORM_PROPERTY, "auto");
        if (!form.equals("auto") && !form.equals("loop")) {
            throw new IllegalArgumentException(LSTM_FORM_PROPERTY + " must be 'auto' (the fused BlockLSTM op where it computes "
                    + "the layer, else a while loop) or 'loop' (always the while loop), got '" + form + "'");
        }
        return form.equals("loop");
    }

    /** Operations in this predictor's graph (tests check that calls do not add any). */
    int graphOperationCount() {
        int n = 0;
        for (var it = graph.operations(); it.hasNext(); it.next()) {
            n++;
        }
        return n;
    }

    /** Per LSTM direction, whether the fused BlockLSTM op serves it. */
    java.util.List<Boolean> fusedDirections() {
        return java.util.List.copyOf(endpoints.fused);
    }

    /**
     * Threads from the options (1 by default: on 2 cores TensorFlow's default pools were about 2.8x
     * slower per step than one thread); {@code tf.threadPools=default} leaves TensorFlow's pools as
     * they are (sized by the core count).
     */
    static ConfigProto sessionConfig(PredictorOptions options) {
        String pools = options.property(THREAD_POOLS_PROPERTY, "options");
        if (pools.equals("default")) {
            return ConfigProto.newBuilder().build();
        }
        if (!pools.equals("options")) {
            throw new IllegalArgumentException(THREAD_POOLS_PROPERTY + " must be 'options' (the intra/inter-op thread counts "
                    + "of PredictorOptions) or 'default' (TensorFlow's own pools), got '" + pools + "'");
        }
        return ConfigProto.newBuilder()
                .setIntraOpParallelismThreads(options.intraOpThreads())
                .setInterOpParallelismThreads(options.interOpThreads())
                // Without it TensorFlow sizes one process-wide inter-op pool from the first session's options.
                .setUsePerSessionThreads(true)
                .build();
    }

    @Override
    protected Prediction run(SequenceBatch batch) {
        int nb = batch.batchSize();
        int lstmCount = endpoints.initialHidden.size();
        try (Tensors feeds = new Tensors()) {
            Session.Runner runner = session.runner();
            runner.feed(endpoints.input, batch.hasTokens() ? feeds.add(ints(batch.tokens())) : feeds.add(floats(batch.input())));
            if (batch.hasLengths()) {
                int[] lengths = batch.lengths();
                runner.feed(endpoints.sequenceLengths, feeds.add(TInt32.vectorOf(lengths)));
            }
            if (batch.hasInitialState()) {
                for (int k = 0; k < lstmCount; k++) {
                    LstmState s = batch.initialState().layer(k);
                    runner.feed(endpoints.initialHidden.get(k), feeds.add(floats(s.hidden())));
                    runner.feed(endpoints.initialCell.get(k), feeds.add(floats(s.cell())));
                }
            }
            runner.fetch(endpoints.output);
            for (int k = 0; k < lstmCount; k++) {
                runner.fetch(endpoints.finalHidden.get(k));
                runner.fetch(endpoints.finalCell.get(k));
            }
            try (Result result = runner.run()) {
                FloatTensor output = read(result.get(0));
                List<LstmState> states = new ArrayList<>();
                for (int k = 0; k < lstmCount; k++) {
                    states.add(new LstmState(read(result.get(1 + 2 * k)), read(result.get(2 + 2 * k))));
                }
                if (output.dim(0) != nb) {
                    throw new IllegalStateException("TensorFlow returned an output for " + output.dim(0) + " sequences, fed " + nb);
                }
                return new Prediction(output, new ModelState(states));
            }
        }
    }

    private static TInt32 ints(IntTensor t) {
        return TInt32.tensorOf(Shape.of(t.dim(0), t.dim(1)), DataBuffers.of(t.toArray(), true, false));
    }

    private static TFloat32 floats(FloatTensor t) {
        int[] dims = t.shape();
        long[] shape = new long[dims.length];
        for (int k = 0; k < dims.length; k++) {
            shape[k] = dims[k];
        }
        return TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(t.toArray(), true, false));
    }

    private static FloatTensor read(Tensor tensor) {
        TFloat32 t = (TFloat32) tensor;
        long[] dims = t.shape().asArray();
        int[] shape = new int[dims.length];
        for (int k = 0; k < dims.length; k++) {
            shape[k] = Math.toIntExact(dims[k]);
        }
        float[] values = new float[Math.toIntExact(t.shape().size())];
        t.copyTo(DataBuffers.of(values, false, false));
        return FloatTensor.of(shape, values);
    }

    @Override
    protected void release() {
        // Session before graph: a session holds a reference to its graph.
        try {
            session.close();
        } finally {
            graph.close();
        }
    }

    /** The tensors of one call, closed together, last made first closed. */
    private static final class Tensors implements AutoCloseable {
        private final Deque<Tensor> open = new ArrayDeque<>();

        <T extends Tensor> T add(T tensor) {
            open.push(tensor);
            return tensor;
        }

        @Override
        public void close() {
            RuntimeException failure = null;
            while (!open.isEmpty()) {
                try {
                    open.pop().close();
                } catch (RuntimeException e) {
                    if (failure == null) {
                        failure = e;
                    } else {
                        failure.addSuppressed(e);
                    }
                }
            }
            if (failure != null) {
                throw failure;
            }
        }
    }
}
