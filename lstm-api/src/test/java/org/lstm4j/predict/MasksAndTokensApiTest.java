package org.lstm4j.predict;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.lstm4j.model.Activation;
import org.lstm4j.model.DenseLayer;
import org.lstm4j.model.Direction;
import org.lstm4j.model.EmbeddingLayer;
import org.lstm4j.model.LstmLayer;
import org.lstm4j.model.MaskedOutput;
import org.lstm4j.model.MaskingLayer;
import org.lstm4j.model.SequenceModel;
import org.lstm4j.tensor.FloatTensor;
import org.lstm4j.tensor.IntTensor;
import org.lstm4j.weights.DenseWeights;
import org.lstm4j.weights.EmbeddingWeights;
import org.lstm4j.weights.LstmWeights;

/** The API of token ids, masks and heads; expected values are written out by hand from the definitions in the Javadoc. */
class MasksAndTokensApiTest {

    private static LstmLayer lstm(int in, int hidden) {
        return LstmLayer.builder(in, hidden).weights(LstmWeights.of(in, hidden, new float[4 * hidden * in], new float[4 * hidden * hidden],
                null, null, null)).build();
    }

    private static EmbeddingLayer embedding(int vocab, int dim) {
        float[] table = new float[vocab * dim];
        for (int i = 0; i < table.length; i++) {
            table[i] = i;  // row i holds i*dim .. i*dim+dim-1
        }
        return EmbeddingLayer.of("emb", EmbeddingWeights.of(vocab, dim, table));
    }

    @Test
    void lengthsMakeTrailingOrLeadingMasks() {
        assertEquals(StepMask.of(new boolean[][] {{true, true, false}, {false, false, false}}),
                StepMask.fromLengths(new int[] {2, 0}, 3, Padding.RIGHT));
        assertEquals(StepMask.of(new boolean[][] {{false, true, true}, {true, true, true}}),
                StepMask.fromLengths(new int[] {2, 3}, 3, Padding.LEFT));
    }

    @Test
    void aMaskKnowsItsRunsAndHoles() {
        StepMask m = StepMask.of(new boolean[][] {{false, true, true, false}, {true, false, false, true}, {false, false, false, false}});
        assertEquals(1, m.firstValid(0));
        assertEquals(2, m.lastValid(0));
        assertEquals(-1, m.firstValid(2));
        assertEquals(2, m.validCount(1));
        assertFalse(m.isContiguous());
        assertArrayEquals(new int[] {1, 1}, m.firstHole());
        assertTrue(StepMask.of(new boolean[][] {{false, true, true, false}}).isContiguous());
    }

