package org.lstm4j.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.lstm4j.backend.java.ReferenceBackendProvider;
import org.lstm4j.model.Activation;
import org.lstm4j.model.Direction;
import org.lstm4j.model.EmbeddingLayer;
import org.lstm4j.model.LstmLayer;
import org.lstm4j.model.MaskedOutput;
import org.lstm4j.model.MaskingLayer;
import org.lstm4j.model.OutputMode;
import org.lstm4j.model.Port;
import org.lstm4j.model.SequenceModel;
import org.lstm4j.predict.PortBinding;
import org.lstm4j.predict.Predictor;
import org.lstm4j.predict.SequenceBatch;
import org.lstm4j.predict.StepMask;
import org.lstm4j.tensor.FloatTensor;
import org.lstm4j.tensor.IntTensor;
import org.lstm4j.testing.RandomModels;
import org.lstm4j.testing.TensorAssertions;
import org.lstm4j.testing.Tolerance;
import org.lstm4j.weights.EmbeddingWeights;

/**
 * The exported graph of a model that makes a mask (Masking, mask_zero, a mask input) runs in ONNX Runtime
 * and gives the reference engine's outputs on pre-, post- and two-sided padding and an all-masked row
 * (MaskedExport's rotation); a row with a hole comes out NaN rather than wrong. Expected values: the
 * reference engine, which computes the masked equations step by step (checked against Keras's goldens).
 */
class MaskedExportTest {

    private static final int T = 6;
    /** Rows: full, post-padded, pre-padded, two-sided, all masked, and (last) a hole. */
    private static final boolean[][] VALID = {
        {true, true, true, true, true, true},
        {true, true, true, false, false, false},
        {false, false, true, true, true, true},
        {false, true, true, true, false, false},
        {false, false, false, false, false, false},
        {true, false, true, true, false, false}};

