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
 * lstm-onnx's test resources, real-world/; use your own files.)
 */
class UserAgreementExampleTest {

    @Test
    void myModelGivesTheSameAnswerOnEveryBackend() throws Exception {
        Path dir = Path.of("../lstm-onnx/src/test/resources/real-world/keras3-tf2onnx-aircraft");
        SequenceModel model = OnnxImporter.importModel(dir.resolve("model.onnx"));
        FloatTensor input = Npy.read(dir.resolve("input.npy")).toFloatTensor();
        AgreementAssertions.assertBackendsAgree(model, input);
    }
}
