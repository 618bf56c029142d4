package org.lstm4j.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.util.HashMap;
import java.util.Map;

/**
 * ONNX Runtime called directly through its Java API, with no lstm4j in between: the baseline for
 * the streaming target (a) and for the onnx backend's per-call overhead. One intra-op and one
 * inter-op thread, sequential execution, all graph optimisations: what the onnx backend sets too.
 */
final class OrtJavaBaseline implements AutoCloseable {
    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession session;

    OrtJavaBaseline(byte[] model, int threads) throws OrtException {
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
            o.setIntraOpNumThreads(threads);
            o.setInterOpNumThreads(1);
            o.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            session = env.createSession(model, o);
        }
    }

    static String version() {
        return OrtEnvironment.getEnvironment().getVersion();
    }

    /**
     * A step model exported by the side-by-side script (inputs x [1,1,I], h0, c0 [1,1,H]; outputs y, hn,
     * cn): runs {@code x.length} steps feeding each step's hn, cn to the next, as a user of the bare API
     * would. Returns the last step's output.
     */
    float[] stream(float[][] steps, int hidden) throws OrtException {
        OrtSession.Result previous = null;
        OnnxTensor h = OnnxTensor.createTensor(env, FloatBuffer.allocate(hidden), new long[] {1, 1, hidden});
        OnnxTensor c = OnnxTensor.createTensor(env, FloatBuffer.allocate(hidden), new long[] {1, 1, hidden});
        float[] y = null;
        try {
            for (float[] step : steps) {
                try (OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(step), new long[] {1, 1, step.length})) {
                    Map<String, OnnxTensor> feeds = new HashMap<>();
                    feeds.put("x", x);
                    feeds.put("h0", h);
                    feeds.put("c0", c);
                    OrtSession.Result r = session.run(feeds);
                    FloatBuffer out = ((OnnxTensor) r.get("y").get()).getFloatBuffer();
                    y = new float[out.remaining()];
                    out.get(y);
                    if (previous != null) {
                        previous.close();
                    } else {
                        h.close();
                        c.close();
                    }
                    previous = r;
                    h = (OnnxTensor) r.get("hn").get();
                    c = (OnnxTensor) r.get("cn").get();
                }
            }
        } finally {
            if (previous != null) {
                previous.close();
            }
        }
        return y;
    }

    /** One call of a whole-sequence model with input "x" (the script's export); returns output 0. */
    float[] run(float[] x, long[] shape) throws OrtException {
        try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), shape);
                OrtSession.Result r = session.run(Map.of("x", t))) {
            FloatBuffer out = ((OnnxTensor) r.get(0)).getFloatBuffer();
            float[] y = new float[out.remaining()];
            out.get(y);
            return y;
        }
    }

    /**
     * One call of lstm4j's execution-form export (inputs x, seq_lens, h0_k, c0_k; output "output"): the
     * very graph the onnx backend runs, fed as the backend feeds it, so the difference is the backend's overhead.
     */
    float[] runExecutionForm(float[] x, long[] shape, int lstmLayers, int[] directions, int[] hidden) throws OrtException {
        Map<String, OnnxTensor> feeds = new HashMap<>();
        try {
            feeds.put("x", OnnxTensor.createTensor(env, FloatBuffer.wrap(x), shape));
            int[] lens = new int[(int) shape[0]];
            java.util.Arrays.fill(lens, (int) shape[1]);
            feeds.put("seq_lens", OnnxTensor.createTensor(env, IntBuffer.wrap(lens), new long[] {shape[0]}));
            for (int k = 0; k < lstmLayers; k++) {
                long[] s = {directions[k], shape[0], hidden[k]};
                feeds.put("h0_" + k, OnnxTensor.createTensor(env, FloatBuffer.allocate((int) (s[0] * s[1] * s[2])), s));
                feeds.put("c0_" + k, OnnxTensor.createTensor(env, FloatBuffer.allocate((int) (s[0] * s[1] * s[2])), s));
            }
            try (OrtSession.Result r = session.run(feeds)) {
                FloatBuffer out = ((OnnxTensor) r.get("output").get()).getFloatBuffer();
                float[] y = new float[out.remaining()];
                out.get(y);
                return y;
            }
        } finally {
            for (OnnxTensor t : feeds.values()) {
                t.close();
            }
        }
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("closing the ONNX Runtime session: " + e.getMessage(), e);
        }
    }
}
