package org.lstm4j.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.lstm4j.weights.DenseWeights;
import org.lstm4j.weights.LstmWeights;

class SequenceModelTest {

    private static LstmWeights weights(int in, int h) {
        return LstmWeights.of(in, h, new float[4 * h * in], new float[4 * h * h], null, null, null);
    }

    @Test
    void theSeedModelHasTheParameterCountKerasReports() {
        // Keras model.summary() for LSTM(50, input_shape=(100, 10)) + Dense(10): 12,200 + 510 parameters.
        // lstm4j keeps the recurrent bias apart (200 zeros more for a Keras model), so the LSTM holds 12,400 values.
        SequenceModel m = SequenceModel.builder(10)
                .add(LstmLayer.builder(10, 50).outputMode(OutputMode.FINAL_STATE).weights(weights(10, 50)).build())
                .add(DenseLayer.of(DenseWeights.of(50, 10, new float[500], null), Activation.linear())).build();
        assertEquals(12_400 + 510, m.parameterCount());
        assertEquals(10, m.outputSize());
        assertFalse(m.outputsSequences());
        assertTrue(m.isStreamable());
    }

    @Test
    void aMismatchedLayerNamesBothSizes() {
        SequenceModel.Builder b = SequenceModel.builder(10)
                .add(LstmLayer.builder(10, 50).name("encoder").weights(weights(10, 50)).build())
                .add(DenseLayer.of("head", DenseWeights.of(40, 1, new float[40], null), Activation.linear()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, b::build);
        assertTrue(e.getMessage().contains("'head' reads 40") && e.getMessage().contains("'encoder' gives 50"), e.getMessage());
    }

    @Test
    void anLstmAfterAVectorOutputIsRefused() {
        SequenceModel.Builder b = SequenceModel.builder(2)
                .add(LstmLayer.builder(2, 3).name("l0").outputMode(OutputMode.FINAL_STATE).weights(weights(2, 3)).build())
                .add(LstmLayer.builder(3, 3).name("l1").weights(weights(3, 3)).build());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, b::build);
        assertTrue(e.getMessage().contains("SEQUENCES"), e.getMessage());
    }

    @Test
    void aBidirectionalLayerNeedsTwoWeightSets() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LstmLayer.builder(2, 3).name("bi").direction(Direction.BIDIRECTIONAL).weights(weights(2, 3)).build());
        assertTrue(e.getMessage().contains("'bi'") && e.getMessage().contains("2 direction"), e.getMessage());
    }

    @Test
    void weightsOfTheWrongSizeNameTheLayer() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LstmLayer.builder(3, 3).name("x").weights(weights(2, 3)).build());
        assertTrue(e.getMessage().contains("'x'") && e.getMessage().contains("input size 2"), e.getMessage());
    }

    @Test
    void mergeModesSetTheOutputWidth() {
        LstmLayer concat = LstmLayer.builder(2, 3).direction(Direction.BIDIRECTIONAL).weights(weights(2, 3), weights(2, 3)).build();
        assertEquals(6, concat.outputSize());
        assertEquals(3, concat.toBuilder().mergeMode(MergeMode.AVE).build().outputSize());
    }

    @Test
    void bothHardSigmoidMeaningsAreKeptApart() {
        assertEquals(0.7, Activation.hardSigmoid().apply(1.0), 1e-7);          // 0.2 x + 0.5
        assertEquals(0.5 + 1.0 / 6, Activation.kerasHardSigmoid().apply(1.0), 1e-7);  // relu6(x + 3) / 6
        assertEquals(Activation.hardSigmoid(0.2f, 0.5f), Activation.fromOnnx("HardSigmoid", Float.NaN, Float.NaN));
    }
}
