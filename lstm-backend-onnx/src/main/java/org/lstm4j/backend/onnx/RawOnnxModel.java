package org.lstm4j.backend.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import ai.onnxruntime.ValueInfo;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.lstm4j.predict.PredictorOptions;
import org.lstm4j.tensor.FloatTensor;
import org.lstm4j.tensor.TensorBuilder;

/**
 * An ONNX file run as it is by ONNX Runtime, fed and read by its graph's own input and output
 * names: the way to run a model that the importer cannot map to a {@code SequenceModel} (an
 * exporter idiom it does not know, an operator outside LSTM/dense models). Float inputs are given
 * as {@link FloatTensor}s, integer inputs (int32 or int64, such as sequence lengths) as
 * {@code int[]}; float outputs come back as FloatTensors. Thread-safe, like the session under it;
 * close it to free the session.
 */
public final class RawOnnxModel implements AutoCloseable {

    private final OrtEnvironment env;
    private final OrtSession session;
    private final String source;
    private final Map<String, TensorInfo> inputs;
    private final Map<String, TensorInfo> floatOutputs;
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private final AtomicBoolean closed = new AtomicBoolean();

    private RawOnnxModel(OrtEnvironment env, OrtSession session, String source) throws OrtException {
        this.env = env;
        this.session = session;
        this.source = source;
        this.inputs = tensorInfos(session.getInputInfo(), "input");
        Map<String, TensorInfo> outs = tensorInfos(session.getOutputInfo(), "output");
        this.floatOutputs = new LinkedHashMap<>();
        outs.forEach((name, info) -> {
            if (info.type == OnnxJavaType.FLOAT) {
                floatOutputs.put(name, info);
            }
        });
    }

