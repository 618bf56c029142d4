package example;

import java.nio.file.Path;
import org.lstm4j.backend.Backends;
import org.lstm4j.model.SequenceModel;
import org.lstm4j.onnx.OnnxImporter;
import org.lstm4j.predict.Prediction;
import org.lstm4j.predict.Predictor;
import org.lstm4j.tensor.FloatTensor;
import org.lstm4j.tensor.Npy;

/** The README's quick start: import an ONNX model, run an input on the backend the class path brings, print the output. */
public final class Quickstart {
    public static void main(String[] args) throws Exception {
        SequenceModel model = OnnxImporter.importModel(Path.of(args[0]));   // model.onnx
        FloatTensor input = Npy.read(Path.of(args[1])).toFloatTensor();      // [batch, time, features]
        try (Predictor predictor = Backends.select().compile(model)) {
            Prediction prediction = predictor.predict(input);
            System.out.println(predictor.backendName() + ": " + prediction.output());
        }
    }
}
