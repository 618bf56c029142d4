package org.lstm4j.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.lstm4j.model.Activation;
import org.lstm4j.model.ActivationLayer;
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

/**
 * Seeded random weights, layers, models, inputs and states, the one copy every module's tests use. Weights
 * are uniform in {@code [-1/sqrt(H), 1/sqrt(H)]}, PyTorch's initialisation, so that gate pre-activations have
 * realistic magnitudes. Every method draws from the {@link Random} it is given, so a seed fixes the result.
 */
public final class RandomModels {

    /** The LSTM activations ONNX lists, with alpha and beta chosen so that gates stay in a sensible range. */
    public static final List<Activation> LSTM_ACTIVATIONS = List.of(
            Activation.sigmoid(), Activation.tanh(), Activation.relu(), Activation.hardSigmoid(0.3f, 0.45f),
            Activation.kerasHardSigmoid(), Activation.affine(0.7f, 0.1f), Activation.leakyRelu(0.05f),
            Activation.thresholdedRelu(0.2f), Activation.scaledTanh(0.9f, 1.3f), Activation.elu(0.8f),
            Activation.softsign(), Activation.softplus());

    /**
     * The bounded ones, for the gates of random models: an unbounded gate (Relu, Softplus, ...) makes the cell
     * grow geometrically, and past float32's range a float engine and the double reference cannot agree.
     */
    public static final List<Activation> GATE_ACTIVATIONS = List.of(
            Activation.sigmoid(), Activation.tanh(), Activation.hardSigmoid(0.3f, 0.45f), Activation.kerasHardSigmoid(),
            Activation.scaledTanh(0.9f, 1.3f), Activation.softsign());

    public static final List<Activation> DENSE_ACTIVATIONS = List.of(
            Activation.linear(), Activation.softmax(), Activation.sigmoid(), Activation.tanh(), Activation.relu(),
            Activation.hardSigmoid(), Activation.affine(1.5f, -0.25f), Activation.leakyRelu(0.1f), Activation.thresholdedRelu(0.3f),
            Activation.scaledTanh(1.7f, 0.6f), Activation.elu(1.1f), Activation.softsign(), Activation.softplus());

    private RandomModels() {
    }

