package org.lstm4j.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.SQLTransformer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An LstmTransformer is saved and loaded inside a PipelineModel, with its model, as Spark's own stages are. */
class LstmTransformerPersistenceTest {
    @TempDir
    Path dir;

    @Test
    void aSavedPipelineModelScoresTheSameWithoutTheOriginalModelFile() throws IOException {
        Path modelFile = Files.write(dir.resolve("seed.onnx"), TestData.onnx(TestData.seedModel(21)));
        Dataset<Row> data = TestData.stepsDataset(TestData.sequences(22, 13, 6, 10), 2);
        LstmTransformer lstm = new LstmTransformer().setModelPath(modelFile.toUri().toString()).setBackend("java-fast")
                .setBatchSize(7).setOutputCol("score").setOnError("null");
        SQLTransformer before = new SQLTransformer().setStatement("SELECT *, id * 2 AS twice FROM __THIS__");
        PipelineModel fitted = new Pipeline().setStages(new PipelineStage[] {before, lstm}).fit(data);
        List<Row> expected = fitted.transform(data).collectAsList();

        String saved = dir.resolve("pipeline").toUri().toString();
        fitted.write().overwrite().save(saved);
        Files.delete(modelFile);
        PipelineModel loaded = PipelineModel.load(saved);
        List<Row> got = loaded.transform(data).collectAsList();

        LstmTransformer stage = assertInstanceOf(LstmTransformer.class, loaded.stages()[1]);
        assertEquals(lstm.uid(), stage.uid());
        assertEquals(7, stage.getBatchSize());
        assertEquals("score", stage.getOutputCol());
        assertEquals("null", stage.getOnError());
        assertEquals("java-fast", stage.getBackend());
        assertEquals(modelFile.toUri().toString(), stage.getModelPath());
        assertEquals(13, got.size());
        for (int i = 0; i < got.size(); i++) {
            assertEquals(expected.get(i).getLong(2), got.get(i).getLong(2), "the SQL stage's column");
            assertArrayEquals(TestData.floats(expected.get(i).getAs("score")), TestData.floats(got.get(i).getAs("score")), "row " + i);
        }
    }

    @Test
    void aTransformerGivenBytesSavesAndLoadsThem() throws IOException {
        byte[] onnx = TestData.onnx(TestData.seedModel(23));
        Dataset<Row> data = TestData.stepsDataset(TestData.sequences(24, 6, 4, 10), 1);
        LstmTransformer lstm = new LstmTransformer().setModel(onnx, "given.onnx").setBackend("java-fast");

        String saved = dir.resolve("lstm").toString();
        lstm.save(saved);
        LstmTransformer loaded = LstmTransformer.load(saved);

        assertFalse(loaded.isSet(loaded.modelPath()));
        assertArrayEquals(onnx, Files.readAllBytes(dir.resolve("lstm").resolve("model").resolve("given.onnx")));
        assertTrue(Files.isDirectory(dir.resolve("lstm").resolve("metadata")), "Spark's parameter metadata");
        List<Row> expected = lstm.transform(data).collectAsList();
        List<Row> got = loaded.transform(data).collectAsList();
        for (int i = 0; i < got.size(); i++) {
            assertArrayEquals(TestData.floats(expected.get(i).get(2)), TestData.floats(got.get(i).get(2)), "row " + i);
        }
    }
}
