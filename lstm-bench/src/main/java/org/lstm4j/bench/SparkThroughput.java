package org.lstm4j.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.lstm4j.model.SequenceModel;
import org.lstm4j.onnx.OnnxExporter;
import org.lstm4j.onnx.OnnxImporter;
import org.lstm4j.predict.Predictor;
import org.lstm4j.spark.LstmTransformer;
import org.lstm4j.tensor.FloatTensor;

/**
 * Rows per second of {@link LstmTransformer} on a {@code local[1]} and a {@code local[2]} session against one JVM
 * calling {@code Predictor.predict} on the same rows with the same batch size, for the benchmark shapes (b) (the
 * seed model, batch 1) and (c) (batch 64, LSTM(256) returning every step). Spark scores a cached DataFrame and
 * writes to the {@code noop} sink, so every output is computed and encoded; the single JVM calls predict on
 * prebuilt tensors. Both wall-clock and process CPU time are kept (see {@link Timing}): on a shared machine the CPU
 * figures compare per-core efficiency, and only a quiet machine's wall figures show how 2 cores scale.
 * Run by {@code tools/bench/spark.sh}, which writes {@code benchmarks/results/<date>/spark/}.
 *
 * <pre>SparkThroughput OUT_DIR [--shapes b,c] [--backends java-fast,onnx] [--rows b=20000,c=6400] [--runs 3] [--partitions 8]</pre>
 */
public final class SparkThroughput {
    private static final StructType SCHEMA = new StructType().add("id", DataTypes.LongType, false)
            .add("features", DataTypes.createArrayType(DataTypes.createArrayType(DataTypes.FloatType, false), false), false);

    private SparkThroughput() {
    }

    /** One measurement: rows per second of wall-clock and of process CPU time, medians over the runs. */
    record Rate(double rowsPerWallSecond, double rowsPerCpuSecond, List<Double> wallSeconds, List<Double> cpuSeconds,
                String loadBefore, String loadAfter) {
        String json() {
            return String.format(Locale.ROOT, "{\"rows_per_wall_s\": %.1f, \"rows_per_cpu_s\": %.1f, \"wall_s\": %s, \"cpu_s\": %s, "
                    + "\"loadavg_before\": \"%s\", \"loadavg_after\": \"%s\"}", rowsPerWallSecond, rowsPerCpuSecond, wallSeconds,
                    cpuSeconds, loadBefore, loadAfter);
        }
    }

    interface Run {
        void run() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        Map<String, String> opt = options(Arrays.copyOfRange(args, 1, args.length));
        List<BenchShape> shapes = Arrays.stream(opt.getOrDefault("shapes", "b,c").split(",")).map(BenchShape::of).toList();
        List<String> backends = List.of(opt.getOrDefault("backends", "java-fast,onnx").split(","));
        Map<Character, Integer> rows = new LinkedHashMap<>();
        for (String kv : opt.getOrDefault("rows", "b=20000,c=6400").split(",")) {
            rows.put(kv.charAt(0), Integer.parseInt(kv.substring(2)));
        }
        int runs = Integer.parseInt(opt.getOrDefault("runs", "3"));
        int partitions = Integer.parseInt(opt.getOrDefault("partitions", "8"));
        Files.createDirectories(out);