    static RawOnnxModel open(OrtEnvironment env, Path file, PredictorOptions options) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("ONNX file " + file + " does not exist or is not a regular file");
        }
        try (OrtSession.SessionOptions so = SessionSettings.sessionOptions(options)) {
            OrtSession session = env.createSession(file.toString(), so);
            try {
                return new RawOnnxModel(env, session, file.toString());
            } catch (OrtException | RuntimeException e) {
                session.close();
                throw e;
            }
        } catch (OrtException e) {
            throw new OnnxRuntimeException("ONNX Runtime could not load " + file + ": " + e.getMessage(), e);
        }
    }

    private Map<String, TensorInfo> tensorInfos(Map<String, NodeInfo> infos, String what) {
        Map<String, TensorInfo> out = new LinkedHashMap<>();
        for (Map.Entry<String, NodeInfo> e : infos.entrySet()) {
            ValueInfo v = e.getValue().getInfo();
            if (!(v instanceof TensorInfo t)) {
                throw new IllegalArgumentException(source + ": graph " + what + " '" + e.getKey() + "' is " + v
                        + ", not a tensor; raw mode runs tensor graphs only");
            }
            out.put(e.getKey(), t);
        }
        return out;
    }

    /** The graph's input names, in declaration order. */
    public Set<String> inputNames() {
        return new LinkedHashSet<>(inputs.keySet());
    }

    /** The graph's float output names (the ones {@link #run} returns), in declaration order. */
    public Set<String> outputNames() {
        return new LinkedHashSet<>(floatOutputs.keySet());
    }

    /** Runs a graph whose inputs are all float. */
    public Map<String, FloatTensor> run(Map<String, FloatTensor> floatInputs) {
        return run(floatInputs, Map.of());
    }

    /**
     * Runs the graph. Every graph input must be given, floats in {@code floatInputs}, integers in
     * {@code intInputs} (converted to the graph's int32 or int64).
     *
     * @return every float output, by name, in declaration order
     * @throws IllegalArgumentException naming an unknown or missing input, a wrong type, or a shape
     *                                  that does not fit the graph's declared one
     */
    public Map<String, FloatTensor> run(Map<String, FloatTensor> floatInputs, Map<String, int[]> intInputs) {
        lifecycle.readLock().lock();
        try {
            if (closed.get()) {
                throw new IllegalStateException("raw ONNX model " + source + " is closed");
            }
            return runOpen(floatInputs, intInputs);
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    private Map<String, FloatTensor> runOpen(Map<String, FloatTensor> floatInputs, Map<String, int[]> intInputs) {
        for (String name : inputs.keySet()) {
            if (!floatInputs.containsKey(name) && !intInputs.containsKey(name)) {
                throw new IllegalArgumentException(source + ": input '" + name + "' " + describe(inputs.get(name))
                        + " is missing; the graph's inputs are " + describeAll());
            }
        }
        List<OnnxTensor> open = new ArrayList<>();
        try {
            Map<String, OnnxTensor> feeds = new HashMap<>();
            for (Map.Entry<String, FloatTensor> e : floatInputs.entrySet()) {
                TensorInfo info = expect(e.getKey(), OnnxJavaType.FLOAT);
                FloatTensor t = e.getValue();
                checkShape(e.getKey(), info, t.shape());
                FloatBuffer buffer = ByteBuffer.allocateDirect(4 * t.size()).order(ByteOrder.nativeOrder()).asFloatBuffer();
                for (int k = 0, n = t.size(); k < n; k++) {
                    buffer.put(k, t.get(k));
                }
                feeds.put(e.getKey(), track(open, OnnxTensor.createTensor(env, buffer, longs(t.shape()))));
            }
            for (Map.Entry<String, int[]> e : intInputs.entrySet()) {
                TensorInfo info = inputs.get(e.getKey());
                if (info == null) {
                    throw unknown(e.getKey());
                }
                int[] v = e.getValue();
                checkShape(e.getKey(), info, new int[] {v.length});
                if (info.type == OnnxJavaType.INT32) {
                    IntBuffer b = ByteBuffer.allocateDirect(4 * v.length).order(ByteOrder.nativeOrder()).asIntBuffer();
                    b.put(0, v);
                    feeds.put(e.getKey(), track(open, OnnxTensor.createTensor(env, b, new long[] {v.length})));
                } else if (info.type == OnnxJavaType.INT64) {
                    LongBuffer b = ByteBuffer.allocateDirect(8 * v.length).order(ByteOrder.nativeOrder()).asLongBuffer();
                    for (int k = 0; k < v.length; k++) {
                        b.put(k, v[k]);
                    }
                    feeds.put(e.getKey(), track(open, OnnxTensor.createTensor(env, b, new long[] {v.length})));
                } else {
                    throw new IllegalArgumentException(source + ": input '" + e.getKey() + "' is " + describe(info)
                            + "; integers were given");
                }
            }
            Map<String, FloatTensor> out = new LinkedHashMap<>();
            try (OrtSession.Result result = session.run(feeds, floatOutputs.keySet())) {
                for (Map.Entry<String, OnnxValue> e : result) {
                    OnnxTensor t = (OnnxTensor) e.getValue();
                    long[] shape = t.getInfo().getShape();
                    int[] s = new int[shape.length];
                    for (int i = 0; i < s.length; i++) {
                        s[i] = Math.toIntExact(shape[i]);
                    }
                    TensorBuilder b = new TensorBuilder(s);
                    // Output shapes of an arbitrary graph are known only after the run, so outputs cannot be pinned as the
                    // predictor does: ONNX Runtime's getFloatBuffer copies them to the heap, and the tensor's array takes a second copy.
                    t.getFloatBuffer().get(b.values());
                    out.put(e.getKey(), b.build());
                }
            }
            return out;
        } catch (OrtException e) {
            throw new OnnxRuntimeException("ONNX Runtime failed running " + source + ": " + e.getMessage(), e);
        } finally {
            open.forEach(OnnxTensor::close);
        }
    }

    private static OnnxTensor track(List<OnnxTensor> open, OnnxTensor t) {
        open.add(t);
        return t;
    }

    private TensorInfo expect(String name, OnnxJavaType type) {
        TensorInfo info = inputs.get(name);
        if (info == null) {
            throw unknown(name);
        }
        if (info.type != type) {
            throw new IllegalArgumentException(source + ": input '" + name + "' is " + describe(info) + "; a " + type + " tensor was given");
        }
        return info;
    }

    private IllegalArgumentException unknown(String name) {
        return new IllegalArgumentException(source + " has no input named '" + name + "'; its inputs are " + describeAll());
    }

    private void checkShape(String name, TensorInfo info, int[] shape) {
        long[] declared = info.getShape();
        boolean fits = declared.length == shape.length;
        for (int i = 0; fits && i < shape.length; i++) {
            fits = declared[i] < 0 || declared[i] == shape[i];  // negative: a symbolic dimension, any size
        }
        if (!fits) {
            throw new IllegalArgumentException(source + ": input '" + name + "' is declared " + describe(info) + ", got shape "
                    + Arrays.toString(shape));
        }
    }

    private static String describe(TensorInfo info) {
        long[] s = info.getShape();
        StringBuilder sb = new StringBuilder(info.type.toString().toLowerCase()).append(" [");
        for (int i = 0; i < s.length; i++) {
            sb.append(i > 0 ? ", " : "").append(s[i] < 0 ? "?" : Long.toString(s[i]));
        }
        return sb.append(']').toString();
    }

    private String describeAll() {
        StringBuilder sb = new StringBuilder();
        inputs.forEach((n, i) -> sb.append(sb.length() > 0 ? ", " : "").append('\'').append(n).append("' ").append(describe(i)));
        return sb.toString();
    }

    private static long[] longs(int[] shape) {
        long[] out = new long[shape.length];
        for (int i = 0; i < shape.length; i++) {
            out[i] = shape[i];
        }
        return out;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            lifecycle.writeLock().lock();
            try {
                session.close();
            } catch (OrtException e) {
                throw new OnnxRuntimeException("ONNX Runtime failed closing the session of " + source + ": " + e.getMessage(), e);
            } finally {
                lifecycle.writeLock().unlock();
            }
        }
    }
}
