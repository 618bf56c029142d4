package org.lstm4j.conformance;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.lstm4j.testing.TensorAssertions.assertClose;

import java.util.EnumSet;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.lstm4j.backend.Capability;
import org.lstm4j.backend.UnsupportedInputException;
import org.lstm4j.model.Activation;
import org.lstm4j.model.Direction;
import org.lstm4j.model.EmbeddingLayer;
import org.lstm4j.model.MaskedOutput;
import org.lstm4j.model.SequenceModel;
import org.lstm4j.predict.ModelState;
import org.lstm4j.predict.Prediction;
import org.lstm4j.predict.Predictor;
import org.lstm4j.predict.SequenceBatch;
import org.lstm4j.predict.StepMask;
import org.lstm4j.predict.StreamingPredictor;
import org.lstm4j.tensor.FloatTensor;
import org.lstm4j.tensor.IntTensor;
import org.lstm4j.weights.EmbeddingWeights;
import org.lstm4j.testing.Tolerance;
import org.lstm4j.testing.RandomModels;

/**
 * The kit's rules for text and padded sequences: token ids, embeddings, every mask form and
 * source, classification heads, streaming over masked steps, and clear refusals of what a backend
 * does not declare. Expected values come from the reference engine, which computes
 * {@link StepMask}'s equations step by step (no rotation) and reproduces Keras's and PyTorch's own
 * outputs on the {@code keras-masks} and {@code pytorch-text} goldens.
 */
public abstract class MaskAndTokenRules extends ConformanceKitBase {

    static Stream<KitCase> maskedCases() {
        return MaskedKitCases.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("maskedCases")
    void agreesWithTheReferenceEngineOnMasksTokensAndHeads(KitCase c) {
        requireCapabilities(c.requires(), "'" + c.name() + "'");
        Prediction expected;
        try (Predictor ref = oracle().compile(c.model())) {
            expected = ref.predict(c.batch());
        }
        try (Predictor p = backend().compile(c.model())) {
            assertClose(expected, p.predict(c.batch()), tolerance(), c.name() + " on backend '" + backend().name() + "'");
        }
    }

    private static SequenceModel tokenModel(long seed, boolean maskZero) {
        Random rnd = new Random(seed);
        EmbeddingLayer e = EmbeddingLayer.of("words", EmbeddingWeights.of(12, 4, RandomModels.uniform(rnd, 48, 1f))).withMaskZero(maskZero);
        return SequenceModel.builder(12).name("tokens").add(e)
                .add(RandomModels.lstm(rnd, 4, 5, Direction.FORWARD, false).maskedOutput(MaskedOutput.PREVIOUS).build())
                .add(RandomModels.dense(rnd, 5, 3, Activation.softmax())).build();
    }

    @Test
    void tokenIdsOutsideTheVocabularyAreRefusedNamingRowStepAndId() {
        requireCapabilities(EnumSet.of(Capability.TOKEN_INPUTS), "token inputs");
        try (Predictor p = backend().compile(tokenModel(500, false))) {
            int[][] ids = {{1, 2, 3, 4}, {5, 6, 7, 8}};
            for (int bad : new int[] {12, -1, Integer.MAX_VALUE}) {
                ids[1][2] = bad;
                IntTensor tokens = IntTensor.of(ids);
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> p.predict(tokens), "id " + bad);
                assertTrue(e.getMessage().contains("row 1") && e.getMessage().contains("step 2") && e.getMessage().contains(Integer.toString(bad))
                        && e.getMessage().contains("words"), () -> "message should name row 1, step 2, id " + bad + " and the layer: " + e.getMessage());
            }
        }
    }

    @Test
    void streamingTokensWithMaskedStepsEqualsTheWholeSequence() {
        requireCapabilities(EnumSet.of(Capability.TOKEN_INPUTS, Capability.MASKS, Capability.STREAMING), "streaming token ids with mask_zero");
        SequenceModel m = tokenModel(510, true);
        // Stream 0 has masked steps (id 0) at the start and in the middle, stream 1 none, stream 2 only at the end.
        int[][] ids = {{0, 0, 3, 4, 0, 6, 7, 0}, {1, 2, 3, 4, 5, 6, 7, 8}, {9, 10, 11, 1, 2, 0, 0, 0}};
        boolean arbitrary = backend().capabilities().contains(Capability.ARBITRARY_MASKS);
        if (!arbitrary) {
            ids[0] = new int[] {0, 0, 3, 4, 5, 6, 7, 0};  // without holes, which the backend does not declare
        }
        IntTensor tokens = IntTensor.of(ids);
        Prediction whole;
        try (Predictor ref = oracle().compile(m)) {
            whole = ref.predict(tokens);
        }
        float[][][] expected = whole.output().toArray3d();
        try (Predictor p = backend().compile(m); StreamingPredictor s = p.stream(3)) {
            ModelState before = s.snapshot();
            for (int t = 0; t < 8; t++) {
                int[] step = {ids[0][t], ids[1][t], ids[2][t]};
                FloatTensor out = s.step(IntTensor.of(step));
                ModelState after = s.snapshot();
                for (int b = 0; b < 3; b++) {
                    if (step[b] == 0) {
                        assertClose(before.slice(b, b + 1), after.slice(b, b + 1), Tolerance.EXACT, "stream " + b + "'s state across masked step " + t);
                    }
                }
                before = after;
                // A masked step repeats the stream's previous output (zeros before its first valid step), as in the whole sequence.
                float[][] exp = {expected[0][t], expected[1][t], expected[2][t]};
                assertClose(FloatTensor.of(exp), out, tolerance(), "streaming token step " + t);
            }
            assertClose(whole.finalState(), s.snapshot(), tolerance(), "state after streaming every token");
        }
    }

    /** A backend refuses a mask form it does not declare, naming the capability; it never computes an approximation. */
    @Test
    void anUndeclaredMaskFormIsRefusedNamingTheCapability() {
        boolean masks = backend().capabilities().contains(Capability.MASKS);
        boolean arbitrary = backend().capabilities().contains(Capability.ARBITRARY_MASKS);
        assumeTrue(!masks || !arbitrary, "skipped: backend '" + backend().name() + "' declares both MASKS and ARBITRARY_MASKS");
        Random rnd = new Random(520);
        SequenceModel m = SequenceModel.builder(3).add(RandomModels.lstm(rnd, 3, 4, Direction.FORWARD, false).build()).build();
        StepMask holes = StepMask.of(new boolean[][] {{true, false, true}, {true, true, true}});
        Capability named = masks ? Capability.ARBITRARY_MASKS : Capability.MASKS;
        try (Predictor p = backend().compile(m)) {
            UnsupportedInputException e = assertThrows(UnsupportedInputException.class,
                    () -> p.predict(SequenceBatch.of(RandomModels.input(rnd, 2, 3, 3)).withMask(holes)));
            assertTrue(e.getMessage().contains(named.name()), () -> "message should name " + named + ": " + e.getMessage());
        }
    }
}
