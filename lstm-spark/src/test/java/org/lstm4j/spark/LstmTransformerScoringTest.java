package org.lstm4j.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.lstm4j.backend.Backends;
import org.lstm4j.model.SequenceModel;
import org.lstm4j.onnx.OnnxImporter;
import org.lstm4j.predict.Padding;
import org.lstm4j.predict.PortBinding;
import org.lstm4j.predict.Predictor;
import org.lstm4j.predict.SequenceBatch;
import org.lstm4j.predict.StepMask;
import org.lstm4j.tensor.FloatTensor;
import org.lstm4j.testing.Fixture;

/**
 * Spark's outputs equal one JVM's {@code Predictor.predict} on the same backend, bit for bit: the reference runs the
 * rows of each partition in the batches Spark forms ({@code batchSize} consecutive rows), since an engine such as
 * java-fast may round differently for different batch compositions.
 */
class LstmTransformerScoringTest {

    @ParameterizedTest
    @ValueSource(strings = {"java-fast", "onnx"})
    void stepArraysScoreAsPredictDoes(String backend) {
        byte[] onnx = TestData.onnx(TestData.seedModel(1));
        Dataset<Row> data = TestData.stepsDataset(TestData.sequences(2, 45, 12, 10), 3);
        int batchSize = 8;

        List<Row> scored = new LstmTransformer().setModel(onnx, "seed.onnx").setBackend(backend).setBatchSize(batchSize)
                .setInputCol("features").setOutputCol("y").transform(data).collectAsList();

        List<float[]> expected;
        try (Predictor p = Backends.select(backend).compile(TestData.imported(onnx))) {
            expected = TestData.expected(p, TestData.partitions(data), batchSize, rows -> TestData.stepsBatch(rows, 1));
        }
        assertEquals(45, scored.size());
        assertEquals(DataTypes.createArrayType(DataTypes.FloatType, false), scored.get(0).schema().apply("y").dataType());
        for (int i = 0; i < scored.size(); i++) {
            assertEquals(i, scored.get(i).getLong(0), "row order");
            assertArrayEquals(expected.get(i), TestData.floats(scored.get(i).get(2)), "row " + i);
        }
    }

    @Test
    void flatArraysScoreAsTheirStepArrays() {
        byte[] onnx = TestData.onnx(TestData.seedModel(3));
        List<float[][]> seqs = TestData.sequences(4, 20, 9, 10);
        StructType schema = new StructType().add("id", DataTypes.LongType)
                .add("flat", DataTypes.createArrayType(DataTypes.FloatType));
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < seqs.size(); i++) {
            float[] flat = new float[9 * 10];
            for (int t = 0; t < 9; t++) {
                System.arraycopy(seqs.get(i)[t], 0, flat, t * 10, 10);
            }
            rows.add(RowFactory.create((long) i, flat));
        }
        LstmTransformer lstm = new LstmTransformer().setModel(onnx, "seed.onnx").setBackend("java-fast").setBatchSize(5);

        List<Row> fromFlat = lstm.setInputCol("flat").transform(TestData.dataset(rows, schema, 2)).collectAsList();
        List<Row> fromSteps = lstm.setInputCol("features").transform(TestData.stepsDataset(seqs, 2)).collectAsList();

