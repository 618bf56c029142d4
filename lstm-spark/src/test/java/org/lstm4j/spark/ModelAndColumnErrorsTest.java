package org.lstm4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.SparkException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lstm4j.onnx.OnnxImportException;

/** A model the job cannot have, or columns that do not fit it, fail with a message that says which and why. */
class ModelAndColumnErrorsTest {
    private static final byte[] ONNX = TestData.onnx(TestData.seedModel(41));

    @TempDir
    Path dir;

    private static Dataset<Row> data() {
        return TestData.stepsDataset(TestData.sequences(42, 4, 3, 10), 2);
    }

    @Test
    void aModelPathThatCannotBeReadNamesThePathAndWhereItIsRead() {
        String path = dir.resolve("missing").resolve("model.onnx").toUri().toString();
        LstmTransformer lstm = new LstmTransformer().setModelPath(path);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> lstm.transform(data()));

        assertTrue(e.getMessage().contains("cannot read the model at modelPath '" + path + "' (no such file)"), e.getMessage());
        assertTrue(e.getMessage().contains("The driver reads it once through Hadoop's FileSystem"), e.getMessage());
    }

    @Test
    void aFileThatIsNotAModelFailsWithTheImportersMessage() throws IOException {
        Path file = Files.writeString(dir.resolve("notes.onnx"), "these are not weights");
        LstmTransformer lstm = new LstmTransformer().setModelPath(file.toString());

        OnnxImportException e = assertThrows(OnnxImportException.class, () -> lstm.transform(data()));
        assertTrue(e.getMessage().contains("notes.onnx"), e.getMessage());
    }

    @Test
    void executorsNeverReadTheModelPath() throws IOException {
        Path file = Files.write(dir.resolve("seed.onnx"), ONNX);
        Dataset<Row> scored = new LstmTransformer().setModelPath(file.toString()).setBackend("java-fast").transform(data());
        Files.delete(file);

        assertEquals(4, scored.collectAsList().size(), "the driver broadcast the bytes when transform was called");
    }

    @Test
    void aBackendTheExecutorsLackFailsTheJobNamingIt() {
        LstmTransformer lstm = new LstmTransformer().setModel(ONNX, "seed.onnx").setBackend("no-such-backend");

        SparkException e = assertThrows(SparkException.class, () -> lstm.transform(data()).collectAsList());
        assertTrue(e.getMessage().contains("lstm4j could not load model 'seed.onnx'"), e.getMessage());
        assertTrue(e.getMessage().contains("backend 'no-such-backend'"), e.getMessage());
        assertTrue(e.getMessage().contains("java-fast"), "lists the backends there are: " + e.getMessage());
    }

    @Test
    void doubleArraysAreRefusedWithTheCastThatFixesThem() {
        Dataset<Row> doubles = data().withColumn("features", functions.col("features").cast("array<array<double>>"));
        LstmTransformer lstm = new LstmTransformer().setModel(ONNX, "seed.onnx");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> lstm.transform(doubles));
        assertEquals("inputCol 'features' is array<array<double>>; model 'seed-41' needs array<array<float>> (time x features) or "
                + "array<float> (time x features, step after step) with 10 features per step; the model computes in float32: "
                + "cast the column, e.g. col(\"features\").cast(\"array<array<float>>\")", e.getMessage());
    }

    @Test
    void columnsThatAreMissingOrTakenAreNamed() {
        LstmTransformer lstm = new LstmTransformer().setModel(ONNX, "seed.onnx");

        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> lstm.setInputCol("window").transform(data()));
        assertEquals("inputCol 'window' is not a column; the columns are [id, features]", missing.getMessage());
        IllegalArgumentException taken = assertThrows(IllegalArgumentException.class,
                () -> lstm.setInputCol("features").setOutputCol("id").transform(data()));
        assertEquals("outputCol 'id' already exists; choose another name", taken.getMessage());
        Dataset<Row> withIds = data().withColumn("ids", functions.array(functions.col("id")));
        IllegalArgumentException tokens = assertThrows(IllegalArgumentException.class,
                () -> lstm.setInputCol("ids").setOutputCol("y").transform(withIds));
        assertTrue(tokens.getMessage().startsWith("inputCol 'ids' holds token ids (array<bigint>) but model 'seed-41' reads 10 "
                + "features per step"), tokens.getMessage());
        IllegalArgumentException unknownOutput = assertThrows(IllegalArgumentException.class,
                () -> new LstmTransformer().setModel(ONNX, "seed.onnx").setOutputs("hn").transform(data()));
        assertTrue(unknownOutput.getMessage().startsWith("model 'seed-41' has no output 'hn'; its outputs are ["),
                unknownOutput.getMessage());
    }

    @Test
    void parameterValuesAreChecked() {
        LstmTransformer lstm = new LstmTransformer();
        assertThrows(IllegalArgumentException.class, () -> lstm.setBatchSize(0));
        assertThrows(IllegalArgumentException.class, () -> lstm.setOnError("skip"));
        assertThrows(IllegalArgumentException.class, () -> lstm.setPadding("middle"));
        IllegalStateException none = assertThrows(IllegalStateException.class, () -> lstm.transform(data()));
        assertTrue(none.getMessage().endsWith("has no model: setModelPath(path) or setModel(bytes, fileName)"), none.getMessage());
        List<String> params = java.util.Arrays.stream(lstm.params()).map(p -> p.name()).sorted().toList();
        assertEquals(List.of("backend", "batchSize", "inputCol", "lengthCol", "maskCol", "modelPath", "nanPolicy", "onError",
                "outputCol", "outputs", "padding"), params);
    }
}
