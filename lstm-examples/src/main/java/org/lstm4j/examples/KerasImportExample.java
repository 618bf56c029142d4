package org.lstm4j.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.lstm4j.backend.Backends;
import org.lstm4j.model.SequenceModel;
import org.lstm4j.onnx.OnnxImporter;
import org.lstm4j.predict.Prediction;
import org.lstm4j.predict.Predictor;
import org.lstm4j.tensor.FloatTensor;
import org.lstm4j.tensor.Npy;

/**
 * Importing a Keras model: the .onnx that tools/keras/export_keras.py wrote, its sample input, and
 * Keras's own prediction for it, compared element by element.
 *
 * <pre>./lstm example keras-import model.onnx input.npy keras_output.npy [backend]</pre>
 * Without arguments it uses the real-world Keras 3 model in ../shared/fixtures/real-world.
 */
public final class KerasImportExample {

    public static void main(String[] args) {
        Path dir = Path.of("../shared/fixtures/real-world/keras3-tf2onnx-aircraft");
        Path model = args.length > 0 ? Path.of(args[0]) : dir.resolve("model.onnx");
        Path input = args.length > 1 ? Path.of(args[1]) : dir.resolve("input.npy");
        Path expected = args.length > 2 ? Path.of(args[2]) : dir.resolve("expected.npy");
        try {
            SequenceModel m = OnnxImporter.importModel(model);
            System.out.println(m);
            FloatTensor x = Npy.read(input).toFloatTensor();
            FloatTensor keras = Npy.read(expected).toFloatTensor();
            try (Predictor p = Backends.select(args.length > 3 ? args[3] : null).compile(m)) {
                Prediction got = p.predict(x);
                double worst = 0;
                for (int i = 0; i < keras.size(); i++) {
                    worst = Math.max(worst, Math.abs(got.output().get(i) - keras.get(i)));
                }
                System.out.printf("backend %s: output %s, max |lstm4j - expected| = %.3g%n", p.backendName(), got.output(), worst);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
