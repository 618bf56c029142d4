package org.lstm4j.backend.nd4j;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.lstm4j.model.Activation;
import org.lstm4j.model.DenseLayer;
import org.lstm4j.model.Direction;
import org.lstm4j.model.LstmLayer;
import org.lstm4j.model.MergeMode;
import org.lstm4j.model.OutputMode;
import org.lstm4j.model.SequenceModel;
import org.lstm4j.predict.LstmState;
import org.lstm4j.predict.ModelState;
import org.lstm4j.tensor.FloatTensor;
import org.lstm4j.weights.DenseWeights;
import org.lstm4j.weights.LstmWeights;

/** Seeded random models, inputs and states for comparing ND4J with the reference engine. */
final class RandomModels {
    private final Random random;

    RandomModels(long seed) {
        this.random = new Random(seed);
    }

    float[] uniform(int n, float scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (random.nextFloat() * 2f - 1f) * scale;
        }
        return v;
    }

    LstmWeights weights(int in, int hidden, boolean peepholes) {
        float s = (float) (1.0 / Math.sqrt(hidden));
        return LstmWeights.of(in, hidden, uniform(4 * hidden * in, s), uniform(4 * hidden * hidden, s),
                uniform(4 * hidden, s), uniform(4 * hidden, s), peepholes ? uniform(3 * hidden, s) : null);
    }

    /** A layer builder with random weights for every direction. */
    LstmLayer.Builder lstm(int in, int hidden, Direction direction, boolean peepholes) {
        List<LstmWeights> w = new ArrayList<>();
        for (int d = 0; d < direction.count(); d++) {
            w.add(weights(in, hidden, peepholes));
        }
        return LstmLayer.builder(in, hidden).direction(direction).weights(w);
    }

    DenseLayer dense(int in, int units, Activation activation) {
        float s = (float) (1.0 / Math.sqrt(in));
        return DenseLayer.of(DenseWeights.of(in, units, uniform(in * units, s), uniform(units, s)), activation);
    }

    FloatTensor input(int batch, int time, int features) {
        return FloatTensor.of(new int[] {batch, time, features}, uniform(batch * time * features, 1.5f));
    }

    /** A non-zero state for every LSTM layer, so that a swapped h and c shows. */
    ModelState state(SequenceModel model, int batch) {
        List<LstmState> layers = new ArrayList<>();
        for (LstmLayer l : model.lstmLayers()) {
            int n = l.directionCount() * batch * l.hiddenSize();
            int[] shape = {l.directionCount(), batch, l.hiddenSize()};
            layers.add(new LstmState(FloatTensor.of(shape, uniform(n, 0.9f)), FloatTensor.of(shape, uniform(n, 1.5f))));
        }
        return new ModelState(layers);
    }

    static SequenceModel model(int inputSize, Object... layers) {
        SequenceModel.Builder b = SequenceModel.builder(inputSize).name("random");
        for (Object l : layers) {
            b.add(l instanceof LstmLayer.Builder lb ? lb.build() : (org.lstm4j.model.Layer) l);
        }
        return b.build();
    }

    static MergeMode[] merges() {
        return MergeMode.values();
    }

    static OutputMode[] outputs() {
        return OutputMode.values();
    }
}
