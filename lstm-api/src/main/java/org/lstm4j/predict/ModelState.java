package org.lstm4j.predict;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.lstm4j.model.LstmLayer;
import org.lstm4j.model.SequenceModel;
import org.lstm4j.tensor.FloatTensor;

/**
 * The states of every LSTM layer of a model, in layer order: what a predictor starts from and
 * ends with, and what a streaming predictor snapshots and restores. Immutable, so a snapshot
 * can be kept, shared between threads, or restored many times.
 */
public record ModelState(List<LstmState> layers) {

    public ModelState {
        layers = List.copyOf(layers);
    }

    /** All-zero states for {@code batch} sequences of {@code model}. */
    public static ModelState zeros(SequenceModel model, int batch) {
        List<LstmState> out = new ArrayList<>();
        for (LstmLayer l : model.lstmLayers()) {
            out.add(LstmState.zeros(l.directionCount(), batch, l.hiddenSize()));
        }
        return new ModelState(out);
    }

    public LstmState layer(int index) {
        return layers.get(index);
    }

    public int batch() {
        return layers.isEmpty() ? 0 : layers.get(0).batch();
    }

    /**
     * Checks that this state fits {@code model} with {@code batch} sequences.
     *
     * @throws IllegalArgumentException naming the layer and the shapes that differ
     */
    public void requireFits(SequenceModel model, int batch) {
        List<LstmLayer> lstms = model.lstmLayers();
        if (layers.size() != lstms.size()) {
            throw new IllegalArgumentException("state holds " + layers.size() + " LSTM layer(s), model '" + model.name()
                    + "' has " + lstms.size());
        }
        for (int i = 0; i < lstms.size(); i++) {
            LstmLayer l = lstms.get(i);
            int[] expected = {l.directionCount(), batch, l.hiddenSize()};
            int[] got = layers.get(i).hidden().shape();
            if (!Arrays.equals(expected, got)) {
                throw new IllegalArgumentException("state of LSTM layer '" + l.name() + "' is " + Arrays.toString(got)
                        + ", expected [directions, batch, hidden] = " + Arrays.toString(expected));
            }
        }
    }

    /** The states of sequences {@code [from, to)} of the batch. */
    public ModelState slice(int from, int to) {
        List<LstmState> out = new ArrayList<>();
        for (LstmState s : layers) {
            out.add(new LstmState(sliceBatch(s.hidden(), from, to), sliceBatch(s.cell(), from, to)));
        }
        return new ModelState(out);
    }

    static FloatTensor sliceBatch(FloatTensor t, int from, int to) {
        int d = t.dim(0);
        int b = t.dim(1);
        int h = t.dim(2);
        if (from < 0 || to > b || from > to) {
            throw new IndexOutOfBoundsException("sequences [" + from + ", " + to + ") of a batch of " + b);
        }
        float[] src = t.toArray();
        float[] out = new float[d * (to - from) * h];
        for (int k = 0; k < d; k++) {
            System.arraycopy(src, (k * b + from) * h, out, k * (to - from) * h, (to - from) * h);
        }
        return FloatTensor.of(new int[] {d, to - from, h}, out);
    }
}