    record Case(String name, UnaryOperator<LstmLayer.Builder> layer, Direction direction) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("forward, sequences, zeros", l -> l, Direction.FORWARD),
                new Case("forward, sequences, previous output", l -> l.maskedOutput(MaskedOutput.PREVIOUS), Direction.FORWARD),
                new Case("reverse, sequences, previous output", l -> l.maskedOutput(MaskedOutput.PREVIOUS), Direction.REVERSE),
                new Case("go_backwards, previous output", l -> l.reversedOutputOrder(true).maskedOutput(MaskedOutput.PREVIOUS), Direction.REVERSE),
                new Case("go_backwards, zeros", l -> l.reversedOutputOrder(true), Direction.REVERSE),
                new Case("bidirectional, sequences", l -> l, Direction.BIDIRECTIONAL),
                new Case("bidirectional, final state", l -> l.outputMode(OutputMode.FINAL_STATE), Direction.BIDIRECTIONAL));
    }

    @ParameterizedTest(name = "Masking: {0}")
    @MethodSource("cases")
    void aMaskingLayerIsExportedExactlyForContiguousMasks(Case c) throws Exception {
        Random rnd = new Random(c.name().hashCode());
        LstmLayer l = c.layer().apply(RandomModels.lstm(rnd, 3, 4, c.direction(), false)).build();
        SequenceModel m = SequenceModel.builder(3).name("masking").add(MaskingLayer.of("mask", 3, 0f)).add(l)
                .add(RandomModels.dense(rnd, l.outputSize(), 2, Activation.tanh())).build();
        float[][][] x = RandomModels.input(rnd, VALID.length, T, 3).toArray3d();
        for (int b = 0; b < VALID.length; b++) {
            for (int t = 0; t < T; t++) {
                if (!VALID[b][t]) {
                    x[b][t] = new float[3];
                }
            }
        }
        FloatTensor input = FloatTensor.of(x);
        Map<String, Object> feeds = new LinkedHashMap<>();
        feeds.put("input", input);
        check(m, SequenceBatch.of(input), feeds);
    }

    @Test
    void maskZeroOverTimeMajorTokenIdsIsExportedExactly() throws Exception {
        Random rnd = new Random(3);
        SequenceModel m = SequenceModel.builder(9).name("tokens")
                .add(EmbeddingLayer.of("emb", EmbeddingWeights.of(9, 4, RandomModels.uniform(rnd, 36, 1f))).withMaskZero(true))
                .add(RandomModels.lstm(rnd, 4, 5, Direction.FORWARD, false).maskedOutput(MaskedOutput.PREVIOUS).build())
                .add(RandomModels.dense(rnd, 5, 3, Activation.logSoftmax()))
                .ports(List.of(new Port("ids", Port.Role.SEQUENCE_INPUT, Port.Layout.TIME_MAJOR, List.of()),
                        new Port("y", Port.Role.OUTPUT, Port.Layout.TIME_MAJOR, List.of()))).build();
        int[][] ids = new int[VALID.length][T];
        for (int b = 0; b < VALID.length; b++) {
            for (int t = 0; t < T; t++) {
                ids[b][t] = VALID[b][t] ? 1 + rnd.nextInt(8) : 0;
            }
        }
        int[][] timeMajor = new int[T][VALID.length];
        for (int b = 0; b < VALID.length; b++) {
            for (int t = 0; t < T; t++) {
                timeMajor[t][b] = ids[b][t];
            }
        }
        Map<String, Object> feeds = new LinkedHashMap<>();
        feeds.put("ids", IntTensor.of(timeMajor));
        check(m, SequenceBatch.ofTokens(IntTensor.of(ids)), feeds);
    }

    @Test
    void aMaskInputAndLengthsAreExportedTogether() throws Exception {
        Random rnd = new Random(4);
        SequenceModel m = SequenceModel.builder(3).name("mask input")
                .add(RandomModels.lstm(rnd, 3, 4, Direction.FORWARD, false).maskedOutput(MaskedOutput.PREVIOUS).build())
                .ports(List.of(Port.input("x"), new Port("mask", Port.Role.STEP_MASK, Port.Layout.BATCH_MAJOR, List.of()),
                        new Port("lens", Port.Role.SEQUENCE_LENGTHS, Port.Layout.BATCH_MAJOR, List.of()), Port.output("y"))).build();
        FloatTensor input = RandomModels.input(rnd, VALID.length, T, 3);
        int[] lengths = {5, 6, 6, 6, 6, 6};
        Map<String, Object> feeds = new LinkedHashMap<>();
        feeds.put("x", input);
        feeds.put("mask", VALID);
        feeds.put("lens", lengths);
        check(m, SequenceBatch.of(input).withMask(StepMask.of(VALID)).withLengths(lengths), feeds);
    }

    /** Final states through ports: a row without a valid step keeps its (non-zero) initial state; a row with a hole is NaN. */
    @Test
    void finalStatesOfStackedLayersFromInitialStates() throws Exception {
        Random rnd = new Random(6);
        SequenceModel m = SequenceModel.builder(3).name("states")
                .add(RandomModels.lstm(rnd, 3, 4, Direction.FORWARD, false).build())
                .add(RandomModels.lstm(rnd, 4, 4, Direction.FORWARD, false).maskedOutput(MaskedOutput.PREVIOUS).build())
                .ports(List.of(Port.input("x"), new Port("mask", Port.Role.STEP_MASK, Port.Layout.BATCH_MAJOR, List.of()),
                        Port.state("h0", Port.Role.INITIAL_HIDDEN, Port.Layout.STACKED, List.of(0, 1)),
                        Port.state("c0", Port.Role.INITIAL_CELL, Port.Layout.STACKED, List.of(0, 1)), Port.output("y"),
                        Port.state("hn", Port.Role.FINAL_HIDDEN, Port.Layout.STACKED, List.of(0, 1)),
                        Port.state("cn", Port.Role.FINAL_CELL, Port.Layout.STACKED, List.of(0, 1)))).build();
        Map<String, FloatTensor> floats = Map.of("x", RandomModels.input(rnd, VALID.length, T, 3),
                "h0", RandomModels.input(rnd, 2, VALID.length, 4), "c0", RandomModels.input(rnd, 2, VALID.length, 4));
        int[][] mask = new int[VALID.length][T];
        for (int b = 0; b < VALID.length; b++) {
            for (int t = 0; t < T; t++) {
                mask[b][t] = VALID[b][t] ? 1 : 0;
            }
        }
        Map<String, FloatTensor> expected;
        try (Predictor p = new ReferenceBackendProvider().compile(m)) {
            expected = PortBinding.toOutputs(m, p.predict(PortBinding.batchOf(m, floats, Map.of("mask", IntTensor.of(mask)))));
        }
        Map<String, Object> feeds = new LinkedHashMap<>(floats);
        feeds.put("mask", VALID);
        Map<String, FloatTensor> got = OrtRunner.run(OnnxExporter.export(m), feeds);
        int hole = VALID.length - 1;
        for (String state : List.of("hn", "cn")) {
            FloatTensor e = expected.get(state);
            FloatTensor y = got.get(state);
            assertArrayEquals(new int[] {2, VALID.length, 4}, y.shape(), state);
            for (int k = 0; k < y.size(); k++) {
                int row = k / 4 % VALID.length;
                if (row == hole) {
                    assertTrue(Float.isNaN(y.get(k)), state + "[" + k + "] of the row with a hole must be NaN, got " + y.get(k));
                } else {
                    assertTrue(Tolerance.DEFAULT.accepts(e.get(k), y.get(k)), state + "[" + k + "]: exported " + y.get(k) + ", reference " + e.get(k));
                }
            }
        }
    }

    @Test
    void whatTheRotationCannotComputeIsRefusedAtExport() {
        Random rnd = new Random(5);
        SequenceModel lastStep = SequenceModel.builder(3).add(MaskingLayer.of("mask", 3, 0f))
                .add(RandomModels.lstm(rnd, 3, 4, Direction.FORWARD, false).outputMode(OutputMode.LAST_STEP).build()).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OnnxExporter.export(lastStep));
        assertTrue(e.getMessage().contains("LAST_STEP"), e.getMessage());
    }

    /** Runs the export in ONNX Runtime; rows without a hole equal the reference engine, the row with one is NaN. */
    private static void check(SequenceModel m, SequenceBatch batch, Map<String, Object> feeds) throws Exception {
        FloatTensor expected;
        try (Predictor p = new ReferenceBackendProvider().compile(m)) {
            expected = p.predict(batch).output();
        }
        Map<String, FloatTensor> got = OrtRunner.run(OnnxExporter.export(m), feeds);
        FloatTensor y = got.values().iterator().next();
        if (m.outputPorts().get(0).layout() == Port.Layout.TIME_MAJOR && y.rank() == 3) {
            y = y.swapFirstAxes();
        }
        int rows = VALID.length - 1;
        TensorAssertions.assertClose(expected.slice0(0, rows), y.slice0(0, rows), Tolerance.DEFAULT, m.name() + ": exported graph vs reference");
        FloatTensor hole = y.slice0(rows, rows + 1);
        for (int k = 0; k < hole.size(); k++) {
            assertTrue(Float.isNaN(hole.get(k)), "the row with a hole must be NaN, got " + hole);
        }
    }
}
