package org.lstm4j.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.lstm4j.model.Activation;
import org.lstm4j.model.DenseLayer;
import org.lstm4j.model.LstmLayer;
import org.lstm4j.model.OutputMode;
import org.lstm4j.model.SequenceModel;
import org.lstm4j.tensor.FloatTensor;
import org.lstm4j.tensor.Npy;
import org.lstm4j.weights.DenseWeights;
import org.lstm4j.weights.LstmWeights;

/** The benchmark models: seeded random weights, or the ones the side-by-side script wrote for PyTorch. */
public final class BenchModels {
    private BenchModels() {
    }

    /** Uniform in [-1/sqrt(H), 1/sqrt(H)], PyTorch's initialisation, from a fixed seed. */
    public static SequenceModel random(BenchShape s) {
        Random rnd = new Random(9);
        float k = (float) (1.0 / Math.sqrt(s.hidden));
        int g = 4 * s.hidden;
        return build(s, uniform(rnd, g * s.input, k), uniform(rnd, g * s.hidden, k), uniform(rnd, g, k), uniform(rnd, g, k),
                s.dense ? uniform(rnd, 10 * s.hidden, k) : null, s.dense ? uniform(rnd, 10, k) : null);
    }

    /**
     * The model from PyTorch's own arrays in {@code dir} (weight_ih_l0.npy, weight_hh_l0.npy, bias_ih_l0.npy,
     * bias_hh_l0.npy, and linear_weight.npy, linear_bias.npy when there is a Dense), through the layout converters.
     */
    public static SequenceModel fromPyTorch(BenchShape s, Path dir) throws IOException {
        return build(s, read(dir, "weight_ih_l0"), read(dir, "weight_hh_l0"), read(dir, "bias_ih_l0"), read(dir, "bias_hh_l0"),
                s.dense ? read(dir, "linear_weight") : null, s.dense ? read(dir, "linear_bias") : null);
    }

    private static SequenceModel build(BenchShape s, float[] wih, float[] whh, float[] bih, float[] bhh, float[] lw, float[] lb) {
        LstmLayer lstm = LstmLayer.builder(s.input, s.hidden).name("lstm")
                .outputMode(s == BenchShape.B_SEQUENCE ? OutputMode.FINAL_STATE : OutputMode.SEQUENCES)
                .weights(List.of(LstmWeights.fromPyTorch(s.input, s.hidden, wih, whh, bih, bhh))).build();
        SequenceModel.Builder b = SequenceModel.builder(s.input).name("bench-" + s.letter).add(lstm);
        if (s.dense) {
            b.add(DenseLayer.of("dense", DenseWeights.fromPyTorch(s.hidden, 10, lw, lb), Activation.linear()));
        }
        return b.build();
    }

    /** The input: [batch, time, input] uniform in [-1, 1) from a fixed seed. */
    public static FloatTensor input(BenchShape s) {
        return FloatTensor.of(new int[] {s.batch, s.time, s.input}, uniform(new Random(11), s.batch * s.time * s.input, 1f));
    }

    static float[] read(Path dir, String name) throws IOException {
        return Npy.read(dir.resolve(name + ".npy")).toFloatTensor().toArray();
    }

    static float[] uniform(Random rnd, int n, float scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (rnd.nextFloat() * 2 - 1) * scale;
        }
        return a;
    }
}
