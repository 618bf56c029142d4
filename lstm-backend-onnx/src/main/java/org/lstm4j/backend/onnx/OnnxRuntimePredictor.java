package org.lstm4j.backend.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.lstm4j.model.LstmLayer;
import org.lstm4j.model.SequenceModel;
import org.lstm4j.onnx.OnnxExporter;
import org.lstm4j.predict.AbstractPredictor;
import org.lstm4j.predict.LstmState;
import org.lstm4j.predict.ModelState;
import org.lstm4j.predict.Prediction;
import org.lstm4j.predict.PredictorOptions;
import org.lstm4j.predict.SequenceBatch;
import org.lstm4j.tensor.FloatTensor;
import org.lstm4j.tensor.TensorBuilder;

/**
 * A model compiled once into one {@link OrtSession} (the graph of
 * {@link OnnxExporter#exportForExecution}), reused by every call.
 *
 * <p>Each call feeds {@code x}, {@code seq_lens} and every layer's initial state through direct
 * buffers that ONNX Runtime reads in place, and pins direct buffers for the output and final
 * states so that ONNX Runtime writes into them; the only copies are the values into and out of
 * those buffers. The buffers and their {@link OnnxTensor}s live in a {@link Workspace} that one
 * call holds alone: a call takes an idle workspace from a pool (or makes one), and gives it back
 * when it ends, so concurrent calls never share one, and a serial caller reuses the same buffers
 * and tensors call after call instead of allocating seven direct buffers and tensors each time
 * (the per-call overhead over a bare ONNX Runtime call that issue 9 measured at batch 1).
 * A workspace keeps the tensors of the last batch shape it ran and remakes them when the shape
 * changes; an idle workspace keeps its direct buffers (input, its staging array, output and states
 * of that shape) until the predictor is closed, so a predictor holds, at most, one such set per
 * call that ever ran at the same time as others. ONNX Runtime documents {@code OrtSession.run} as thread-safe, so the session is shared.
 * A read-write lock keeps {@link #close()} from freeing the session, or the pooled tensors, under
 * a running call.
 */
final class OnnxRuntimePredictor extends AbstractPredictor {

    private final OrtEnvironment env;
    private final OrtSession session;
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private final List<LstmLayer> lstms;
    /** Idle workspaces; at most as many as calls ever ran at once. Closed and emptied by {@link #release()}. */
    private final ConcurrentLinkedDeque<Workspace> idle = new ConcurrentLinkedDeque<>();

    OnnxRuntimePredictor(OrtEnvironment env, SequenceModel model, PredictorOptions options) {
        super(OnnxRuntimeBackendProvider.NAME, model, options, OnnxRuntimeBackendProvider.CAPABILITIES);
        this.env = env;
        this.lstms = model.lstmLayers();
        byte[] graph = OnnxExporter.exportForExecution(model);
        try (OrtSession.SessionOptions so = SessionSettings.sessionOptions(options)) {
            // ONNX Runtime copies what it needs from the options, so they can be closed once the session exists.
            this.session = env.createSession(graph, so);
        } catch (OrtException e) {
            throw new OnnxRuntimeException("ONNX Runtime could not create a session for model '" + model.name() + "': " + e.getMessage(), e);
        }
    }

