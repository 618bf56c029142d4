package org.lstm4j.bench;

import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.lstm4j.backend.BackendProvider;
import org.lstm4j.backend.java.fast.FastJavaBackendProvider;
import org.lstm4j.model.LstmLayer;
import org.lstm4j.model.SequenceModel;
import org.lstm4j.predict.Predictor;
import org.lstm4j.predict.StreamingPredictor;
import org.lstm4j.tensor.FloatTensor;
import org.lstm4j.tensor.Npy;

/**
 * The Java half of tools/bench/run.sh: times every lstm4j backend, and ONNX Runtime's bare Java API,
 * on the shapes and weights the script wrote for PyTorch ({@code --data DIR/<a|b|c|d>/}), checks each
 * output against PyTorch's, and writes the medians as JSON for the script's table.
 *
 * <pre>java --add-modules jdk.incubator.vector -cp lstm-bench/target/benchmarks.jar org.lstm4j.bench.SideBySide \
 *     --data DIR --out java.json [--backends java,java-fast,...] [--shapes a,b,c,d] [--threads 1] [--quick]</pre>
 */
public final class SideBySide {

    private final Path data;
    private final int threads;
    private final boolean quick;
    private final List<String> rows = new ArrayList<>();

    private SideBySide(Path data, int threads, boolean quick) {
        this.data = data;
        this.threads = threads;
        this.quick = quick;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--quick")) {
                a.put("quick", "true");
            } else {
                a.put(args[i].replaceFirst("^--", ""), args[++i]);
            }
        }
        SideBySide run = new SideBySide(Path.of(a.get("data")), Integer.parseInt(a.getOrDefault("threads", "1")),
                a.containsKey("quick"));
        String[] backends = a.getOrDefault("backends", BenchBackends.ALL + ",ort-java").split(",");
        for (String shape : a.getOrDefault("shapes", "a,b,c,d").split(",")) {
            BenchShape s = BenchShape.of(shape);
            for (String b : backends) {
                run.measure(s, b.trim());
            }
        }
        String json = "{\n  \"java\": \"" + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version") + "\",\n"
                + "  \"java_fast_kernels\": \"" + new FastJavaBackendProvider().kernelDescription() + "\",\n"
                + "  \"onnxruntime_java\": \"" + OrtJavaBaseline.version() + "\",\n"
                + "  \"threads\": " + run.threads + ",\n  \"rows\": [\n    " + String.join(",\n    ", run.rows) + "\n  ]\n}\n";
        Files.writeString(Path.of(a.get("out")), json, StandardCharsets.UTF_8);
    }

    private void measure(BenchShape s, String backend) throws Exception {
        Path dir = data.resolve(String.valueOf(s.letter));
        SequenceModel model = BenchModels.fromPyTorch(s, dir);
        FloatTensor x = Npy.read(dir.resolve("x.npy")).toFloatTensor();
        FloatTensor expected = Npy.read(dir.resolve("expected.npy")).toFloatTensor();
        try {
            if (backend.equals("ort-java")) {
                measureBareOrt(s, dir, x, expected);
                return;
            }
            BackendProvider p = BenchBackends.open(backend);
            if ((backend.equals("java") || backend.equals(BenchBackends.FAST_SCALAR)) && s == BenchShape.D_LARGE
                    && !Boolean.getBoolean("bench.slowOnLarge")) {
                skip(s, backend, "tens of seconds per call at this size (the reference engine in double, or the scalar "
                        + "fallback kernels); -Dbench.slowOnLarge=true to time it");
                return;
            }
            try (Predictor predictor = p.compile(model, BenchBackends.options(threads))) {
                if (s == BenchShape.A_STREAMING) {
                    measureStream(s, backend, predictor, x, expected);
                } else {
                    float[] got = predictor.predict(x).output().toArray();
                    Timing.Result r = time(s, backend, () -> predictor.predict(x), 1);
                    row(s, backend, r, maxDiff(expected.toArray(), got), "per call");
                    if (backend.equals("onnx") && s != BenchShape.D_LARGE) {
                        measureExecutionForm(s, model, x);
                    }
                }
            }
        } catch (BenchBackends.Unavailable e) {
            skip(s, backend, e.getMessage());
        }
    }

    private void measureStream(BenchShape s, String backend, Predictor predictor, FloatTensor x, FloatTensor expected) throws Exception {
        int steps = x.dim(1);
        float[][] stepArrays = x.reshape(steps, s.input).toArray2d();
        FloatTensor[] stepTensors = new FloatTensor[steps];
        for (int t = 0; t < steps; t++) {
            stepTensors[t] = FloatTensor.of(new int[] {1, s.input}, stepArrays[t]);
        }
        float[] got = new float[steps * 10];
        try (StreamingPredictor stream = predictor.stream(1)) {
            for (int t = 0; t < steps; t++) {
                stream.step(stepTensors[t]).copyTo(got, t * 10);
            }
            // Each sample streams the whole sequence from a fresh state: a step's cost at every state it meets.
            Timing.Result r = time(s, backend, () -> {
                stream.reset();
                for (FloatTensor t : stepTensors) {
                    stream.step(t);
                }
            }, steps);
            row(s, backend, r, maxDiff(expected.toArray(), got), "per step");
        }
    }

    private void measureBareOrt(BenchShape s, Path dir, FloatTensor x, FloatTensor expected) throws Exception {
        byte[] onnx = Files.readAllBytes(dir.resolve("model.onnx"));
        try (OrtJavaBaseline ort = new OrtJavaBaseline(onnx, threads)) {
            if (s == BenchShape.A_STREAMING) {
                int steps = x.dim(1);
                float[][] stepArrays = x.reshape(steps, s.input).toArray2d();
                float[] last = ort.stream(stepArrays, s.hidden);
                float[] exp = expected.toArray();
                double diff = maxDiff(java.util.Arrays.copyOfRange(exp, exp.length - 10, exp.length), last);
                Timing.Result r = time(s, "ort-java", () -> ort.stream(stepArrays, s.hidden), steps);
                row(s, "ort-java", r, diff, "per step");
            } else {
                float[] xs = x.toArray();
                long[] shape = {x.dim(0), x.dim(1), x.dim(2)};
                float[] got = ort.run(xs, shape);
                Timing.Result r = time(s, "ort-java", () -> ort.run(xs, shape), 1);
                row(s, "ort-java", r, maxDiff(expected.toArray(), got), "per call");
            }
        }
    }

    /**
     * Bare ONNX Runtime Java on lstm4j's own execution-form export of the same model, if the exporter is on
     * the class path: the onnx backend's per-call overhead is its time over this one.
     */
    private void measureExecutionForm(BenchShape s, SequenceModel model, FloatTensor x) throws Exception {
        byte[] bytes;
        try {
            Method export = Class.forName("org.lstm4j.onnx.OnnxExporter").getMethod("exportForExecution", SequenceModel.class);
            bytes = (byte[]) export.invoke(null, model);
        } catch (ReflectiveOperationException e) {
            skip(s, "ort-java-same-graph", "org.lstm4j.onnx.OnnxExporter.exportForExecution is not on the class path: " + e);
            return;
        }
        List<LstmLayer> lstms = model.lstmLayers();
        int[] dirs = lstms.stream().mapToInt(LstmLayer::directionCount).toArray();
        int[] hidden = lstms.stream().mapToInt(LstmLayer::hiddenSize).toArray();
        float[] xs = x.toArray();
        long[] shape = {x.dim(0), x.dim(1), x.dim(2)};
        try (OrtJavaBaseline ort = new OrtJavaBaseline(bytes, threads)) {
            ort.runExecutionForm(xs, shape, lstms.size(), dirs, hidden);
            Timing.Result r = time(s, "ort-java-same-graph", () -> ort.runExecutionForm(xs, shape, lstms.size(), dirs, hidden), 1);
            row(s, "ort-java-same-graph", r, Double.NaN, "per call");
        }
    }

    private Timing.Result time(BenchShape s, String backend, Timing.Call call, int units) throws Exception {
        double scale = quick ? 0.4 : 1.0;
        boolean slow = backend.equals("java") || backend.equals(BenchBackends.FAST_SCALAR);
        switch (s) {
            case A_STREAMING:
            case B_SEQUENCE:
                return Timing.measure(call, units, (long) (1500 * scale), (long) (2000 * scale), 5, 400);
            case C_THROUGHPUT:
                return slow ? Timing.measure(call, units, 0, 0, 1, 1) : Timing.measure(call, units, (long) (2500 * scale), (long) (3000 * scale), 5, 40);
            default:
                return slow ? Timing.measure(call, units, 0, 0, 1, 1) : Timing.measure(call, units, (long) (3000 * scale), (long) (5000 * scale), 3, 15);
        }
    }

    private void row(BenchShape s, String backend, Timing.Result r, double diff, String unit) {
        String line = String.format(Locale.ROOT, "{\"shape\": \"%c\", \"backend\": \"%s\", \"unit\": \"%s\", %s, \"max_abs_diff_vs_pytorch\": %s}",
                s.letter, backend, unit, r.json(), Double.isNaN(diff) ? "null" : String.format(Locale.ROOT, "%.3g", diff));
        System.out.println(line);
        rows.add(line);
    }

    private void skip(BenchShape s, String backend, String why) {
        String line = String.format(Locale.ROOT, "{\"shape\": \"%c\", \"backend\": \"%s\", \"skipped\": \"%s\"}", s.letter, backend,
                why.replace("\\", "/").replace("\"", "'").replace("\n", " "));
        System.out.println(line);
        rows.add(line);
    }

    static double maxDiff(float[] expected, float[] got) {
        if (expected.length != got.length) {
            return Double.POSITIVE_INFINITY;
        }
        double m = 0;
        for (int i = 0; i < got.length; i++) {
            m = Math.max(m, Math.abs((double) expected[i] - got[i]));
        }
        return m;
    }
}
