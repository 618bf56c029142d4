package org.lstm4j.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.lstm4j.model.DenseLayer;
import org.lstm4j.model.LstmLayer;
import org.lstm4j.model.OutputMode;
import org.lstm4j.model.Port;
import org.lstm4j.model.SequenceModel;
import org.lstm4j.tensor.FloatTensor;
import org.lstm4j.tensor.Npy;
import org.lstm4j.testing.TensorAssertions;
import org.lstm4j.testing.Tolerance;

/** A model written by other people's tools (see src/test/resources/real-world/PROVENANCE.md). */
class RealWorldImportTest {
    static final Path REAL_WORLD = Path.of("src/test/resources/real-world");

    @Test
    void keras3Tf2onnxAircraftModelMatchesOnnxRuntimeOnTheReferenceEngine() throws IOException {
        Path dir = REAL_WORLD.resolve("keras3-tf2onnx-aircraft");
                SequenceModel model = OnnxImporter.importModel(dir.resolve("model.onnx"));

        // LSTM(64, return_sequences) -> LSTM(32) -> Dense(16, relu) -> Dense(1), as the Keras config says.
        assertEquals(4, model.layers().size(), model.toString());
        LstmLayer first = (LstmLayer) model.layers().get(0);
        LstmLayer second = (LstmLayer) model.layers().get(1);
        assertEquals(64, first.hiddenSize());
        assertEquals(OutputMode.SEQUENCES, first.outputMode());
        assertEquals(32, second.hiddenSize());
        assertEquals(OutputMode.LAST_STEP, second.outputMode());
        assertInstanceOf(DenseLayer.class, model.layers().get(2));
        assertEquals("Relu", ((DenseLayer) model.layers().get(2)).activation().kind().onnxName());
        assertEquals(17, model.inputSize());
        assertEquals(1, model.outputSize());
        assertEquals(Port.Layout.BATCH_MAJOR, model.inputPorts().get(0).layout());
        assertEquals("input_layer", model.inputPorts().get(0).name());
        assertEquals("output_0", model.outputPorts().get(0).name());

        FloatTensor x = Npy.read(dir.resolve("input.npy")).toFloatTensor();
        // expected.npy is ONNX Runtime 1.30 (CPU) on this model and input (PROVENANCE.md).
        FloatTensor expected = Npy.read(dir.resolve("expected.npy")).toFloatTensor();
        Map<String, FloatTensor> got = Oracle.run(model, Oracle.map("input_layer", x), Map.of());
        double d = TensorAssertions.assertClose(expected, got.get("output_0"), Tolerance.DEFAULT, "output_0");
        System.out.println("keras3-tf2onnx-aircraft: largest |diff| vs ONNX Runtime 1.30 = " + d);
    }
}