    @Test
    void aMaskOfOtherValuesThanZeroAndOneIsRefusedNamingWhere() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StepMask.of(IntTensor.of(new int[][] {{1, 0}, {2, 1}})));
        assertTrue(e.getMessage().contains("row 1, step 0"), e.getMessage());
    }

    @Test
    void aBatchsMaskIsItsGivenMaskAndItsLengthsTogether() {
        SequenceBatch b = SequenceBatch.of(FloatTensor.zeros(2, 3, 1)).withMask(StepMask.of(new boolean[][] {{true, false, true}, {true, true, true}}))
                .withLengths(3, 2).withPadding(Padding.LEFT);
        assertEquals(StepMask.of(new boolean[][] {{true, false, true}, {false, true, true}}), b.mask());
        assertNull(SequenceBatch.of(FloatTensor.zeros(1, 2, 1)).mask());
        assertThrows(IllegalArgumentException.class, () -> SequenceBatch.of(FloatTensor.zeros(2, 3, 1)).withMask(StepMask.fromLengths(new int[] {1}, 3, Padding.RIGHT)));
    }

    @Test
    void aTokenBatchHasNoFeaturesAndSaysSo() {
        SequenceBatch b = SequenceBatch.ofTokens(IntTensor.of(new int[][] {{1, 2}}));
        assertEquals(1, b.batchSize());
        assertEquals(2, b.timeSteps());
        IllegalStateException e = assertThrows(IllegalStateException.class, b::input);
        assertTrue(e.getMessage().contains("token ids"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SequenceBatch.ofTokens(IntTensor.of(1, 2)));
    }

    @Test
    void theModelsMaskingLayerAndMaskZeroAddToTheBatchsMask() {
        SequenceModel masking = SequenceModel.builder(2).add(MaskingLayer.of("m", 2, -1f)).add(lstm(2, 3)).build();
        FloatTensor x = FloatTensor.of(new int[] {1, 3, 2}, new float[] {-1, -1, -1, 0, 5, 5});
        assertEquals(StepMask.of(new boolean[][] {{false, true, true}}), StepMask.resolve(masking, SequenceBatch.of(x)));
        assertEquals(StepMask.of(new boolean[][] {{false, true, false}}),
                StepMask.resolve(masking, SequenceBatch.of(x).withLengths(2)));

        SequenceModel tokens = SequenceModel.builder(5).add(embedding(5, 2).withMaskZero(true)).add(lstm(2, 3)).build();
        assertEquals(StepMask.of(new boolean[][] {{true, false, true}}), StepMask.resolve(tokens, SequenceBatch.ofTokens(IntTensor.of(new int[][] {{4, 0, 1}}))));
        assertNull(StepMask.resolve(tokens, SequenceBatch.ofTokens(IntTensor.of(new int[][] {{4, 2, 1}}))), "no masked step: no mask");
    }

    @Test
    void argmaxIsTheFirstLargestIndexAlongTheLastAxisAndNaNWinsAsInNumPy() {
        Prediction p = new Prediction(FloatTensor.of(new float[][] {{0.1f, 0.7f, 0.2f}, {3f, 3f, 1f}, {1f, Float.NaN, 5f}}), new ModelState(List.of()));
        assertEquals(IntTensor.of(1, 0, 1), p.argmax());
        Prediction tagger = new Prediction(FloatTensor.of(new float[][][] {{{0f, 1f}, {2f, 1f}}}), new ModelState(List.of()));
        assertEquals(IntTensor.of(new int[][] {{1, 0}}), tagger.argmax());
    }

    @Test
    void logSoftmaxIsShiftedLogOfSoftmax() {
        double[] v = {1, 2, 3};
        Activation.logSoftmax().applyInPlace(v);
        // log(e^k / (e + e^2 + e^3)) = k - 3 - log(e^-2 + e^-1 + 1) = k - 3.40760596...
        assertArrayEquals(new double[] {-2.40760596444438, -1.40760596444438, -0.40760596444438}, v, 1e-12);
        double[] big = {1000, 1000};
        Activation.logSoftmax().applyInPlace(big);
        assertArrayEquals(new double[] {-Math.log(2), -Math.log(2)}, big, 1e-12);
    }

    @Test
    void theBuilderPlacesEmbeddingAndMaskingBeforeTheFirstLstm() {
        assertTrue(SequenceModel.builder(5).add(embedding(5, 2)).add(lstm(2, 3)).build().readsTokens());
        assertThrows(IllegalArgumentException.class, () -> SequenceModel.builder(2).add(lstm(2, 3)).add(MaskingLayer.of("m", 3, 0f)).add(lstm(3, 3)).build());
        assertThrows(IllegalArgumentException.class, () -> SequenceModel.builder(2).add(MaskingLayer.of("m", 2, 0f)).add(embedding(2, 2)).add(lstm(2, 3)).build());
        assertThrows(IllegalArgumentException.class, () -> SequenceModel.builder(2)
                .add(DenseLayer.of(DenseWeights.of(2, 2, new float[4], null), Activation.relu())).add(lstm(2, 3)).build());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SequenceModel.builder(7).add(embedding(5, 2)).add(lstm(2, 3)).build());
        assertTrue(e.getMessage().contains("vocabulary of 5"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SequenceModel.builder(2).add(MaskingLayer.of("m", 2, 0f)).build(), "no LSTM");
    }

    @Test
    void repeatingThePreviousOutputIsForOneDirection() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LstmLayer.builder(2, 3).direction(Direction.BIDIRECTIONAL)
                .maskedOutput(MaskedOutput.PREVIOUS).weights(lstm(2, 3).weights().get(0), lstm(2, 3).weights().get(0)).build());
        assertTrue(e.getMessage().contains("one direction"), e.getMessage());
    }
}