        for (int i = 0; i < seqs.size(); i++) {
            assertArrayEquals(TestData.floats(fromSteps.get(i).get(2)), TestData.floats(fromFlat.get(i).get(2)), "row " + i);
        }
    }

    @Test
    void everyStepOutputsAreTimeByOutArrays() {
        byte[] onnx = TestData.onnx(TestData.everyStepModel(5));
        Dataset<Row> data = TestData.stepsDataset(TestData.sequences(6, 17, 7, 4), 2);

        List<Row> scored = new LstmTransformer().setModel(onnx, "bi.onnx").setBackend("java-fast").setBatchSize(4)
                .transform(data).collectAsList();

        assertEquals(DataTypes.createArrayType(DataTypes.createArrayType(DataTypes.FloatType, false), false),
                scored.get(0).schema().apply("prediction").dataType());
        List<float[]> expected;
        try (Predictor p = Backends.select("java-fast").compile(TestData.imported(onnx))) {
            expected = TestData.expected(p, TestData.partitions(data), 4, rows -> TestData.stepsBatch(rows, 1));
        }
        for (int i = 0; i < scored.size(); i++) {
            float[][] y = TestData.steps(scored.get(i).get(2));
            assertEquals(7, y.length);
            assertEquals(3, y[0].length);
            assertArrayEquals(expected.get(i), TestData.flat(scored.get(i).get(2)), "row " + i);
        }
    }

    @ParameterizedTest
    @EnumSource(Padding.class)
    void paddedRowsScoreWithTheirLengths(Padding padding) {
        byte[] onnx = TestData.onnx(TestData.everyStepModel(7));
        List<float[][]> seqs = TestData.sequences(8, 23, 10, 4);
        Random rnd = new Random(9);
        StructType schema = TestData.STEPS.add("len", DataTypes.IntegerType);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < seqs.size(); i++) {
            rows.add(RowFactory.create((long) i, seqs.get(i), 1 + rnd.nextInt(10)));
        }
        Dataset<Row> data = TestData.dataset(rows, schema, 3);

        List<Row> scored = new LstmTransformer().setModel(onnx, "bi.onnx").setBackend("java-fast").setBatchSize(6)
                .setLengthCol("len").setPadding(padding.name().toLowerCase()).transform(data).collectAsList();

        List<float[]> expected;
        try (Predictor p = Backends.select("java-fast").compile(TestData.imported(onnx))) {
            expected = TestData.expected(p, TestData.partitions(data), 6, chunk -> TestData.stepsBatch(chunk, 1)
                    .withLengths(chunk.stream().mapToInt(r -> r.getInt(2)).toArray()).withPadding(padding));
        }
        for (int i = 0; i < scored.size(); i++) {
            assertArrayEquals(expected.get(i), TestData.flat(scored.get(i).get(3)), "row " + i);
        }
    }

    @Test
    void maskColumnsMaskTheirSteps() {
        // Masks with holes need a backend that declares ARBITRARY_MASKS: the reference engine.
        byte[] onnx = TestData.onnx(TestData.everyStepModel(11));
        List<float[][]> seqs = TestData.sequences(12, 14, 6, 4);
        Random rnd = new Random(13);
        StructType schema = TestData.STEPS.add("valid", DataTypes.createArrayType(DataTypes.BooleanType));
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < seqs.size(); i++) {
            boolean[] valid = new boolean[6];
            for (int t = 0; t < 6; t++) {
                valid[t] = rnd.nextInt(3) > 0;
            }
            rows.add(RowFactory.create((long) i, seqs.get(i), valid));
        }
        Dataset<Row> data = TestData.dataset(rows, schema, 2);

        List<Row> scored = new LstmTransformer().setModel(onnx, "bi.onnx").setBackend("java").setBatchSize(4)
                .setMaskCol("valid").transform(data).collectAsList();

        List<float[]> expected;
        try (Predictor p = Backends.select("java").compile(TestData.imported(onnx))) {
            expected = TestData.expected(p, TestData.partitions(data), 4, chunk -> TestData.stepsBatch(chunk, 1)
                    .withMask(StepMask.of(chunk.stream().map(r -> booleans(r.get(2))).toArray(boolean[][]::new))));
        }
        for (int i = 0; i < scored.size(); i++) {
            assertArrayEquals(expected.get(i), TestData.flat(scored.get(i).get(3)), "row " + i);
        }
    }

    @Test
    void rowsOfDifferentLengthsAreScoredAsTheyAre() {
        // The reference engine's outputs do not depend on a row's neighbours, so each row equals its own predict.
        byte[] onnx = TestData.onnx(TestData.seedModel(14));
        Random rnd = new Random(15);
        List<float[][]> seqs = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            seqs.addAll(TestData.sequences(100 + i, 1, 3 + rnd.nextInt(5), 10));
        }

        List<Row> scored = new LstmTransformer().setModel(onnx, "seed.onnx").setBackend("java").setBatchSize(8)
                .transform(TestData.stepsDataset(seqs, 2)).collectAsList();

        try (Predictor p = Backends.select("java").compile(TestData.imported(onnx))) {
            for (int i = 0; i < seqs.size(); i++) {
                float[] alone = p.predict(FloatTensor.of(new float[][][] {seqs.get(i)})).output().toArray();
                assertArrayEquals(alone, TestData.floats(scored.get(i).get(2)), "row " + i + " (" + seqs.get(i).length + " steps)");
            }
        }
    }

    @Test
    void namedOutputsFormAStructOfEachOutputLessTheBatchAxis() {
        // A real PyTorch export: y [time, batch, 10] (time-major), hn and cn [4, batch, 5] (layers x directions first).
        Fixture fixture = Fixture.group("pytorch").stream().filter(f -> f.name().equals("states_bidir2_tm_torchscript"))
                .findFirst().orElseThrow();
        byte[] onnx = fixture.modelBytes();
        SequenceModel model = OnnxImporter.importModel(onnx, "states.onnx");
        Dataset<Row> data = TestData.stepsDataset(TestData.sequences(16, 11, 5, 3), 2);

        List<Row> scored = new LstmTransformer().setModel(onnx, "states.onnx").setBackend("java-fast").setBatchSize(4)
                .setOutputs("hn", "y", "cn").transform(data).collectAsList();

        StructType struct = (StructType) scored.get(0).schema().apply("prediction").dataType();
        assertArrayEquals(new String[] {"hn", "y", "cn"}, struct.fieldNames());
        assertEquals(2, depth(struct.apply("y").dataType()));
        assertEquals(2, depth(struct.apply("hn").dataType()));
        List<List<Row>> partitions = TestData.partitions(data);
        int row = 0;
        try (Predictor p = Backends.select("java-fast").compile(model)) {
            for (List<Row> partition : partitions) {
                for (int from = 0; from < partition.size(); from += 4) {
                    List<Row> chunk = partition.subList(from, Math.min(partition.size(), from + 4));
                    Map<String, FloatTensor> out = PortBinding.toOutputs(model, p.predict(TestData.stepsBatch(chunk, 1)));
                    for (int b = 0; b < chunk.size(); b++, row++) {
                        Row got = scored.get(row).getStruct(2);
                        assertArrayEquals(slice(out.get("y"), 1, b), TestData.flat(got.get(1)), "y of row " + row);
                        assertArrayEquals(slice(out.get("hn"), 1, b), TestData.flat(got.get(0)), "hn of row " + row);
                        assertArrayEquals(slice(out.get("cn"), 1, b), TestData.flat(got.get(2)), "cn of row " + row);
                    }
                }
            }
        }
        assertEquals(11, row);
    }

    /** {@code t[:, b, :]} of a rank-3 tensor whose batch axis is 1, flattened. */
    private static float[] slice(FloatTensor t, int batchAxis, int b) {
        assertEquals(1, batchAxis);
        float[] out = new float[t.dim(0) * t.dim(2)];
        for (int i = 0; i < t.dim(0); i++) {
            for (int k = 0; k < t.dim(2); k++) {
                out[i * t.dim(2) + k] = t.get(i, b, k);
            }
        }
        return out;
    }

    private static int depth(org.apache.spark.sql.types.DataType t) {
        return t instanceof ArrayType a ? 1 + depth(a.elementType()) : 0;
    }

    private static boolean[] booleans(Object value) {
        if (value instanceof boolean[] b) {
            return b;
        }
        scala.collection.Seq<?> s = (scala.collection.Seq<?>) value;
        boolean[] out = new boolean[s.length()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (Boolean) s.apply(i);
        }
        return out;
    }
}
