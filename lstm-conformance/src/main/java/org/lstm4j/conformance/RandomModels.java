package org.lstm4j.conformance;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.lstm4j.model.Activation;
import org.lstm4j.model.DenseLayer;
import org.lstm4j.model.Direction;
import org.lstm4j.model.LstmLayer;
import org.lstm4j.model.SequenceModel;
import org.lstm4j.predict.LstmState;
import org.lstm4j.predict.ModelState;
import org.lstm4j.tensor.FloatTensor;
import org.lstm4j.weights.DenseWeights;
import org.lstm4j.weights.LstmWeights;

/**
 * Seeded random models and data for the kit. Weights are uniform in {@code [-1/sqrt(H), 1/sqrt(H)]},
 * PyTorch's initialisation, so that gate pre-activations have realistic magnitudes.
 */
public final class RandomModels {
    private RandomModels() {
    }

    public static LstmWeights lstmWeights(Random rnd, int in, int hidden, boolean peepholes) {
        float k = (float) (1.0 / Math.sqrt(hidden));
        return LstmWeights.of(in, hidden, uniform(rnd, 4 * hidden * in, k), uniform(rnd, 4 * hidden * hidden, k),
                uniform(rnd, 4 * hidden, k), uniform(rnd, 4 * hidden, k), peepholes ? uniform(rnd, 3 * hidden, k) : null);
    }

    /** A layer builder with random weights for every direction. */
    public static LstmLayer.Builder lstm(Random rnd, int in, int hidden, Direction direction, boolean peepholes) {
        List<LstmWeights> w = new ArrayList<>();
        for (int d = 0; d < direction.count(); d++) {
            w.add(lstmWeights(rnd, in, hidden, peepholes));
        }
        return LstmLayer.builder(in, hidden).direction(direction).weights(w);
    }

    public static DenseLayer dense(Random rnd, int in, int units, Activation activation) {
        float k = (float) (1.0 / Math.sqrt(in));
        return DenseLayer.of("dense", DenseWeights.of(in, units, uniform(rnd, in * units, k), uniform(rnd, units, k)), activation);
    }

    /** Values uniform in {@code [-1, 1)}. */
    public static FloatTensor input(Random rnd, int batch, int time, int features) {
        return FloatTensor.of(new int[] {batch, time, features}, uniform(rnd, batch * time * features, 1f));
    }

    /** A non-zero state for every LSTM layer of {@code model}. */
    public static ModelState state(Random rnd, SequenceModel model, int batch) {
        List<LstmState> layers = new ArrayList<>();
        for (LstmLayer l : model.lstmLayers()) {
            int n = l.directionCount() * batch * l.hiddenSize();
            int[] shape = {l.directionCount(), batch, l.hiddenSize()};
            layers.add(new LstmState(FloatTensor.of(shape, uniform(rnd, n, 0.8f)), FloatTensor.of(shape, uniform(rnd, n, 1.5f))));
        }
        return new ModelState(layers);
    }

    static float[] uniform(Random rnd, int n, float scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (rnd.nextFloat() * 2 - 1) * scale;
        }
        return a;
    }
}