    /** {@code n} values uniform in {@code [-bound, bound)}. */
    public static float[] uniform(Random rnd, int n, float bound) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (rnd.nextFloat() * 2 - 1) * bound;
        }
        return a;
    }

    /** A tensor of the given shape, values uniform in {@code [-bound, bound)}. */
    public static FloatTensor tensor(Random rnd, float bound, int... shape) {
        return FloatTensor.of(shape, uniform(rnd, (int) FloatTensor.elementCount(shape), bound));
    }

    /** {@code [batch, time, features]} uniform in {@code [-1, 1)}. */
    public static FloatTensor input(Random rnd, int batch, int time, int features) {
        return tensor(rnd, 1f, batch, time, features);
    }

    /** One direction's weights, uniform in {@code ±1/sqrt(hidden)}. */
    public static LstmWeights lstmWeights(Random rnd, int in, int hidden, boolean peepholes) {
        return lstmWeights(rnd, in, hidden, peepholes, 1f);
    }

    /** One direction's weights, uniform in {@code ±scale/sqrt(hidden)} (a scale above 1 drives cells into clipping). */
    public static LstmWeights lstmWeights(Random rnd, int in, int hidden, boolean peepholes, float scale) {
        float k = (float) (scale / Math.sqrt(hidden));
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

    /** A dense layer named {@code dense}, weights uniform in {@code ±1/sqrt(in)}. */
    public static DenseLayer dense(Random rnd, int in, int units, Activation activation) {
        return dense(rnd, "dense", in, units, activation);
    }

    public static DenseLayer dense(Random rnd, String name, int in, int units, Activation activation) {
        float k = (float) (1.0 / Math.sqrt(in));
        return DenseLayer.of(name, DenseWeights.of(in, units, uniform(rnd, in * units, k), uniform(rnd, units, k)), activation);
    }

    /** A non-zero state for every LSTM layer of {@code model} (hidden in ±0.8, cell in ±1.5), so that a swapped h and c shows. */
    public static ModelState state(Random rnd, SequenceModel model, int batch) {
        List<LstmState> layers = new ArrayList<>();
        for (LstmLayer l : model.lstmLayers()) {
            int[] shape = {l.directionCount(), batch, l.hiddenSize()};
            layers.add(new LstmState(tensor(rnd, 0.8f, shape), tensor(rnd, 1.5f, shape)));
        }
        return new ModelState(layers);
    }

    /** Sequence lengths in {@code [1, time]}: the first full length and, when the batch has room, the second of length 1 (both edges). */
    public static int[] lengths(Random rnd, int batch, int time) {
        int[] l = new int[batch];
        for (int b = 0; b < batch; b++) {
            l[b] = 1 + rnd.nextInt(time);
        }
        l[0] = time;
        if (batch > 1) {
            l[1] = 1;
        }
        return l;
    }

    public static <T> T pick(Random rnd, List<T> list) {
        return list.get(rnd.nextInt(list.size()));
    }

    /**
     * Which features {@link #model(long, Features)} may draw. {@code importerOneToOne} keeps to models the ONNX
     * importer maps back one to one: no Affine or ScaledTanh activations (no ONNX operator; written as Mul/Add),
     * no linear standalone activation (written as nothing), and no standalone activation right after a dense
     * layer without activation (the graph is then a dense layer with that activation). go_backwards is drawn in
     * stacks too: the importer maps a forward LSTM over a time-reversed sequence (Keras's and tf2onnx's form)
     * wherever it is in the stack.
     */
    public record Features(boolean directions, boolean activations, boolean clip, boolean inputForget, boolean peepholes,
                           boolean dense, boolean importerOneToOne) {
        public static Features all() {
            return new Features(true, true, true, true, true, true, false);
        }

        public static Features oneToOneForImporter() {
            return new Features(true, true, true, true, true, true, true);
        }
    }

    /** A model of 1 to 3 LSTM layers with random features, and dense and activation layers between and after them. */
    public static SequenceModel model(long seed, Features f) {
        Random rnd = new Random(seed);
        int input = 1 + rnd.nextInt(5);
        SequenceModel.Builder mb = SequenceModel.builder(input).name("random_" + seed);
        int layers = 1 + rnd.nextInt(3);
        int width = input;
        for (int k = 0; k < layers; k++) {
            boolean last = k == layers - 1;
            int hidden = 1 + rnd.nextInt(6);
            Direction dir = f.directions() ? Direction.values()[rnd.nextInt(3)] : Direction.FORWARD;
            OutputMode mode = last ? OutputMode.values()[rnd.nextInt(3)] : OutputMode.SEQUENCES;
            LstmLayer.Builder lb = LstmLayer.builder(width, hidden).name("lstm" + k).direction(dir).outputMode(mode);
            MergeMode merge = MergeMode.values()[rnd.nextInt(4)];
            if (dir == Direction.BIDIRECTIONAL) {
                lb.mergeMode(merge);  // one direction keeps the default CONCAT, as importers write it
            }
            if (dir == Direction.REVERSE && mode == OutputMode.SEQUENCES && rnd.nextBoolean()) {
                lb.reversedOutputOrder(true);
            }
            if (f.activations() && rnd.nextInt(3) == 0) {
                lb.activations(pick(rnd, GATE_ACTIVATIONS), pick(rnd, LSTM_ACTIVATIONS), pick(rnd, LSTM_ACTIVATIONS));
            }
            if (f.clip() && rnd.nextInt(4) == 0) {
                lb.cellClip(0.5f + rnd.nextFloat() * 2f);
            }
            if (f.inputForget() && rnd.nextInt(4) == 0) {
                lb.coupledInputForget(true);
            }
            boolean peep = f.peepholes() && rnd.nextInt(3) == 0;
            List<LstmWeights> ws = new ArrayList<>();
            for (int d = 0; d < dir.count(); d++) {
                ws.add(lstmWeights(rnd, width, hidden, peep));
            }
            LstmLayer l = lb.weights(ws).build();
            mb.add(l);
            width = l.outputSize();
            DenseLayer dense = null;
            if (f.dense() && rnd.nextInt(3) == 0) {
                dense = addDense(mb, rnd, width, "dense" + k, false, f.importerOneToOne());
                width = dense.outputSize();
            }
            if (f.dense() && rnd.nextInt(4) == 0) {
                // A standalone activation (PyTorch nn.ReLU between layers, Keras Activation).
                Activation a = pick(rnd, DENSE_ACTIVATIONS);
                boolean oneToOne = a.kind() != Activation.Kind.LINEAR && a.kind() != Activation.Kind.AFFINE
                        && a.kind() != Activation.Kind.SCALED_TANH
                        && (dense == null || dense.activation().kind() != Activation.Kind.LINEAR);
                if (oneToOne || !f.importerOneToOne()) {
                    mb.add(ActivationLayer.of("act" + k, width, a));
                }
            }
        }
        if (f.dense() && rnd.nextBoolean()) {
            addDense(mb, rnd, width, "head", true, f.importerOneToOne());
        }
        return mb.build();
    }

    private static DenseLayer addDense(SequenceModel.Builder mb, Random rnd, int in, String name, boolean head, boolean onnxOperatorsOnly) {
        int units = 1 + rnd.nextInt(5);
        Activation a = pick(rnd, DENSE_ACTIVATIONS);
        if (!head && a.kind() == Activation.Kind.SOFTMAX) {
            a = Activation.tanh();
        }
        if (onnxOperatorsOnly && (a.kind() == Activation.Kind.AFFINE || a.kind() == Activation.Kind.SCALED_TANH)) {
            a = Activation.sigmoid();
        }
        DenseLayer d = DenseLayer.of(name, DenseWeights.of(in, units, uniform(rnd, in * units, 0.8f), uniform(rnd, units, 0.3f)), a);
        mb.add(d);
        return d;
    }
}
