package org.lstm4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.lstm4j.backend.BackendSelectionException;
import org.lstm4j.predict.NanPolicy;

/** Executors import a model once per JVM, share or pool its predictors as they declare, and call them per batch. */
class ExecutorModelsTest {

    @Test
    void aModelIsImportedAndCompiledOncePerJvmWhateverThePartitionsAndTransforms() {
        byte[] onnx = TestData.onnx(TestData.seedModel(51));
        Dataset<Row> data = TestData.stepsDataset(TestData.sequences(52, 40, 5, 10), 4);
        long loads = ExecutorModels.loads();
        long compiles = ExecutorModels.compiles();

        new LstmTransformer().setModel(onnx, "seed.onnx").setBackend("java-fast").transform(data).collectAsList();
        new LstmTransformer().setModel(onnx, "again.onnx").setBackend("java-fast").setBatchSize(3).transform(data).collectAsList();

        assertEquals(1, ExecutorModels.loads() - loads, "imports");
        assertEquals(1, ExecutorModels.compiles() - compiles, "java-fast's predictor is thread-safe: one for every task thread");
    }

    @Test
    void predictorsThatAreNotThreadSafeServeOneTaskAtATimeAndRunWholeBatches() {
        // RecordingBackend's predictors say they are not thread-safe and fail when two threads call one at once.
        byte[] onnx = TestData.onnx(TestData.seedModel(53));
        Dataset<Row> data = TestData.stepsDataset(TestData.sequences(54, 100, 5, 10), 4);
        long compiles = ExecutorModels.compiles();
        RecordingBackend.BATCHES.clear();

        List<Row> scored = new LstmTransformer().setModel(onnx, "seed.onnx").setBackend(RecordingBackend.NAME).setBatchSize(10)
                .transform(data).collectAsList();

        assertEquals(100, scored.size());
        List<Integer> batches = new ArrayList<>(RecordingBackend.BATCHES);
        batches.sort(null);
        assertEquals(List.of(5, 5, 5, 5, 10, 10, 10, 10, 10, 10, 10, 10), batches,
                "4 partitions of 25 rows, 10 rows per engine call");
        long compiled = ExecutorModels.compiles() - compiles;
        assertTrue(compiled >= 1 && compiled <= 2, "one predictor per concurrent task (local[2]): " + compiled);
    }

    @Test
    void aBackendThatCannotBeSelectedFailsEveryTaskAlike() {
        // Every task of a job borrows; a failed first borrow must not leave a half-made entry (a model, no backend).
        ExecutorModels.Key key = new ExecutorModels.Key("no-such-backend-" + System.nanoTime(), "no-such-backend", NanPolicy.PROPAGATE);
        for (int task = 0; task < 2; task++) {
            BackendSelectionException e = assertThrows(BackendSelectionException.class,
                    () -> ExecutorModels.acquire(key, () -> TestData.seedModel(55)), "task " + task);
            assertTrue(e.getMessage().contains("no-such-backend"), e.getMessage());
        }
    }
}
