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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * those buffers. Buffers and tensors belong to the call, so calls from several threads do not
 * share anything but the session, whose {@code run} ONNX Runtime documents as thread-safe.
 * A read-write lock keeps {@link #close()} from freeing the session under a running call.
 */
final class OnnxRuntimePredictor extends AbstractPredictor {

    private final OrtEnvironment env;
    private final OrtSession session;
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private final List<LstmLayer> lstms;

    OnnxRuntimePredictor(OrtEnvironment env, SequenceModel model, PredictorOptions options) {
        super(model, options);
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
    public String backendName() {
        return OnnxRuntimeBackendProvider.NAME;
    }

    @Override
    public boolean isThreadSafe() {
        return true;
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
        int nb = batch.batchSize();
        int nt = batch.timeSteps();
        boolean sequences = model.outputsSequences();
        int[] outputShape = sequences ? new int[] {nb, nt, model.outputSize()} : new int[] {nb, model.outputSize()};
        ModelState init = batch.initialState();

        try (Tensors t = new Tensors()) {
            Map<String, OnnxTensor> inputs = new HashMap<>();
            inputs.put(OnnxExporter.INPUT, t.floats(batch.input(), batch.input().shape()));
            inputs.put(OnnxExporter.SEQUENCE_LENGTHS, t.ints(batch.lengths()));
            Map<String, OnnxTensor> outputs = new HashMap<>();
            FloatBuffer output = t.pinned(outputs, OnnxExporter.OUTPUT, outputShape);
            FloatBuffer[] hn = new FloatBuffer[lstms.size()];
            FloatBuffer[] cn = new FloatBuffer[lstms.size()];
            for (int k = 0; k < lstms.size(); k++) {
                LstmLayer l = lstms.get(k);
                int[] stateShape = {l.directionCount(), nb, l.hiddenSize()};
                // A missing initial state is zeros, which is what a fresh direct buffer holds.
                inputs.put(OnnxExporter.initialHidden(k), t.floats(init == null ? null : init.layer(k).hidden(), stateShape));
                inputs.put(OnnxExporter.initialCell(k), t.floats(init == null ? null : init.layer(k).cell(), stateShape));
                hn[k] = t.pinned(outputs, OnnxExporter.finalHidden(k), stateShape);
                cn[k] = t.pinned(outputs, OnnxExporter.finalCell(k), stateShape);
            }
            try (OrtSession.Result result = session.run(inputs, outputs)) {
                // The values are in the pinned buffers; the Result only holds handles to them, freed on close.
                if (result.size() != outputs.size()) {
                    throw new IllegalStateException("ONNX Runtime returned " + result.size() + " outputs for model '" + model.name()
                            + "', expected " + outputs.size());
                }
            }
            List<LstmState> states = new ArrayList<>();
            for (int k = 0; k < lstms.size(); k++) {
                LstmLayer l = lstms.get(k);
                int[] stateShape = {l.directionCount(), nb, l.hiddenSize()};
                states.add(new LstmState(read(hn[k], stateShape), read(cn[k], stateShape)));
            }
            return new Prediction(read(output, outputShape), new ModelState(states));
        } catch (OrtException e) {
            throw new OnnxRuntimeException("ONNX Runtime failed running model '" + model.name() + "' on a batch of " + nb
                    + " sequence(s) of " + nt + " step(s): " + e.getMessage(), e);
        }
    }

    private static FloatTensor read(FloatBuffer buffer, int[] shape) {
        TensorBuilder b = new TensorBuilder(shape);
        buffer.get(0, b.values());
        return b.build();
    }

    @Override
    protected void release() {
        lifecycle.writeLock().lock();
        try {
            session.close();
        } catch (OrtException e) {
            throw new OnnxRuntimeException("ONNX Runtime failed closing the session of model '" + model.name() + "': " + e.getMessage(), e);
        } finally {
            lifecycle.writeLock().unlock();
        }
    }

    /** The tensors of one call, closed together when the call ends. */
    private final class Tensors implements AutoCloseable {
        private final List<OnnxTensor> open = new ArrayList<>();

        private OnnxTensor track(OnnxTensor t) {
            open.add(t);
            return t;
        }

        /** A float tensor over a new direct buffer holding {@code values} (or zeros when null). */
        OnnxTensor floats(FloatTensor values, int[] shape) throws OrtException {
            FloatBuffer buffer = direct(shape);
            if (values != null) {
                for (int k = 0, n = values.size(); k < n; k++) {
                    buffer.put(k, values.get(k));
                }
            }
            return track(OnnxTensor.createTensor(env, buffer, longs(shape)));
        }

        OnnxTensor ints(int[] values) throws OrtException {
            IntBuffer buffer = ByteBuffer.allocateDirect(4 * values.length).order(ByteOrder.nativeOrder()).asIntBuffer();
            buffer.put(0, values);
            return track(OnnxTensor.createTensor(env, buffer, new long[] {values.length}));
        }

        /** A direct buffer registered as the pinned output {@code name}; ONNX Runtime writes the result into it. */
        FloatBuffer pinned(Map<String, OnnxTensor> outputs, String name, int[] shape) throws OrtException {
            FloatBuffer buffer = direct(shape);
            outputs.put(name, track(OnnxTensor.createTensor(env, buffer, longs(shape))));
            return buffer;
        }

        @Override
        public void close() {
            for (OnnxTensor t : open) {
                t.close();
            }
        }
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
