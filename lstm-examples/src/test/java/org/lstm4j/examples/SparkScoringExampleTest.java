package org.lstm4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lstm4j.backend.Backends;
import org.lstm4j.predict.Predictor;
import org.lstm4j.tensor.FloatTensor;
import org.lstm4j.testing.TensorAssertions;
import org.lstm4j.testing.Tolerance;

/**
 * {@code ./lstm example spark} on a few rows: it generates the Parquet dataset, scores it on local[2] and reports rows
 * per second; each row's prediction is the reference engine {@code java}'s for the seed model on that row's window
 * (regenerated here from its id), within the project's float32 tolerance.
 */
class SparkScoringExampleTest {
    private static final int ROWS = 150;

    @Test
    void scoresTheGeneratedParquetAsTheReferenceEngineDoes(@TempDir Path dir) {
        String printed = run(String.valueOf(ROWS), "java-fast", dir.toString());
        assertTrue(printed.contains("scored 150 rows on local[2] (backend java-fast, batch size 64)"), printed);
        assertTrue(printed.contains("rows per second"), printed);

        SparkSession spark = SparkSession.builder().master("local[1]").appName("SparkScoringExampleTest")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
                .getOrCreate();
        try (Predictor reference = Backends.select("java").compile(SeedModelExample.model())) {
            List<Row> scores = spark.read().parquet(dir.resolve("scores.parquet").toString()).orderBy("id").collectAsList();
            assertEquals(ROWS, scores.size());
            for (Row row : scores) {
                long id = row.getLong(0);
                List<Float> got = row.getList(1);
                float[] y = new float[got.size()];
                for (int k = 0; k < y.length; k++) {
                    y[k] = got.get(k);
                }
                FloatTensor expected = reference.predict(FloatTensor.of(new int[] {1, 100, 10}, window(id))).output();
                TensorAssertions.assertClose(expected, FloatTensor.of(new int[] {1, y.length}, y), Tolerance.DEFAULT, "row " + id);
            }
        } finally {
            spark.stop();
        }
    }

    /** The window the example generates for {@code id}: 100 x 10 uniform values in [-1, 1) from Random(id). */
    private static float[] window(long id) {
        Random rnd = new Random(id);
        float[] x = new float[100 * 10];
        for (int i = 0; i < x.length; i++) {
            x[i] = rnd.nextFloat() * 2 - 1;
        }
        return x;
    }

    private static String run(String... args) {
        PrintStream out = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            SparkScoringExample.main(args);
        } finally {
            System.setOut(out);
        }
        String printed = buffer.toString(StandardCharsets.UTF_8);
        out.print(printed);
        return printed;
    }
}
