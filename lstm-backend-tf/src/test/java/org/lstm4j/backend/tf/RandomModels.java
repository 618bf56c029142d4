package org.lstm4j.backend.tf;

import java.util.Random;
import java.util.function.UnaryOperator;
import org.lstm4j.model.Activation;
import org.lstm4j.model.DenseLayer;
import org.lstm4j.model.Direction;
import org.lstm4j.model.LstmLayer;
import org.lstm4j.model.MergeMode;
import org.lstm4j.model.OutputMode;
import org.lstm4j.tensor.FloatTensor;
import org.lstm4j.weights.DenseWeights;
import org.lstm4j.weights.LstmWeights;

/** Seeded random layers and inputs for comparing with the reference engine. */
final class RandomModels {
    private final Random random;
    /** Weights are uniform in +-scale/sqrt(H), PyTorch's initialisation when scale is 1. */
    private float scale = 1f;

    RandomModels(long seed) {
        this.random = new Random(seed);
    }

    RandomModels scale(float s) {
        this.scale = s;
        return this;
    }

    float[] uniform(int n, float bound) {
        float[] a = new float[n];
        for (int k = 0; k < n; k++) {
            a[k] = (random.nextFloat() * 2f - 1f) * bound;
        }
        return a;
    }

    LstmWeights weights(int in, int hidden, boolean peepholes) {
        float k = scale / (float) Math.sqrt(hidden);
        return LstmWeights.of(in, hidden, uniform(4 * hidden * in, k), uniform(4 * hidden * hidden, k),
                uniform(4 * hidden, k), uniform(4 * hidden, k), peepholes ? uniform(3 * hidden, k) : null);
    }

    LstmLayer lstm(String name, int in, int hidden, Direction direction, MergeMode merge, OutputMode output) {
        return lstm(name, in, hidden, direction, merge, output, false, b -> b);
    }

    LstmLayer lstm(String name, int in, int hidden, Direction direction, MergeMode merge, OutputMode output,
                   boolean peepholes, UnaryOperator<LstmLayer.Builder> tweak) {
        LstmWeights[] w = new LstmWeights[direction.count()];
        for (int d = 0; d < w.length; d++) {
            w[d] = weights(in, hidden, peepholes);
        }
        LstmLayer.Builder b = LstmLayer.builder(in, hidden).name(name).direction(direction).mergeMode(merge)
                .outputMode(output).weights(w);
        return tweak.apply(b).build();
    }

    DenseLayer dense(String name, int in, int units, Activation activation) {
        float k = 1f / (float) Math.sqrt(in);
        return DenseLayer.of(name, DenseWeights.of(in, units, uniform(in * units, k), uniform(units, k)), activation);
    }

    FloatTensor tensor(float bound, int... shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return FloatTensor.of(shape, uniform(n, bound));
    }

    int[] lengths(int batch, int time) {
        int[] l = new int[batch];
        for (int b = 0; b < batch; b++) {
            l[b] = 1 + random.nextInt(time);
        }
        l[0] = time;  // one full-length sequence, one of length 1 when the batch has room: both edges
        if (batch > 1) {
            l[1] = 1;
        }
        return l;
    }
}
