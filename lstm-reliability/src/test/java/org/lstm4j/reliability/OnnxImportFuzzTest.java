package org.lstm4j.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.lstm4j.backend.java.ReferenceBackendProvider;
import org.lstm4j.model.LstmLayer;
import org.lstm4j.model.SequenceModel;
import org.lstm4j.onnx.OnnxImportException;
import org.lstm4j.onnx.OnnxImporter;
import org.lstm4j.predict.Prediction;
import org.lstm4j.predict.Predictor;
import org.lstm4j.tensor.FloatTensor;

/**
 * Fuzzes {@link OnnxImporter#importModel(byte[], String)}: any bytes either import as a model the
 * reference engine runs, or are refused with {@link OnnxImportException} naming the source (an
 * {@link IllegalArgumentException} with a message is tolerated, as the issue allows, but none has
 * been seen). Any other exception, an {@link OutOfMemoryError} in the 256 MB test heap, a
 * {@link StackOverflowError} or a hang is a finding.
 *
 * <p>Seeds: {@code src/test/resources/org/lstm4j/reliability/OnnxImportFuzzTestInputs/importsOrRefuses/},
 * fixture models from every group (PyTorch, Keras via tf2onnx, spec) and the ONNX project's node tests.
 */
class OnnxImportFuzzTest {

    private static final String SOURCE = "fuzz.onnx";
    /** Models larger than this are imported but not run: running them would measure the engine, not the importer. */
    private static final long MAX_PARAMETERS_TO_RUN = 200_000;

    @FuzzTest(maxDuration = "5m")
    void importsOrRefuses(byte[] bytes) {
        SequenceModel model;
        try {
            model = OnnxImporter.importModel(bytes, SOURCE);
        } catch (OnnxImportException e) {
            assertTrue(e.getMessage() != null && e.getMessage().startsWith(SOURCE), "a refusal names its source: " + e.getMessage());
            return;
        } catch (IllegalArgumentException e) {
            assertFalse(e.getMessage() == null || e.getMessage().isBlank(), "an IllegalArgumentException must say why");
            return;
        }
        long parameters = model.lstmLayers().stream().mapToLong(LstmLayer::parameterCount).sum();
        if (parameters > MAX_PARAMETERS_TO_RUN) {
            return;
        }
        // What imports must run: the model's checks promised a consistent network.
        try (Predictor p = new ReferenceBackendProvider().compile(model)) {
            Prediction out = p.predict(FloatTensor.zeros(1, 2, model.inputSize()));
            assertEquals(1, out.output().dim(0));
        }
    }
}
