package org.lstm4j.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Iterator;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.lstm4j.model.SequenceModel;
import org.lstm4j.onnx.OnnxExporter;
import org.lstm4j.spark.LstmTransformer;

/**
 * Batch scoring on Spark: generates a Parquet dataset of sequences shaped for the seed model (100 steps of 10
 * features, {@code array<array<float>>}), scores it with {@link LstmTransformer} on a {@code local[2]} session and
 * writes the predictions to Parquet, then prints rows per second of the scoring job (read, score, write).
 *
 * <pre>./lstm example spark [rows (100000)] [backend (the default)] [dir]</pre>
 *
 * Without {@code dir} the files go to a temporary folder that is deleted at the end. Batches of 64 rows. On a cluster the same
 * transformer runs unchanged under {@code spark-submit} (README, "Spark").
 */
public final class SparkScoringExample {
    private static final int TIME = 100;
    private static final int BATCH_SIZE = 64;
    private static final StructType SCHEMA = new StructType()
            .add("id", DataTypes.LongType, false)
            .add("window", DataTypes.createArrayType(DataTypes.createArrayType(DataTypes.FloatType, false), false), false);

    private SparkScoringExample() {
    }

    public static void main(String[] args) {
        Options o = Options.parse(args);
        Path dir = o.dir != null ? o.dir : temporaryFolder();
        SparkSession spark = SparkSession.builder().master("local[2]").appName("lstm4j spark example")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
                .getOrCreate();
        try {
            run(spark, o, dir);
        } finally {
            spark.stop();
            if (o.dir == null) {
                delete(dir);
            }
        }
    }

    private static void run(SparkSession spark, Options o, Path dir) {
        SequenceModel seed = SeedModelExample.model();
        Path modelFile = dir.resolve("seed.onnx");
        write(modelFile, OnnxExporter.export(seed));
        String sequences = dir.resolve("sequences.parquet").toString();
        String scores = dir.resolve("scores.parquet").toString();

        long t0 = System.nanoTime();
        spark.range(0, o.rows, 1, 8).toDF().mapPartitions(new Generate(seed.inputSize()), Encoders.row(SCHEMA))
                .write().mode("overwrite").parquet(sequences);
        System.out.printf(Locale.ROOT, "generated %,d sequences of %d x %d floats in %s (%.1f s)%n", o.rows, TIME,
                seed.inputSize(), sequences, seconds(t0));

        LstmTransformer lstm = new LstmTransformer()
                .setModelPath(modelFile.toUri().toString())
                .setInputCol("window")
                .setOutputCol("prediction")
                .setBatchSize(BATCH_SIZE);
        if (o.backend != null) {
            lstm.setBackend(o.backend);
        }
        long t1 = System.nanoTime();
        lstm.transform(spark.read().parquet(sequences)).select("id", "prediction").write().mode("overwrite").parquet(scores);
        double s = seconds(t1);
        Dataset<Row> out = spark.read().parquet(scores);
        System.out.printf(Locale.ROOT, "scored %,d rows on local[2] (backend %s, batch size %d) into %s in %.1f s: %,.0f rows per second%n",
                out.count(), o.backend == null ? "default" : o.backend, BATCH_SIZE, scores, s, o.rows / s);
        out.orderBy("id").show(3, 80);
    }

    /** Rows (id, window) with each id's window drawn from a generator seeded by the id: the same data on every run. */
    private static final class Generate implements MapPartitionsFunction<Row, Row> {
        private static final long serialVersionUID = 1L;
        private final int features;

        Generate(int features) {
            this.features = features;
        }

        @Override
        public Iterator<Row> call(Iterator<Row> ids) {
            return new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return ids.hasNext();
                }

                @Override
                public Row next() {
                    long id = ids.next().getLong(0);
                    Random rnd = new Random(id);
                    float[][] window = new float[TIME][features];
                    for (float[] step : window) {
                        for (int k = 0; k < features; k++) {
                            step[k] = rnd.nextFloat() * 2 - 1;
                        }
                    }
                    return RowFactory.create(id, window);
                }
            };
        }
    }

    /** {@code [rows] [backend] [dir]}, positional as the other examples' arguments. */
    private record Options(long rows, String backend, Path dir) {
        static Options parse(String[] args) {
            if (args.length > 3) {
                throw new IllegalArgumentException("arguments: [rows] [backend] [dir]; got " + String.join(" ", args));
            }
            long rows = args.length > 0 ? Long.parseLong(args[0].replace("_", "").replace(",", "")) : 100_000;
            if (rows < 1) {
                throw new IllegalArgumentException("rows must be at least 1, got " + args[0]);
            }
            return new Options(rows, args.length > 1 ? args[1] : null, args.length > 2 ? Path.of(args[2]) : null);
        }
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private static Path temporaryFolder() {
        try {
            return Files.createTempDirectory("lstm4j-spark-example");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path file, byte[] bytes) {
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            System.err.println("could not delete " + dir + ": " + e);
        }
    }
}
