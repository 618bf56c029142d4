package org.lstm4j.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.lstm4j.tensor.FloatTensor;
import org.lstm4j.tensor.IntTensor;

/**
 * Runs an ONNX graph once in ONNX Runtime (Java, CPU) for the exporter's tests: float inputs as
 * {@link FloatTensor}s, int32 inputs as {@code int[]} vectors, int64 inputs (token ids) as {@link IntTensor}s; every output back as a FloatTensor.
 */
final class OrtRunner {
    private OrtRunner() {
    }

    static Map<String, FloatTensor> run(byte[] model, Map<String, Object> inputs) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        Map<String, OnnxTensor> feeds = new LinkedHashMap<>();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            try (OrtSession session = env.createSession(model, options)) {
                for (Map.Entry<String, Object> e : inputs.entrySet()) {
                    if (e.getValue() instanceof FloatTensor t) {
                        feeds.put(e.getKey(), OnnxTensor.createTensor(env, FloatBuffer.wrap(t.toArray()), longs(t.shape())));
                    } else if (e.getValue() instanceof IntTensor t) {
                        long[] ids = new long[t.size()];
                        for (int i = 0; i < ids.length; i++) {
                            ids[i] = t.get(i);
                        }
                        feeds.put(e.getKey(), OnnxTensor.createTensor(env, LongBuffer.wrap(ids), longs(t.shape())));
                    } else {
                        int[] v = (int[]) e.getValue();
                        feeds.put(e.getKey(), OnnxTensor.createTensor(env, IntBuffer.wrap(v), new long[] {v.length}));
                    }
                }
                Map<String, FloatTensor> out = new LinkedHashMap<>();
                try (OrtSession.Result result = session.run(feeds)) {
                    for (Map.Entry<String, OnnxValue> e : result) {
                        OnnxTensor t = (OnnxTensor) e.getValue();
                        long[] shape = t.getInfo().getShape();
                        int[] s = new int[shape.length];
                        for (int i = 0; i < s.length; i++) {
                            s[i] = Math.toIntExact(shape[i]);
                        }
                        FloatBuffer fb = t.getFloatBuffer();
                        float[] values = new float[fb.remaining()];
                        fb.get(values);
                        out.put(e.getKey(), FloatTensor.of(s, values));
                    }
                }
                return out;
            }
        } finally {
            feeds.values().forEach(OnnxTensor::close);
        }
    }

    static long[] longs(int[] a) {
        long[] out = new long[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i];
        }
        return out;
    }
}
