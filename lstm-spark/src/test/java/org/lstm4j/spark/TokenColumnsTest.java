package org.lstm4j.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.SparkException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.lstm4j.backend.Backends;
import org.lstm4j.model.Activation;
import org.lstm4j.model.Direction;
import org.lstm4j.model.EmbeddingLayer;
import org.lstm4j.model.OutputMode;
import org.lstm4j.model.SequenceModel;
import org.lstm4j.predict.Padding;
import org.lstm4j.predict.Predictor;
import org.lstm4j.predict.SequenceBatch;
import org.lstm4j.tensor.IntTensor;
import org.lstm4j.testing.RandomModels;
import org.lstm4j.weights.EmbeddingWeights;

/**
 * Token-id columns ({@code array<int>}, {@code array<long>}), padded rows with their lengths, score as one JVM's
 * {@code Predictor.predict} does on the same backend and batches, bit for bit; an id outside the vocabulary is a row
 * error. The model is built here and travels as the executors get it: exported to ONNX (a Gather over the token ids)
 * and imported back.
 */
class TokenColumnsTest {
    private static final int VOCABULARY = 30;
    private static final int TIME = 9;

    /** Embedding(30, 5) -> LSTM(8) final state -> Dense(3, softmax): a small text classifier. */
    private static SequenceModel classifier(long seed) {
        Random rnd = new Random(seed);
        return SequenceModel.builder(VOCABULARY).name("classifier-" + seed)
                .add(EmbeddingLayer.of("embedding", EmbeddingWeights.of(VOCABULARY, 5, RandomModels.uniform(rnd, VOCABULARY * 5, 1f))))
                .add(RandomModels.lstm(rnd, 5, 8, Direction.FORWARD, false).outputMode(OutputMode.FINAL_STATE).build())
                .add(RandomModels.dense(rnd, 8, 3, Activation.softmax()))
                .build();
    }

    @ParameterizedTest
    @CsvSource({"java-fast, int", "java-fast, bigint", "onnx, int", "onnx, bigint"})
    void tokenIdsWithLengthsScoreAsPredictDoes(String backend, String idType) {
        byte[] onnx = TestData.onnx(classifier(31));
        DataType element = idType.equals("int") ? DataTypes.IntegerType : DataTypes.LongType;
        StructType schema = new StructType().add("id", DataTypes.LongType, false)
                .add("ids", DataTypes.createArrayType(element, false)).add("len", DataTypes.IntegerType);
        Random rnd = new Random(32);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 29; i++) {
            int length = 1 + rnd.nextInt(TIME);
            Object ids = element == DataTypes.IntegerType ? paddedIds(rnd, length) : toLongs(paddedIds(rnd, length));
            rows.add(RowFactory.create((long) i, ids, length));
        }
        Dataset<Row> data = TestData.dataset(rows, schema, 3);

        List<Row> scored = new LstmTransformer().setModel(onnx, "classifier.onnx").setBackend(backend).setBatchSize(4)
                .setInputCol("ids").setLengthCol("len").setOutputCol("p").transform(data).collectAsList();

        List<float[]> expected;
        try (Predictor p = Backends.select(backend).compile(TestData.imported(onnx))) {
            expected = TestData.expected(p, TestData.partitions(data), 4, chunk -> tokenBatch(chunk)
                    .withLengths(chunk.stream().mapToInt(r -> r.getInt(2)).toArray()).withPadding(Padding.RIGHT));
        }
        assertEquals(29, scored.size());
        for (int i = 0; i < scored.size(); i++) {
            assertEquals(i, scored.get(i).getLong(0), "row order");
            assertArrayEquals(expected.get(i), TestData.floats(scored.get(i).get(3)), "row " + i);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"fail", "null"})
    void anIdOutsideTheVocabularyIsARowError(String onError) {
        byte[] onnx = TestData.onnx(classifier(33));
        StructType schema = new StructType().add("id", DataTypes.LongType, false)
                .add("ids", DataTypes.createArrayType(DataTypes.IntegerType, false));
        List<Row> rows = List.of(RowFactory.create(0L, new int[] {1, 2, 3}), RowFactory.create(1L, new int[] {4, VOCABULARY, 5}),
                RowFactory.create(2L, new int[] {6, 7, 8}));
        LstmTransformer lstm = new LstmTransformer().setModel(onnx, "classifier.onnx").setBackend("java-fast").setInputCol("ids")
                .setOnError(onError);
        Dataset<Row> data = TestData.dataset(rows, schema, 1);
        if (onError.equals("fail")) {
            SparkException e = assertThrows(SparkException.class, () -> lstm.transform(data).collectAsList());
            assertTrue(e.getMessage().contains("lstm4j could not score row 1 of partition 0 (counting from 0): inputCol 'ids': token id 30 "
                    + "at step 1 is outside the model's vocabulary [0, 30)"), e.getMessage());
        } else {
            List<Row> scored = lstm.transform(data).collectAsList();
            assertNull(scored.get(1).get(2));
            assertEquals(3, TestData.floats(scored.get(0).get(2)).length);
            assertEquals(3, TestData.floats(scored.get(2).get(2)).length);
        }
    }

    /** Ids in [1, VOCABULARY) for the valid steps, 0 after them. */
    private static int[] paddedIds(Random rnd, int length) {
        int[] ids = new int[TIME];
        for (int t = 0; t < length; t++) {
            ids[t] = 1 + rnd.nextInt(VOCABULARY - 1);
        }
        return ids;
    }

    private static long[] toLongs(int[] ids) {
        long[] out = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = ids[i];
        }
        return out;
    }

    /** The ids column of {@code rows} (as Spark returns it: a Seq of Integer or Long) as one [batch, time] tensor. */
    private static SequenceBatch tokenBatch(List<Row> rows) {
        int[] ids = new int[rows.size() * TIME];
        for (int r = 0; r < rows.size(); r++) {
            scala.collection.Seq<?> v = (scala.collection.Seq<?>) rows.get(r).get(1);
            for (int t = 0; t < TIME; t++) {
                ids[r * TIME + t] = Math.toIntExact(((Number) v.apply(t)).longValue());
            }
        }
        return SequenceBatch.ofTokens(IntTensor.of(new int[] {rows.size(), TIME}, ids));
    }
}
