package org.lstm4j.examples;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.lstm4j.conformance.AgreementAssertions;
import org.lstm4j.model.SequenceModel;
import org.lstm4j.onnx.OnnxImporter;
import org.lstm4j.tensor.FloatTensor;
import org.lstm4j.tensor.Npy;

/**
 * What a user writes to check that every backend on their test class path gives the same answer
 * for their own model: import it, load an input, assert. (Here: the real-world Keras 3 model in
 * ../shared/fixtures/real-world; use your own files.)
 */
class UserAgreementExampleTest {

    @Test
    void myModelGivesTheSameAnswerOnEveryBackend() throws Exception {
        Path dir = Path.of("../../shared/fixtures/real-world/keras3-tf2onnx-aircraft");
        if (!dir.toFile().isDirectory()) {
            dir = Path.of("../shared/fixtures/real-world/keras3-tf2onnx-aircraft");
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(dir.toFile().isDirectory(), "the shared real-world fixtures are not beside this checkout");
        SequenceModel model = OnnxImporter.importModel(dir.resolve("model.onnx"));
        FloatTensor input = Npy.read(dir.resolve("input.npy")).toFloatTensor();
        AgreementAssertions.assertBackendsAgree(model, input);
    }
}
