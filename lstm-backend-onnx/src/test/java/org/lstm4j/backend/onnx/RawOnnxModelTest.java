package org.lstm4j.backend.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.lstm4j.backend.java.ReferenceBackendProvider;
import org.lstm4j.testing.TensorAssertions;
import org.lstm4j.testing.RandomModels;
import org.lstm4j.testing.RawFixtures;
import org.lstm4j.testing.Tolerance;
import org.lstm4j.model.Activation;
import org.lstm4j.model.Direction;
import org.lstm4j.model.OutputMode;
import org.lstm4j.model.Port;
import org.lstm4j.model.SequenceModel;
import org.lstm4j.onnx.OnnxExporter;
import org.lstm4j.predict.PortBinding;
import org.lstm4j.predict.Predictor;
import org.lstm4j.tensor.FloatTensor;
import org.lstm4j.tensor.IntTensor;
import org.lstm4j.tensor.Npy;

/** Raw mode: an .onnx file run as it is, by its graph's names. */
class RawOnnxModelTest {

    /** The real-world fixtures, committed beside the importer's tests (see their PROVENANCE.md). */
    private static Path realWorld(String name) {
        return Path.of("../lstm-onnx/src/test/resources/real-world", name);
    }

    /**
     * A Keras 3 model converted by tf2onnx (LSTM(64) -> LSTM(32) -> Dense(16, relu) -> Dense(1)); expected
     * values are ONNX Runtime 1.30 for Python's, cross-checked with TensorFlow.js (PROVENANCE.md).
     */
    @Test
    void kerasTf2onnxAircraftModelGivesItsExpectedOutput() throws Exception {
        Path dir = realWorld("keras3-tf2onnx-aircraft");
        FloatTensor input = Npy.read(dir.resolve("input.npy")).toFloatTensor();
        FloatTensor expected = Npy.read(dir.resolve("expected.npy")).toFloatTensor();
        try (RawOnnxModel raw = OnnxRuntimeBackendProvider.openRaw(dir.resolve("model.onnx"))) {
            assertEquals(List.of("input_layer"), List.copyOf(raw.inputNames()));
            assertEquals(List.of("output_0"), List.copyOf(raw.outputNames()));
            Map<String, FloatTensor> out = raw.run(Map.of("input_layer", input));
            double max = TensorAssertions.assertClose(expected, out.get("output_0"), Tolerance.DEFAULT, "output_0");
            System.out.println("RawOnnxModelTest: aircraft model, largest |java ORT 1.29 - python ORT 1.30| = " + max);

            IllegalArgumentException wrongShape = assertThrows(IllegalArgumentException.class,
                    () -> raw.run(Map.of("input_layer", FloatTensor.zeros(3, 30, 16))));
            assertTrue(wrongShape.getMessage().contains("input 'input_layer' is declared float [?, 30, 17], got shape [3, 30, 16]"),
                    wrongShape.getMessage());
            IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> raw.run(Map.of()));
            assertTrue(missing.getMessage().contains("input 'input_layer' float [?, 30, 17] is missing"), missing.getMessage());
            IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                    () -> raw.run(Map.of("input_layer", input, "x", input)));
            assertTrue(unknown.getMessage().contains("has no input named 'x'; its inputs are 'input_layer' float [?, 30, 17]"),
                    unknown.getMessage());
        }
    }

    /** An exported file with named ports, run raw, gives what the reference engine gives through those ports. */
    @Test
    void exportedFileWithNamedPortsRunsRawWithIntegerLengths(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        Random rnd = new Random(60);
        SequenceModel m = SequenceModel.builder(3)
                .add(RandomModels.lstm(rnd, 3, 4, Direction.BIDIRECTIONAL, false).outputMode(OutputMode.FINAL_STATE).build())
                .add(RandomModels.dense(rnd, 8, 2, Activation.sigmoid()))
                .ports(List.of(Port.input("seq"), new Port("lens", Port.Role.SEQUENCE_LENGTHS, Port.Layout.BATCH_MAJOR, List.of()),
                        Port.output("prob")))
                .build();
        Path file = tmp.resolve("model.onnx");
        Files.write(file, OnnxExporter.export(m));
        FloatTensor x = RandomModels.input(rnd, 3, 5, 3);
        int[] lengths = {5, 1, 3};
        Map<String, FloatTensor> expected;
        try (Predictor ref = new ReferenceBackendProvider().compile(m)) {
            expected = PortBinding.toOutputs(m, ref.predict(PortBinding.toBatch(m, Map.of("seq", x), Map.of("lens", lengths))));
        }
        Map<String, IntTensor> ints = new LinkedHashMap<>();
        ints.put("lens", IntTensor.of(lengths));
        RawOnnxModel raw = OnnxRuntimeBackendProvider.openRaw(file);
        try {
            Map<String, FloatTensor> got = raw.run(Map.of("seq", x), ints);
            TensorAssertions.assertClose(expected.get("prob"), got.get("prob"), Tolerance.DEFAULT, "prob");
            IllegalArgumentException wrongType = assertThrows(IllegalArgumentException.class,
                    () -> raw.run(Map.of("seq", x, "lens", FloatTensor.zeros(3))));
            assertTrue(wrongType.getMessage().contains("input 'lens' is int32 [?]; a FloatTensor was given (give an IntTensor)"),
                    wrongType.getMessage());
        } finally {
            raw.close();
        }
        IllegalStateException closed = assertThrows(IllegalStateException.class, () -> raw.run(Map.of("seq", x), ints));
        assertTrue(closed.getMessage().endsWith("model.onnx is closed"), closed.getMessage());
    }

    @Test
    void missingFileIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OnnxRuntimeBackendProvider.openRaw(Path.of("no/such/model.onnx")));
        assertTrue(e.getMessage().contains("no/such/model.onnx does not exist"), e.getMessage());
    }

    /**
     * A graph outside the LSTM family (nn.Embedding -> nn.GRU -> Linear, with an arg max output), which the
     * importer refuses: int64 token ids [B, T] in, float logits and int64 labels out; expected values are
     * PyTorch's eager outputs (tools/fixtures/make_raw_fixtures.py).
     */
    @Test
    void aGruTextClassifierRunsRawWithTokenIdsAndIntegerOutputs(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        Path dir = RawFixtures.gruText(tmp);
        IntTensor ids = Npy.read(dir.resolve("inputs/ids.npy")).toIntTensor();
        try (RawOnnxModel raw = OnnxRuntimeBackendProvider.openRaw(dir.resolve("model.onnx"))) {
            assertEquals("inputs 'ids' int64 [?, ?]; outputs 'logits' float [?, 3], 'label' int64 [?]", raw.signature());
            RawOnnxModel.Outputs out = raw.runAll(Map.of(), Map.of("ids", ids));
            TensorAssertions.assertClose(Npy.read(dir.resolve("expected/logits.npy")).toFloatTensor(), out.floats().get("logits"),
                    Tolerance.DEFAULT, "logits vs PyTorch");
            IntTensor label = Npy.read(dir.resolve("expected/label.npy")).toIntTensor();
            assertEquals(java.util.Arrays.toString(label.shape()), java.util.Arrays.toString(out.ints().get("label").shape()));
            for (int k = 0; k < label.size(); k++) {
                assertEquals(label.get(k), out.ints().get("label").get(k), "label " + k);
            }
            assertEquals(List.of("logits"), List.copyOf(raw.run(Map.of(), Map.of("ids", ids)).keySet()));
            IllegalArgumentException floatsForIds = assertThrows(IllegalArgumentException.class,
                    () -> raw.run(Map.of("ids", FloatTensor.zeros(3, 5))));
            assertTrue(floatsForIds.getMessage().contains("input 'ids' is int64 [?, ?]; a FloatTensor was given (give an IntTensor)"),
                    floatsForIds.getMessage());
        }
    }

    @Test
    void fileThatIsNotOnnxIsRefusedWithTheRuntimeMessage(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("garbage.onnx");
        Files.writeString(file, "not a model");
        OnnxRuntimeException e = assertThrows(OnnxRuntimeException.class, () -> OnnxRuntimeBackendProvider.openRaw(file));
        assertTrue(e.getMessage().startsWith("ONNX Runtime could not load " + file), e.getMessage());
    }
}
