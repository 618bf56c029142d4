package org.lstm4j.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.spark.SparkException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.lstm4j.backend.Backends;
import org.lstm4j.predict.Predictor;
import org.lstm4j.tensor.FloatTensor;

/** A row that cannot be scored fails the job naming it (onError = fail) or gets a null output and is counted (null). */
class OnErrorTest {
    private static final StructType SCHEMA = TestData.STEPS.add("len", DataTypes.IntegerType);
    private static final byte[] ONNX = TestData.onnx(TestData.seedModel(31));

    /** 20 rows of 6 steps in two partitions (rows 0-9, 10-19); {@code bad} rows spoiled as {@link #spoil} says. */
    private static Dataset<Row> data(Set<Integer> bad) {
        List<float[][]> seqs = TestData.sequences(32, 20, 6, 10);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < seqs.size(); i++) {
            rows.add(bad.contains(i) ? spoil(i, seqs.get(i)) : RowFactory.create((long) i, seqs.get(i), 6));
        }
        return TestData.dataset(rows, SCHEMA, 2);
    }

    /** Row 3: a step with 9 features; 7: a null sequence; 12: NaN (refused under nanPolicy reject); 16: length 8 of 6 steps. */
    private static Row spoil(int i, float[][] s) {
        switch (i) {
            case 3:
                s[2] = new float[9];
                return RowFactory.create((long) i, s, 6);
            case 7:
                return RowFactory.create((long) i, null, 6);
            case 12:
                s[4][1] = Float.NaN;
                return RowFactory.create((long) i, s, 6);
            case 16:
                return RowFactory.create((long) i, s, 8);
            default:
                throw new IllegalArgumentException("row " + i);
        }
    }

    private static LstmTransformer lstm() {
        return new LstmTransformer().setModel(ONNX, "seed.onnx").setBackend("java").setBatchSize(4).setLengthCol("len")
                .setNanPolicy("reject");
    }

    @Test
    void failIsTheDefaultAndNamesTheRowAndTheReason() {
        SparkException e = assertThrows(SparkException.class, () -> lstm().transform(data(Set.of(3))).collectAsList());
        assertTrue(e.getMessage().contains("lstm4j could not score row 3 of partition 0"), e.getMessage());
        assertTrue(e.getMessage().contains("inputCol 'features': step 2 has 9 features, the model reads 10"), e.getMessage());
    }

    @Test
    void failNamesAValueTheEngineRefuses() {
        SparkException e = assertThrows(SparkException.class, () -> lstm().transform(data(Set.of(12))).collectAsList());
        assertTrue(e.getMessage().contains("lstm4j could not score row 2 of partition 1"), e.getMessage());
        assertTrue(e.getMessage().contains("NaN"), e.getMessage());
    }

    @Test
    void nullGivesTheRowsItCannotScoreANullOutputAndCountsThem() {
        Set<Integer> bad = Set.of(3, 7, 12, 16);
        LstmTransformer lstm = lstm().setOnError("null");
        List<Row> scored = lstm.transform(data(bad)).collectAsList();

        assertEquals(20, scored.size(), "no row is dropped");
        assertEquals(4L, lstm.errorCounter().value());
        assertEquals(lstm.errorCounterName(), lstm.errorCounter().name().get());
        List<float[][]> clean = TestData.sequences(32, 20, 6, 10);
        try (Predictor p = Backends.select("java").compile(TestData.imported(ONNX))) {
            for (int i = 0; i < 20; i++) {
                Object y = scored.get(i).get(3);
                assertEquals(i, scored.get(i).getLong(0));
                if (bad.contains(i)) {
                    assertNull(y, "row " + i);
                } else {
                    // The reference engine's rows do not depend on their neighbours: each equals its own predict.
                    float[] alone = p.predict(FloatTensor.of(new float[][][] {clean.get(i)})).output().toArray();
                    assertArrayEquals(alone, TestData.floats(y), "row " + i);
                }
            }
        }
    }
}
