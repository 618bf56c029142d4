package org.lstm4j.backend.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import ai.onnxruntime.ValueInfo;
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
import org.lstm4j.tensor.IntTensor;

/**
 * An ONNX file run as it is by ONNX Runtime, fed and read by its graph's own input and output
 * names: the way to run a model that the importer cannot map to a {@code SequenceModel} (a GRU, a
 * convolution, an exporter idiom it does not know). Float inputs (float32, float64) are given as
 * {@link FloatTensor}s, integer and bool inputs (token ids, lengths, masks) as {@link IntTensor}s of
 * any shape; float outputs come back as FloatTensors and integer or bool outputs (an arg max) as
 * IntTensors. Thread-safe, like the session under it; close it to free the session.
 */
public final class RawOnnxModel implements AutoCloseable {

    /** Every float and every integer output of one run, by graph name, in declaration order. */
    public record Outputs(Map<String, FloatTensor> floats, Map<String, IntTensor> ints) {
        public Outputs {
            floats = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(floats));
            ints = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(ints));
        }
    }

    private final OrtEnvironment env;
    private final OrtSession session;
    private final String source;
    private final Map<String, TensorInfo> inputs;
    private final Map<String, TensorInfo> floatOutputs = new LinkedHashMap<>();
    private final Map<String, TensorInfo> intOutputs = new LinkedHashMap<>();
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private final AtomicBoolean closed = new AtomicBoolean();

    private RawOnnxModel(OrtEnvironment env, OrtSession session, String source) throws OrtException {
        this.env = env;
        this.session = session;
        this.source = source;
        this.inputs = tensorInfos(session.getInputInfo(), "input");
        tensorInfos(session.getOutputInfo(), "output").forEach((name, info) -> {
            if (RawTensors.FLOATS.contains(info.type)) {
                floatOutputs.put(name, info);
            } else if (RawTensors.INTEGERS.contains(info.type)) {
                intOutputs.put(name, info);
            }
        });
        for (Map.Entry<String, TensorInfo> e : inputs.entrySet()) {
            if (!RawTensors.FLOATS.contains(e.getValue().type) && !RawTensors.INTEGERS.contains(e.getValue().type)) {
                throw new IllegalArgumentException(source + ": graph input '" + e.getKey() + "' is " + RawTensors.describe(e.getValue())
                        + "; raw mode feeds float, integer and bool inputs");
            }
        }
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

    /** The graph's integer and bool output names ({@link #runAll} returns them as IntTensors), in declaration order. */
    public Set<String> intOutputNames() {
        return new LinkedHashSet<>(intOutputs.keySet());
    }

    /** The graph's inputs and outputs with their element types and shapes ({@code ?} for a symbolic size), for people. */
    public String signature() {
        Map<String, TensorInfo> outs = new LinkedHashMap<>(floatOutputs);
        outs.putAll(intOutputs);
        return "inputs " + describe(inputs) + "; outputs " + describe(outs);
    }

    /** Runs a graph whose inputs are all float; returns every float output. */
    public Map<String, FloatTensor> run(Map<String, FloatTensor> floatInputs) {
        return run(floatInputs, Map.of());
    }

    /**
     * Runs the graph. Every graph input must be given, floats in {@code floatInputs}, integers and
     * bools in {@code intInputs} (converted to the graph's type, each value checked to fit it).
     *
     * @return every float output, by name, in declaration order
     * @throws IllegalArgumentException naming an unknown or missing input, a wrong type, a value out of
     *                                  range, or a shape that does not fit the graph's declared one
     */
    public Map<String, FloatTensor> run(Map<String, FloatTensor> floatInputs, Map<String, IntTensor> intInputs) {
        return guarded(floatInputs, intInputs, floatOutputs.keySet()).floats();
    }

    /** Like {@link #run(Map, Map)}, returning every float and every integer output. */
    public Outputs runAll(Map<String, FloatTensor> floatInputs, Map<String, IntTensor> intInputs) {
        Set<String> all = new LinkedHashSet<>(floatOutputs.keySet());
        all.addAll(intOutputs.keySet());
        return guarded(floatInputs, intInputs, all);
    }

    private Outputs guarded(Map<String, FloatTensor> floatInputs, Map<String, IntTensor> intInputs, Set<String> wanted) {
        java.util.Objects.requireNonNull(floatInputs, "floatInputs");
        java.util.Objects.requireNonNull(intInputs, "intInputs");
        lifecycle.readLock().lock();
        try {
            if (closed.get()) {
                throw new IllegalStateException("raw ONNX model " + source + " is closed");
            }
            return runOpen(floatInputs, intInputs, wanted);
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    private Outputs runOpen(Map<String, FloatTensor> floatInputs, Map<String, IntTensor> intInputs, Set<String> wanted) {
        for (String name : inputs.keySet()) {
            if (!floatInputs.containsKey(name) && !intInputs.containsKey(name)) {
                throw new IllegalArgumentException(source + ": input '" + name + "' " + RawTensors.describe(inputs.get(name))
                        + " is missing; the graph's inputs are " + describe(inputs));
            }
        }
        List<OnnxTensor> open = new ArrayList<>();
        try {
            Map<String, OnnxTensor> feeds = new HashMap<>();
            for (Map.Entry<String, FloatTensor> e : floatInputs.entrySet()) {
                TensorInfo info = expect(e.getKey(), true, e.getValue().shape());
                feeds.put(e.getKey(), track(open, RawTensors.floats(env, info, e.getValue())));
            }
            for (Map.Entry<String, IntTensor> e : intInputs.entrySet()) {
                TensorInfo info = expect(e.getKey(), false, e.getValue().shape());
                feeds.put(e.getKey(), track(open, RawTensors.ints(env, info, e.getValue(), source + ": input '" + e.getKey() + "'")));
            }
            Map<String, FloatTensor> floats = new LinkedHashMap<>();
            Map<String, IntTensor> ints = new LinkedHashMap<>();
            try (OrtSession.Result result = session.run(feeds, wanted)) {
                for (Map.Entry<String, OnnxValue> e : result) {
                    OnnxTensor t = (OnnxTensor) e.getValue();
                    if (floatOutputs.containsKey(e.getKey())) {
                        floats.put(e.getKey(), RawTensors.floatOutput(t));
                    } else {
                        ints.put(e.getKey(), RawTensors.intOutput(t, source + ": output '" + e.getKey() + "'"));
                    }
                }
            }
            return new Outputs(floats, ints);
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

    /** The declared input {@code name}, checked to take floats (or integers) of {@code shape}. */
    private TensorInfo expect(String name, boolean floats, int[] shape) {
        TensorInfo info = inputs.get(name);
        if (info == null) {
            throw new IllegalArgumentException(source + " has no input named '" + name + "'; its inputs are " + describe(inputs));
        }
        if (floats != RawTensors.FLOATS.contains(info.type)) {
            throw new IllegalArgumentException(source + ": input '" + name + "' is " + RawTensors.describe(info) + "; "
                    + (floats ? "a FloatTensor was given (give an IntTensor)" : "an IntTensor was given (give a FloatTensor)"));
        }
        if (!RawTensors.fits(info, shape)) {
            throw new IllegalArgumentException(source + ": input '" + name + "' is declared " + RawTensors.describe(info) + ", got shape "
                    + Arrays.toString(shape));
        }
        return info;
    }

    private static String describe(Map<String, TensorInfo> infos) {
        StringBuilder sb = new StringBuilder();
        infos.forEach((n, i) -> sb.append(sb.length() > 0 ? ", " : "").append('\'').append(n).append("' ").append(RawTensors.describe(i)));
        return sb.toString();
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