        Map<String, Rate> results = new LinkedHashMap<>();
        Map<BenchShape, List<float[][]>> data = new LinkedHashMap<>();
        Map<BenchShape, byte[]> models = new LinkedHashMap<>();
        for (BenchShape s : shapes) {
            data.put(s, sequences(s, rows.get(s.letter)));
            models.put(s, OnnxExporter.export(BenchModels.random(s)));
            for (String backend : backends) {
                results.put(key(s, backend, "single-jvm"), singleJvm(s, backend, models.get(s), data.get(s), runs));
                log(s, backend, "single-jvm", results);
            }
        }
        for (int cores : new int[] {1, 2}) {
            SparkSession spark = SparkSession.builder().master("local[" + cores + "]").appName("lstm4j spark throughput")
                    .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
                    .config("spark.driver.bindAddress", "127.0.0.1").getOrCreate();
            try {
                for (BenchShape s : shapes) {
                    Dataset<Row> df = dataset(spark, data.get(s), partitions).cache();
                    df.count();
                    byte[] onnx = models.get(s);
                    for (String backend : backends) {
                        LstmTransformer lstm = new LstmTransformer().setModel(onnx, "bench-" + s.letter + ".onnx").setBackend(backend)
                                .setBatchSize(s.batch).setOutputCol("y");
                        String k = key(s, backend, "spark-local-" + cores);
                        results.put(k, measure(data.get(s).size(), runs,
                                () -> lstm.transform(df).write().format("noop").mode("overwrite").save()));
                        log(s, backend, "spark-local-" + cores, results);
                    }
                    df.unpersist(true);
                }
            } finally {
                spark.stop();
            }
        }
        write(out, shapes, backends, rows, runs, partitions, results);
    }

    /**
     * One thread calling predict over the rows, {@code batch} at a time, on tensors built beforehand; the model imported
     * from the ONNX bytes the executors import.
     */
    private static Rate singleJvm(BenchShape s, String backend, byte[] onnx, List<float[][]> seqs, int runs) throws Exception {
        SequenceModel model = OnnxImporter.importModel(onnx, "bench-" + s.letter + ".onnx");
        List<FloatTensor> batches = new ArrayList<>();
        for (int from = 0; from < seqs.size(); from += s.batch) {
            batches.add(FloatTensor.of(seqs.subList(from, Math.min(seqs.size(), from + s.batch)).toArray(new float[0][][])));
        }
        try (Predictor p = BenchBackends.open(backend).compile(model, BenchBackends.options(1))) {
            return measure(seqs.size(), runs, () -> {
                for (FloatTensor x : batches) {
                    p.predict(x);
                }
            });
        }
    }

    /** One warm-up pass, then {@code runs} timed passes over {@code rows} rows. */
    private static Rate measure(int rows, int runs, Run pass) throws Exception {
        String before = loadAverage();
        pass.run();
        List<Double> wall = new ArrayList<>();
        List<Double> cpu = new ArrayList<>();
        for (int r = 0; r < runs; r++) {
            long c0 = Timing.processCpuNanos();
            long t0 = System.nanoTime();
            pass.run();
            wall.add((System.nanoTime() - t0) / 1e9);
            cpu.add((Timing.processCpuNanos() - c0) / 1e9);
        }
        double w = Timing.median(wall.stream().mapToDouble(Double::doubleValue).toArray(), runs);
        double c = Timing.median(cpu.stream().mapToDouble(Double::doubleValue).toArray(), runs);
        return new Rate(rows / w, rows / c, wall, cpu, before, loadAverage());
    }

    private static List<float[][]> sequences(BenchShape s, int rows) {
        Random rnd = new Random(11);
        List<float[][]> out = new ArrayList<>(rows);
        for (int r = 0; r < rows; r++) {
            float[][] seq = new float[s.time][s.input];
            for (float[] step : seq) {
                for (int k = 0; k < step.length; k++) {
                    step[k] = rnd.nextFloat() * 2 - 1;
                }
            }
            out.add(seq);
        }
        return out;
    }

    private static Dataset<Row> dataset(SparkSession spark, List<float[][]> seqs, int partitions) {
        List<Row> rows = new ArrayList<>(seqs.size());
        for (int i = 0; i < seqs.size(); i++) {
            rows.add(RowFactory.create((long) i, seqs.get(i)));
        }
        return spark.createDataFrame(JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(rows, partitions), SCHEMA);
    }

    private static String key(BenchShape s, String backend, String runner) {
        return s.letter + "/" + backend + "/" + runner;
    }

