package org.lstm4j.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.lstm4j.model.Activation;
import org.lstm4j.model.Direction;
import org.lstm4j.model.OutputMode;
import org.lstm4j.model.SequenceModel;
import org.lstm4j.onnx.OnnxExporter;
import org.lstm4j.onnx.OnnxImporter;
import org.lstm4j.predict.Predictor;
import org.lstm4j.predict.SequenceBatch;
import org.lstm4j.tensor.FloatTensor;
import org.lstm4j.testing.RandomModels;

/** Models, rows and the single-JVM reference the Spark tests compare with. */
final class TestData {
    static final StructType STEPS = new StructType()
            .add("id", DataTypes.LongType, false)
            .add("features", DataTypes.createArrayType(DataTypes.createArrayType(DataTypes.FloatType)));

    private TestData() {
    }

    /** The seed model's shape: LSTM(50) over 10 features, last output, then Dense(10). */
    static SequenceModel seedModel(long seed) {
        Random rnd = new Random(seed);
        return SequenceModel.builder(10).name("seed-" + seed)
                .add(RandomModels.lstm(rnd, 10, 50, Direction.FORWARD, false).outputMode(OutputMode.FINAL_STATE).build())
                .add(RandomModels.dense(rnd, 50, 10, Activation.linear()))
                .build();
    }

    /** A bidirectional LSTM(6) over 4 features outputting every step, then Dense(3). */
    static SequenceModel everyStepModel(long seed) {
        Random rnd = new Random(seed);
        return SequenceModel.builder(4).name("every-step-" + seed)
                .add(RandomModels.lstm(rnd, 4, 6, Direction.BIDIRECTIONAL, false).outputMode(OutputMode.SEQUENCES).build())
                .add(RandomModels.dense(rnd, 12, 3, Activation.linear()))
                .build();
    }

    static byte[] onnx(SequenceModel model) {
        return OnnxExporter.export(model);
    }

    /** The model as lstm4j imports its ONNX bytes: what the executors run. */
    static SequenceModel imported(byte[] onnx) {
        return OnnxImporter.importModel(onnx, "model.onnx");
    }

    /** {@code rows} sequences of {@code time} steps of {@code features} values in [-1, 1), id = row number. */
    static List<float[][]> sequences(long seed, int rows, int time, int features) {
        Random rnd = new Random(seed);
        List<float[][]> out = new ArrayList<>();
        for (int r = 0; r < rows; r++) {
            float[][] s = new float[time][features];
            for (float[] step : s) {
                for (int k = 0; k < features; k++) {
                    step[k] = rnd.nextFloat() * 2 - 1;
                }
            }
            out.add(s);
        }
        return out;
    }

    /** A dataset of (id, features) in {@code partitions} partitions of consecutive rows. */
    static Dataset<Row> stepsDataset(List<float[][]> sequences, int partitions) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < sequences.size(); i++) {
            rows.add(RowFactory.create((long) i, sequences.get(i)));
        }
        return dataset(rows, STEPS, partitions);
    }

    static Dataset<Row> dataset(List<Row> rows, StructType schema, int partitions) {
        SparkSession spark = SparkTestSession.get();
        return spark.createDataFrame(JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(rows, partitions), schema);
    }

    /** The rows of each partition of {@code data}, in order. */
    static List<List<Row>> partitions(Dataset<Row> data) {
        return data.javaRDD().glom().collect();
    }

    /**
     * What one JVM's {@code predict} gives for the rows of each partition taken {@code batchSize} at a time (the
     * batches Spark runs), one flat output per row, in order.
     */
    static List<float[]> expected(Predictor predictor, List<List<Row>> partitions, int batchSize,
                                  Function<List<Row>, SequenceBatch> batchOf) {
        List<float[]> out = new ArrayList<>();
        for (List<Row> partition : partitions) {
            for (int from = 0; from < partition.size(); from += batchSize) {
                List<Row> chunk = partition.subList(from, Math.min(partition.size(), from + batchSize));
                FloatTensor y = predictor.predict(batchOf.apply(chunk)).output();
                int per = y.size() / chunk.size();
                float[] all = y.toArray();
                for (int r = 0; r < chunk.size(); r++) {
                    out.add(java.util.Arrays.copyOfRange(all, r * per, (r + 1) * per));
                }
            }
        }
        return out;
    }

    /** The features column of {@code rows} as one [batch, time, features] tensor. */
    static SequenceBatch stepsBatch(List<Row> rows, int column) {
        List<float[][]> seqs = new ArrayList<>();
        for (Row r : rows) {
            seqs.add(steps(r.get(column)));
        }
        return SequenceBatch.of(FloatTensor.of(seqs.toArray(new float[0][][])));
    }

    /** A step-array value as the test wrote it (float[][]) or as Spark returns it (Seq of Seq). */
    static float[][] steps(Object value) {
        if (value instanceof float[][] f) {
            return f;
        }
        scala.collection.Seq<?> s = (scala.collection.Seq<?>) value;
        float[][] out = new float[s.length()][];
        for (int t = 0; t < out.length; t++) {
            out[t] = floats(s.apply(t));
        }
        return out;
    }

    /** A float-array value as written (float[]) or returned (Seq of Float). */
    static float[] floats(Object value) {
        if (value instanceof float[] f) {
            return f;
        }
        scala.collection.Seq<?> s = (scala.collection.Seq<?>) value;
        float[] out = new float[s.length()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (Float) s.apply(i);
        }
        return out;
    }

    /** Any nested float-array value flattened, row-major. */
    static float[] flat(Object value) {
        List<Float> out = new ArrayList<>();
        flatten(value, out);
        float[] f = new float[out.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = out.get(i);
        }
        return f;
    }

    private static void flatten(Object value, List<Float> out) {
        if (value instanceof Float f) {
            out.add(f);
        } else if (value instanceof scala.collection.Seq<?> s) {
            for (int i = 0; i < s.length(); i++) {
                flatten(s.apply(i), out);
            }
        } else {
            throw new IllegalArgumentException("not a float array: " + value);
        }
    }
}
