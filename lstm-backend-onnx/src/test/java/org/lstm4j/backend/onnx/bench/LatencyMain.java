package org.lstm4j.backend.onnx.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.lstm4j.backend.java.ReferenceBackendProvider;
import org.lstm4j.backend.onnx.OnnxRuntimeBackendProvider;
import org.lstm4j.model.Activation;
import org.lstm4j.model.DenseLayer;
import org.lstm4j.model.LstmLayer;
import org.lstm4j.model.OutputMode;
import org.lstm4j.model.SequenceModel;
import org.lstm4j.onnx.OnnxExporter;
import org.lstm4j.predict.Predictor;
import org.lstm4j.predict.PredictorOptions;
import org.lstm4j.tensor.FloatTensor;
import org.lstm4j.weights.DenseWeights;
import org.lstm4j.weights.LstmWeights;

/**
 * Per-call latency of the seed forecasting model (LSTM(50) over 100 steps of 10 features, final
 * state into Dense(10), batch 1) on the onnx backend with one thread and with ONNX Runtime's own
 * thread defaults, beside the same graph run directly on ONNX Runtime with tensors made once
 * (the wrapper's overhead) and the reference engine. A timing script, not a test: run with
 * {@code lstm-backend-onnx/bench-latency.sh [warmup] [calls]}.
 */
public final class LatencyMain {

    private LatencyMain() {
    }

    public static void main(String[] args) throws Exception {
        int warmup = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int calls = args.length > 1 ? Integer.parseInt(args[1]) : 5000;
        SequenceModel model = seedModel();
        FloatTensor x = input();
        System.out.printf("seed model: %s%ninput [1, 100, 10]; %d warm-up calls, %d timed calls; %d cores; %s %s%n",
                model, warmup, calls, Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"),
                System.getProperty("java.version"));
        OnnxRuntimeBackendProvider onnx = new OnnxRuntimeBackendProvider();
        System.out.println(onnx.availability().reason());
        time("onnx backend, 1 intra-op + 1 inter-op thread (PredictorOptions default)", onnx, model, PredictorOptions.defaults(), x, warmup, calls);
        time("onnx backend, ONNX Runtime default threads (onnx.threads=default)", onnx, model,
                PredictorOptions.builder().property("onnx.threads", "default").build(), x, warmup, calls);
        time("onnx backend, 2 intra-op threads", onnx, model, PredictorOptions.builder().intraOpThreads(2).build(), x, warmup, calls);
        rawRuntime("ONNX Runtime directly, same graph, 1 thread, tensors made once", model, x, warmup, calls, 1);
        rawRuntime("ONNX Runtime directly, same graph, default threads, tensors made once", model, x, warmup, calls, 0);
        time("java reference engine (double)", new ReferenceBackendProvider(), model, PredictorOptions.defaults(), x,
                Math.max(1, warmup / 10), Math.max(1, calls / 10));
    }

    static SequenceModel seedModel() {
        Random rnd = new Random(2026);
        return SequenceModel.builder(10).name("seed-lstm50-dense10")
                .add(LstmLayer.builder(10, 50).outputMode(OutputMode.FINAL_STATE).weights(LstmWeights.of(10, 50,
                        uniform(rnd, 200 * 10, 0.14f), uniform(rnd, 200 * 50, 0.14f), uniform(rnd, 200, 0.14f), uniform(rnd, 200, 0.14f), null)).build())
                .add(DenseLayer.of("dense", DenseWeights.of(50, 10, uniform(rnd, 500, 0.3f), uniform(rnd, 10, 0.1f)), Activation.linear()))
                .build();
    }

    static FloatTensor input() {
        return FloatTensor.of(new int[] {1, 100, 10}, uniform(new Random(7), 1000, 1f));
    }

    private static float[] uniform(Random rnd, int n, float s) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (rnd.nextFloat() * 2 - 1) * s;
        }
        return a;
    }

    private static void time(String label, org.lstm4j.backend.BackendProvider provider, SequenceModel model, PredictorOptions options,
                             FloatTensor x, int warmup, int calls) {
        try (Predictor p = provider.compile(model, options)) {
            for (int i = 0; i < warmup; i++) {
                p.predict(x);
            }
            long[] ns = new long[calls];
            for (int i = 0; i < calls; i++) {
                long t0 = System.nanoTime();
                p.predict(x);
                ns[i] = System.nanoTime() - t0;
            }
            report(label, ns);
        }
    }

    private static void rawRuntime(String label, SequenceModel model, FloatTensor x, int warmup, int calls, int threads) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
            if (threads > 0) {
                so.setIntraOpNumThreads(threads);
                so.setInterOpNumThreads(threads);
            }
            try (OrtSession session = env.createSession(OnnxExporter.exportForExecution(model), so);
                 OnnxTensor xt = OnnxTensor.createTensor(env, FloatBuffer.wrap(x.toArray()), new long[] {1, 100, 10});
                 OnnxTensor lens = OnnxTensor.createTensor(env, IntBuffer.wrap(new int[] {100}), new long[] {1});
                 OnnxTensor h0 = OnnxTensor.createTensor(env, FloatBuffer.allocate(50), new long[] {1, 1, 50});
                 OnnxTensor c0 = OnnxTensor.createTensor(env, FloatBuffer.allocate(50), new long[] {1, 1, 50})) {
                Map<String, OnnxTensor> feeds = new HashMap<>();
                feeds.put("x", xt);
                feeds.put("seq_lens", lens);
                feeds.put("h0_0", h0);
                feeds.put("c0_0", c0);
                for (int i = 0; i < warmup; i++) {
                    try (OrtSession.Result r = session.run(feeds)) {
                        r.get(0);
                    }
                }
                long[] ns = new long[calls];
                for (int i = 0; i < calls; i++) {
                    long t0 = System.nanoTime();
                    try (OrtSession.Result r = session.run(feeds)) {
                        ((OnnxTensor) r.get(0)).getFloatBuffer();
                    }
                    ns[i] = System.nanoTime() - t0;
                }
                report(label, ns);
            }
        }
    }

    private static void report(String label, long[] ns) {
        long[] s = ns.clone();
        Arrays.sort(s);
        double mean = Arrays.stream(s).average().orElse(0);
        System.out.printf("%-78s median %8.1f us  p90 %8.1f us  p99 %8.1f us  mean %8.1f us%n", label,
                s[s.length / 2] / 1e3, s[(int) (s.length * 0.9)] / 1e3, s[(int) (s.length * 0.99)] / 1e3, mean / 1e3);
    }
}