    private static void log(BenchShape s, String backend, String runner, Map<String, Rate> results) {
        Rate r = results.get(key(s, backend, runner));
        System.err.printf(Locale.ROOT, "(%c) %-9s %-14s %10.1f rows/s wall %10.1f rows/cpu-s  (load %s)%n", s.letter, backend, runner,
                r.rowsPerWallSecond(), r.rowsPerCpuSecond(), r.loadAfter());
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("options are --shapes, --backends, --rows, --runs, --partitions, each with a value; got "
                        + Arrays.toString(args));
            }
            m.put(args[i].substring(2), args[i + 1]);
        }
        return m;
    }

    private static void write(Path out, List<BenchShape> shapes, List<String> backends, Map<Character, Integer> rows, int runs,
                              int partitions, Map<String, Rate> results) throws IOException {
        StringBuilder json = new StringBuilder("{\n");
        json.append("  \"commit\": \"").append(System.getenv().getOrDefault("BENCH_COMMIT", "unknown")).append("\",\n");
        json.append("  \"command\": \"").append(System.getenv().getOrDefault("BENCH_COMMAND", "SparkThroughput")).append("\",\n");
        json.append("  \"java\": \"").append(System.getProperty("java.version")).append("\",\n");
        json.append("  \"spark\": \"").append(org.apache.spark.package$.MODULE$.SPARK_VERSION()).append("\",\n");
        json.append("  \"processors\": ").append(Runtime.getRuntime().availableProcessors()).append(",\n");
        json.append(String.format(Locale.ROOT, "  \"settings\": {\"rows\": \"%s\", \"runs\": %d, \"partitions\": %d, "
                + "\"engine_threads\": 1, \"spark_sink\": \"noop\", \"input\": \"cached DataFrame, array<array<float>>\"},%n", rows, runs,
                partitions));
        json.append("  \"results\": {\n");
        int i = 0;
        for (Map.Entry<String, Rate> e : results.entrySet()) {
            json.append("    \"").append(e.getKey()).append("\": ").append(e.getValue().json()).append(++i < results.size() ? ",\n" : "\n");
        }
        json.append("  }\n}\n");
        Files.writeString(out.resolve("results.json"), json);

        StringBuilder md = new StringBuilder("# LstmTransformer on Spark against one JVM\n\n");
        md.append("Commit ").append(System.getenv().getOrDefault("BENCH_COMMIT", "unknown")).append(", Spark ")
                .append(org.apache.spark.package$.MODULE$.SPARK_VERSION()).append(", `").append(System.getenv().getOrDefault("BENCH_COMMAND",
                        "SparkThroughput")).append("`; raw figures and load averages in results.json.\n\n");
        md.append("| shape | backend | one JVM rows/s (wall / CPU) | Spark local[1] (wall / CPU) | Spark local[2] (wall / CPU) "
                + "| local[1] / one JVM (wall / CPU) | local[2] / local[1] (wall) |\n|---|---|---|---|---|---|---|\n");
        for (BenchShape s : shapes) {
            for (String backend : backends) {
                Rate one = results.get(key(s, backend, "single-jvm"));
                Rate l1 = results.get(key(s, backend, "spark-local-1"));
                Rate l2 = results.get(key(s, backend, "spark-local-2"));
                md.append(String.format(Locale.ROOT, "| (%c) | %s | %.0f / %.0f | %.0f / %.0f | %.0f / %.0f | %.2f / %.2f | %.2f |%n", s.letter,
                        backend, one.rowsPerWallSecond(), one.rowsPerCpuSecond(), l1.rowsPerWallSecond(), l1.rowsPerCpuSecond(),
                        l2.rowsPerWallSecond(), l2.rowsPerCpuSecond(), l1.rowsPerWallSecond() / one.rowsPerWallSecond(),
                        l1.rowsPerCpuSecond() / one.rowsPerCpuSecond(), l2.rowsPerWallSecond() / l1.rowsPerWallSecond()));
            }
        }
        md.append("\nTargets: local[1] at least 0.80 of one JVM; local[2] at least 1.7 x local[1] (wall-clock, on a quiet machine).\n");
        Files.writeString(out.resolve("results.md"), md);
        System.out.print(md);
    }
}
