package org.lstm4j.onnx;

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

/** Seeded random models and inputs for the exporter's tests: every feature of the neutral model, in many shapes. */
final class RandomModels {

    /** The LSTM activations ONNX lists, with alpha and beta chosen so that gates stay in a sensible range. */
    static final List<Activation> LSTM_ACTIVATIONS = List.of(
            Activation.sigmoid(), Activation.tanh(), Activation.relu(), Activation.hardSigmoid(0.3f, 0.45f),
            Activation.kerasHardSigmoid(), Activation.affine(0.7f, 0.1f), Activation.leakyRelu(0.05f),
            Activation.thresholdedRelu(0.2f), Activation.scaledTanh(0.9f, 1.3f), Activation.elu(0.8f),
            Activation.softsign(), Activation.softplus());

    /**
     * The bounded ones, for the gates of random models: an unbounded gate (Relu, Softplus, ...) makes the cell
     * grow geometrically, and past float32's range a float engine and the double reference cannot agree.
     * {@code everyLstmActivationWithItsAlphaAndBetaMatchesReferenceEngine} puts every activation in every place.
     */
    static final List<Activation> GATE_ACTIVATIONS = List.of(
            Activation.sigmoid(), Activation.tanh(), Activation.hardSigmoid(0.3f, 0.45f), Activation.kerasHardSigmoid(),
            Activation.scaledTanh(0.9f, 1.3f), Activation.softsign());

    static final List<Activation> DENSE_ACTIVATIONS = List.of(
            Activation.linear(), Activation.softmax(), Activation.sigmoid(), Activation.tanh(), Activation.relu(),
            Activation.hardSigmoid(), Activation.affine(1.5f, -0.25f), Activation.leakyRelu(0.1f), Activation.thresholdedRelu(0.3f),
            Activation.scaledTanh(1.7f, 0.6f), Activation.elu(1.1f), Activation.softsign(), Activation.softplus());

    private RandomModels() {
    }

    static float[] uniform(Random rnd, int n, float scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (rnd.nextFloat() * 2f - 1f) * scale;
        }
        return a;
    }

    static LstmWeights weights(Random rnd, int in, int hidden, boolean peepholes) {
        float s = (float) (1.0 / Math.sqrt(hidden));
        return LstmWeights.of(in, hidden, uniform(rnd, 4 * hidden * in, s), uniform(rnd, 4 * hidden * hidden, s),
                uniform(rnd, 4 * hidden, s), uniform(rnd, 4 * hidden, s), peepholes ? uniform(rnd, 3 * hidden, s) : null);
    }

    /**
     * Options for {@link #model}: which features the random draw may use. {@code importerOneToOne} keeps to
     * models the importer maps back one to one: no standalone activation layers (it reads them as dense
     * layers), no Affine or ScaledTanh dense activations (no ONNX operator; written as Mul/Add), and
     * go_backwards only in models of one LSTM layer (the importer recognises a forward LSTM over the
     * time-reversed graph input, Keras's and tf2onnx's form, but refuses a reverse or bidirectional LSTM
     * after it, and reads a forward LSTM over a reversed earlier LSTM output as two reversals).
     */
    record Features(boolean directions, boolean activations, boolean clip, boolean inputForget, boolean peepholes, boolean dense,
                    boolean importerOneToOne) {
        static Features all() {
            return new Features(true, true, true, true, true, true, false);
        }

        static Features oneToOneForImporter() {
            return new Features(true, true, true, true, true, true, true);
        }
    }

    /** A model of 1 to 3 LSTM layers with random features, and dense layers between and after them. */
    static SequenceModel model(long seed, Features f) {
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
            if (dir == Direction.REVERSE && mode == OutputMode.SEQUENCES && rnd.nextBoolean() && (layers == 1 || !f.importerOneToOne())) {
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
                ws.add(weights(rnd, width, hidden, peep));
            }
            LstmLayer l = lb.weights(ws).build();
            mb.add(l);
            width = l.outputSize();
            if (f.dense() && rnd.nextInt(3) == 0) {
                width = addDense(mb, rnd, width, "dense" + k, false, f.importerOneToOne());
            }
            if (f.dense() && rnd.nextInt(4) == 0 && !f.importerOneToOne()) {
                // A standalone activation (PyTorch nn.ReLU between layers, Keras Activation).
                mb.add(ActivationLayer.of("act" + k, width, pick(rnd, DENSE_ACTIVATIONS)));
            }
        }
        if (f.dense() && rnd.nextBoolean()) {
            addDense(mb, rnd, width, "head", true, f.importerOneToOne());
        }
        return mb.build();
    }

    private static int addDense(SequenceModel.Builder mb, Random rnd, int in, String name, boolean head, boolean onnxOperatorsOnly) {
        int units = 1 + rnd.nextInt(5);
        Activation a = pick(rnd, DENSE_ACTIVATIONS);
        if (!head && a.kind() == Activation.Kind.SOFTMAX) {
            a = Activation.tanh();
        }
        if (onnxOperatorsOnly && (a.kind() == Activation.Kind.AFFINE || a.kind() == Activation.Kind.SCALED_TANH)) {
            a = Activation.sigmoid();
        }
        mb.add(DenseLayer.of(name, DenseWeights.of(in, units, uniform(rnd, in * units, 0.8f), uniform(rnd, units, 0.3f)), a));
        return units;
    }

    static <T> T pick(Random rnd, List<T> list) {
        return list.get(rnd.nextInt(list.size()));
    }

    static FloatTensor input(Random rnd, int batch, int time, int features) {
        return FloatTensor.of(new int[] {batch, time, features}, uniform(rnd, batch * time * features, 1.5f));
    }

    static ModelState state(Random rnd, SequenceModel m, int batch) {
        List<LstmState> out = new ArrayList<>();
        for (LstmLayer l : m.lstmLayers()) {
            int[] shape = {l.directionCount(), batch, l.hiddenSize()};
            int n = shape[0] * shape[1] * shape[2];
            out.add(new LstmState(FloatTensor.of(shape, uniform(rnd, n, 0.8f)), FloatTensor.of(shape, uniform(rnd, n, 0.8f))));
        }
        return new ModelState(out);
    }

    static int[] lengths(Random rnd, int batch, int time) {
        int[] l = new int[batch];
        for (int b = 0; b < batch; b++) {
            l[b] = 1 + rnd.nextInt(time);
        }
        l[rnd.nextInt(batch)] = time;  // one full-length sequence, as a padded batch has
        return l;
    }
}
