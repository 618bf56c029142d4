package org.lstm4j.examples;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.lstm4j.backend.Backends;
import org.lstm4j.format.ModelLoader;
import org.lstm4j.model.SequenceModel;
import org.lstm4j.predict.Prediction;
import org.lstm4j.predict.Predictor;
import org.lstm4j.tensor.FloatTensor;
import org.lstm4j.tensor.Npy;

/**
 * Importing a Keras model straight from the file Keras saved (or an .onnx export of it), with a
 * sample input and Keras's own prediction for it, compared element by element.
 *
 * <pre>./lstm example keras-import model.keras|model.h5|model.onnx input.npy keras_output.npy [backend]</pre>
 * Without arguments it uses a real user's Keras 3.12 model (the keras3/real_world_aircraft golden:
 * LSTM(64) -> LSTM(32) -> Dense(16, relu) -> Dense(1), with Keras 3.15.1's outputs for three windows).
 */
public final class KerasImportExample {

    private static final String GOLDEN = "/org/lstm4j/conformance/fixtures/keras3/real_world_aircraft/";

    public static void main(String[] args) {
        try {
            SequenceModel m = args.length > 0 ? ModelLoader.load(Path.of(args[0]))
                    : ModelLoader.load(resource("model.keras"), "real_world_aircraft/model.keras");
            System.out.println(m);
            FloatTensor x = (args.length > 1 ? Npy.read(Path.of(args[1])) : Npy.read(stream("inputs/input_layer.npy"))).toFloatTensor();
            FloatTensor keras = (args.length > 2 ? Npy.read(Path.of(args[2])) : Npy.read(stream("expected/dense_1.npy"))).toFloatTensor();
            try (Predictor p = Backends.select(args.length > 3 ? args[3] : null).compile(m)) {
                Prediction got = p.predict(x);
                double worst = 0;
                for (int i = 0; i < keras.size(); i++) {
                    worst = Math.max(worst, Math.abs(got.output().get(i) - keras.get(i)));
                }
                System.out.printf("backend %s: output %s, max |lstm4j - Keras| = %.3g%n", p.backendName(), got.output(), worst);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = stream(name)) {
            return in.readAllBytes();
        }
    }

    private static InputStream stream(String name) throws IOException {
        InputStream in = KerasImportExample.class.getResourceAsStream(GOLDEN + name);
        if (in == null) {
            throw new IOException("missing resource " + GOLDEN + name + " (lstm-conformance on the class path)");
        }
        return in;
    }
}