    @Override
    protected Prediction run(SequenceBatch batch) {
        lifecycle.readLock().lock();
        try {
            ensureOpen();
            return runOpen(batch);
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    private Prediction runOpen(SequenceBatch batch) {
        // Last in, first out: a serial caller always gets back the workspace it just used, already shaped.
        Workspace w = idle.pollFirst();
        if (w == null) {
            w = new Workspace();
        }
        boolean reusable = false;
        try {
            Prediction p = w.run(batch);
            reusable = true;
            return p;
        } catch (OrtException e) {
            throw new OnnxRuntimeException("ONNX Runtime failed running model '" + model.name() + "' on a batch of " + batch.batchSize()
                    + " sequence(s) of " + batch.timeSteps() + " step(s): " + e.getMessage(), e);
        } finally {
            // A workspace whose call failed part way may hold half-made tensors: close it rather than pool it.
            if (reusable) {
                idle.offerFirst(w);
            } else {
                w.close();
            }
        }
    }

    @Override
    protected void release() {
        lifecycle.writeLock().lock();
        try {
            // No call holds the read lock now, so every workspace is idle in the pool.
            for (Workspace w; (w = idle.pollFirst()) != null; ) {
                w.close();
            }
            session.close();
        } catch (OrtException e) {
            throw new OnnxRuntimeException("ONNX Runtime failed closing the session of model '" + model.name() + "': " + e.getMessage(), e);
        } finally {
            lifecycle.writeLock().unlock();
        }
    }

    /**
     * The buffers and tensors of one call at a time, shaped for one batch size and length. The input
     * and initial-state tensors view direct buffers that ONNX Runtime reads in place; the output
     * tensors are pinned, so ONNX Runtime writes into their buffers and the {@link OrtSession.Result}
     * does not own them (closing it leaves them open for the next call).
     */
    private final class Workspace implements AutoCloseable {
        private int batchSize = -1;
        private int timeSteps = -1;
        private final List<OnnxTensor> open = new ArrayList<>();
        private final Map<String, OnnxTensor> inputs = new HashMap<>();
        private final Map<String, OnnxTensor> outputs = new HashMap<>();
        private float[] inputScratch;
        private FloatBuffer input;
        /** For a model over token ids: the ids, int32 {@code [B, T]}, in place of the float input. */
        private int[] tokenScratch;
        private IntBuffer tokens;
        private IntBuffer lengths;
        private int[] lengthsFed;
        private final FloatBuffer[] h0 = new FloatBuffer[lstms.size()];
        private final FloatBuffer[] c0 = new FloatBuffer[lstms.size()];
        private final FloatBuffer[] hn = new FloatBuffer[lstms.size()];
        private final FloatBuffer[] cn = new FloatBuffer[lstms.size()];
        private FloatBuffer output;
        private int[] outputShape;
        /** Whether h0 and c0 hold zeros: true in fresh buffers, false once a call fed an initial state. */
        private boolean statesZero;

        Prediction run(SequenceBatch batch) throws OrtException {
            int nb = batch.batchSize();
            int nt = batch.timeSteps();
            if (nb != batchSize || nt != timeSteps) {
                reshape(nb, nt);
            }
            if (batch.hasTokens()) {
                batch.tokens().copyTo(tokenScratch, 0);
                tokens.put(0, tokenScratch);
            } else {
                batch.input().copyTo(inputScratch, 0);
                input.put(0, inputScratch);
            }
            int[] lens = batch.lengths();
            if (!Arrays.equals(lens, lengthsFed)) {
                lengths.put(0, lens);
                lengthsFed = lens; // lengths() returns a fresh copy, ours to keep
            }
            ModelState init = batch.initialState();
            if (init != null) {
                for (int k = 0; k < lstms.size(); k++) {
                    fill(h0[k], init.layer(k).hidden());
                    fill(c0[k], init.layer(k).cell());
                }
                statesZero = false;
            } else if (!statesZero) {
                // A missing initial state is zeros; a previous call on this workspace may have left its own.
                for (int k = 0; k < lstms.size(); k++) {
                    zero(h0[k]);
                    zero(c0[k]);
                }
                statesZero = true;
            }
            try (OrtSession.Result result = session.run(inputs, outputs)) {
                // The values are in the pinned buffers; the Result holds only references to the pinned tensors.
                if (result.size() != outputs.size()) {
                    throw new IllegalStateException("ONNX Runtime returned " + result.size() + " outputs for model '" + model.name()
                            + "', expected " + outputs.size());
                }
            }
            List<LstmState> states = new ArrayList<>(lstms.size());
            for (int k = 0; k < lstms.size(); k++) {
                int[] stateShape = stateShape(k, nb);
                states.add(new LstmState(read(hn[k], stateShape), read(cn[k], stateShape)));
            }
            return new Prediction(read(output, outputShape), new ModelState(states));
        }

        /** Remakes every buffer and tensor for batches of {@code nb} sequences of {@code nt} steps. */
        private void reshape(int nb, int nt) throws OrtException {
            close();
            batchSize = -1;
            timeSteps = -1;
            int[] inputShape = {nb, nt, model.inputSize()};
            if (model.readsTokens()) {
                tokenScratch = new int[nb * nt];
                tokens = ByteBuffer.allocateDirect(4 * nb * nt).order(ByteOrder.nativeOrder()).asIntBuffer();
                inputs.put(OnnxExporter.INPUT, track(OnnxTensor.createTensor(env, tokens, new long[] {nb, nt})));
            } else {
                inputScratch = new float[Math.toIntExact(FloatTensor.elementCount(inputShape))];
                input = direct(inputShape);
                inputs.put(OnnxExporter.INPUT, track(OnnxTensor.createTensor(env, input, longs(inputShape))));
            }
            lengths = ByteBuffer.allocateDirect(4 * nb).order(ByteOrder.nativeOrder()).asIntBuffer();
            lengthsFed = null;
            inputs.put(OnnxExporter.SEQUENCE_LENGTHS, track(OnnxTensor.createTensor(env, lengths, new long[] {nb})));
            outputShape = model.outputsSequences() ? new int[] {nb, nt, model.outputSize()} : new int[] {nb, model.outputSize()};
            output = pin(OnnxExporter.OUTPUT, outputShape);
            for (int k = 0; k < lstms.size(); k++) {
                int[] stateShape = stateShape(k, nb);
                // Fresh direct buffers hold zeros: the initial state when a batch brings none.
                h0[k] = direct(stateShape);
                c0[k] = direct(stateShape);
                inputs.put(OnnxExporter.initialHidden(k), track(OnnxTensor.createTensor(env, h0[k], longs(stateShape))));
                inputs.put(OnnxExporter.initialCell(k), track(OnnxTensor.createTensor(env, c0[k], longs(stateShape))));
                hn[k] = pin(OnnxExporter.finalHidden(k), stateShape);
                cn[k] = pin(OnnxExporter.finalCell(k), stateShape);
            }
            statesZero = true;
            batchSize = nb;
            timeSteps = nt;
        }

        private int[] stateShape(int k, int nb) {
            LstmLayer l = lstms.get(k);
            return new int[] {l.directionCount(), nb, l.hiddenSize()};
        }

        /** A direct buffer registered as the pinned output {@code name}; ONNX Runtime writes the result into it. */
        private FloatBuffer pin(String name, int[] shape) throws OrtException {
            FloatBuffer buffer = direct(shape);
            outputs.put(name, track(OnnxTensor.createTensor(env, buffer, longs(shape))));
            return buffer;
        }

        private OnnxTensor track(OnnxTensor t) {
            open.add(t);
            return t;
        }

        /** Closes every tensor; the workspace then holds nothing native, and {@link #run} remakes them. */
        @Override
        public void close() {
            for (OnnxTensor t : open) {
                t.close();
            }
            open.clear();
            inputs.clear();
            outputs.clear();
            batchSize = -1;
            timeSteps = -1;
        }
    }

    private static void fill(FloatBuffer buffer, FloatTensor values) {
        for (int k = 0, n = values.size(); k < n; k++) {
            buffer.put(k, values.get(k));
        }
    }

    private static void zero(FloatBuffer buffer) {
        for (int k = 0, n = buffer.capacity(); k < n; k++) {
            buffer.put(k, 0f);
        }
    }

    private static FloatTensor read(FloatBuffer buffer, int[] shape) {
        TensorBuilder b = new TensorBuilder(shape);
        buffer.get(0, b.values());
        return b.build();
    }

    private static FloatBuffer direct(int[] shape) {
        long n = FloatTensor.elementCount(shape);
        return ByteBuffer.allocateDirect(Math.toIntExact(4 * n)).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    private static long[] longs(int[] shape) {
        long[] out = new long[shape.length];
        for (int i = 0; i < shape.length; i++) {
            out[i] = shape[i];
        }
        return out;
    }
}
