package org.lstm4j.examples;

import java.util.Random;
import org.lstm4j.backend.BackendProvider;
import org.lstm4j.backend.Backends;
import org.lstm4j.model.Activation;
import org.lstm4j.model.DenseLayer;
import org.lstm4j.model.LstmLayer;
import org.lstm4j.model.OutputMode;
import org.lstm4j.model.SequenceModel;
import org.lstm4j.predict.Prediction;
import org.lstm4j.predict.Predictor;
import org.lstm4j.tensor.FloatTensor;
import org.lstm4j.weights.DenseWeights;
import org.lstm4j.weights.LstmWeights;

/**
 * The seed article's model defined in Java: Keras's {@code LSTM(50, input_shape=(100, 10))}
 * followed by {@code Dense(10)}, with weights in Keras's layout (as {@code layer.get_weights()}
 * returns them), predicting a batch of sequences on whichever backend is selected.
 *
 * <pre>./lstm example seed</pre>
 */
public final class SeedModelExample {

    public static void main(String[] args) {
        Random rnd = new Random(42);
        SequenceModel model = model(rnd);
        System.out.println(model);

        FloatTensor input = FloatTensor.of(new int[] {4, 100, model.inputSize()}, uniform(rnd, 4 * 100 * model.inputSize()));
        BackendProvider backend = Backends.select(args.length > 0 ? args[0] : null);
        try (Predictor predictor = backend.compile(model)) {
            Prediction p = predictor.predict(input);
            System.out.println("backend: " + predictor.backendName() + " (thread-safe: " + predictor.isThreadSafe() + ")");
            System.out.println("input  " + input);
            System.out.println("output " + p.output());
        }
    }

    /** The seed model with this example's weights (the generator seeded with 42), as other examples use it. */
    public static SequenceModel model() {
        return model(new Random(42));
    }

    /** Draws the weights from {@code rnd}: Keras's layout, uniform in [-0.2, 0.2). */
    private static SequenceModel model(Random rnd) {
        int features = 10;
        int units = 50;
        // Keras: kernel (10, 200), recurrent_kernel (50, 200), bias (200,); Dense kernel (50, 10), bias (10,).
        LstmWeights lstmWeights = LstmWeights.fromKeras(features, units,
                uniform(rnd, features * 4 * units), uniform(rnd, units * 4 * units), uniform(rnd, 4 * units));
        return SequenceModel.builder(features).name("seed")
                .add(LstmLayer.builder(features, units).name("lstm")
                        .outputMode(OutputMode.FINAL_STATE)   // Keras return_sequences=False
                        .weights(lstmWeights).build())
                .add(DenseLayer.of("dense", DenseWeights.fromKeras(units, 10, uniform(rnd, units * 10), uniform(rnd, 10)),
                        Activation.linear()))
                .build();
    }

    private static float[] uniform(Random rnd, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (rnd.nextFloat() * 2 - 1) * 0.2f;
        }
        return a;
    }
}
