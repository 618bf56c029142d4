package org.lstm4j.predict;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.lstm4j.backend.Capability;
import org.lstm4j.backend.UnsupportedInputException;
import org.lstm4j.model.ActivationLayer;
import org.lstm4j.model.DenseLayer;
import org.lstm4j.model.Direction;
import org.lstm4j.model.Layer;
import org.lstm4j.model.LstmLayer;
import org.lstm4j.model.MaskedOutput;
import org.lstm4j.model.OutputMode;
import org.lstm4j.model.SequenceModel;
import org.lstm4j.tensor.FloatTensor;
import org.lstm4j.tensor.IntTensor;
import org.lstm4j.weights.DenseWeights;

/**
 * Runs a batch whose mask is contiguous in every row (pre-, post- or two-sided padding) on an engine
 * that knows only right-padded sequence lengths, exactly as {@link StepMask}'s equations say:
 * <ol>
 *   <li>a masked step leaves the state alone, so a row's valid run {@code [s, s + L)} computes what it
 *       would compute moved to the front: each row is rotated left by {@code s} (every layer at once,
 *       since the mask follows the sequence through stacked layers) and run with length {@code L};</li>
 *   <li>the outputs of the valid steps are rotated back (a {@code go_backwards} layer's, in processing
 *       order, are moved from the end of the rotated run to the end of the row's processing);</li>
 *   <li>the masked steps of the last LSTM's sequence output are filled as its {@link MaskedOutput}
 *       says, walking the processing order; what follows the last LSTM works on each step alone, so
 *       filling the model's output is filling the LSTM's;</li>
 *   <li>rows without a valid step never reach the engine: their outputs are what the layers after the
 *       last LSTM make of a zero output (or of the carried state, for a continued stream) and their
 *       final state is their initial state.</li>
 * </ol>
 * Checked against the reference engine (which computes the masked equations step by step) and Keras's
 * pre- and post-padded goldens by the conformance kit on every backend.
 */
final class ContiguousMaskRun {
    private ContiguousMaskRun() {
    }

    static Prediction run(SequenceModel model, SequenceBatch batch, StepMask mask, Function<SequenceBatch, Prediction> engine,
                          String backend) {
        List<LstmLayer> lstms = model.lstmLayers();
        LstmLayer last = lstms.get(lstms.size() - 1);
        int nb = batch.batchSize();
        int nt = batch.timeSteps();
        int[] start = new int[nb];
        int[] length = new int[nb];
        int[] engineRow = new int[nb];
        List<Integer> rows = new ArrayList<>();
        for (int b = 0; b < nb; b++) {
            start[b] = mask.firstValid(b);
            length[b] = mask.validCount(b);
            engineRow[b] = length[b] > 0 ? rows.size() : -1;
            if (length[b] > 0) {
                rows.add(b);
            }
        }
        refuseWhatRotationCannotDo(model, lstms, mask, start, length, backend);
        Prediction p = rows.isEmpty() ? null : engine.apply(engineBatch(batch, rows, start, length));

        List<Layer> head = model.layers().subList(model.layers().indexOf(last) + 1, model.layers().size());
        float[] zeroOutput = head(head, new double[last.outputSize()]);
        int width = model.outputSize();
        boolean sequences = model.outputsSequences();
        float[] out = new float[nb * (sequences ? nt : 1) * width];
        for (int b = 0; b < nb; b++) {
            float[] carried = batch.continuesStreams() ? head(head, carriedOutput(last, batch.initialState(), lstms.size() - 1, b)) : zeroOutput;
            if (!sequences) {
                float[] v = engineRow[b] >= 0 ? rowOf(p.output(), engineRow[b], width)
                        : last.outputMode() == OutputMode.FINAL_STATE || last.maskedOutput() == MaskedOutput.PREVIOUS ? carried : zeroOutput;
                System.arraycopy(v, 0, out, b * width, width);
                continue;
            }
            float[][] row = new float[nt][];
            if (engineRow[b] >= 0) {
                int s = start[b];
                int e = s + length[b];
                for (int j = 0; j < length[b]; j++) {
                    // A go_backwards layer writes in processing order: the rotated run's valid outputs end its time
                    // axis, and in the row they come after the steps processed first (the padding after the run).
                    int k = last.reversedOutputOrder() ? nt - e + j : s + j;
                    int from = last.reversedOutputOrder() ? nt - length[b] + j : j;
                    row[k] = rowOf(p.output(), engineRow[b] * nt + from, width);
                }
            }
            boolean descending = last.direction() == Direction.REVERSE && !last.reversedOutputOrder();
            float[] prev = last.maskedOutput() == MaskedOutput.PREVIOUS ? carried : zeroOutput;
            for (int i = 0; i < nt; i++) {
                int k = descending ? nt - 1 - i : i;
                if (row[k] != null) {
                    prev = row[k];
                } else {
                    row[k] = last.maskedOutput() == MaskedOutput.PREVIOUS ? prev : zeroOutput;
                }
                System.arraycopy(row[k], 0, out, (b * nt + k) * width, width);
            }
        }
        FloatTensor output = FloatTensor.of(sequences ? new int[] {nb, nt, width} : new int[] {nb, width}, out);
        return new Prediction(output, finalStates(model, batch, p, engineRow));
    }

    private static void refuseWhatRotationCannotDo(SequenceModel model, List<LstmLayer> lstms, StepMask mask, int[] start, int[] length,
                                                   String backend) {
        String needs = "; backend '" + backend + "' does not declare " + Capability.ARBITRARY_MASKS + " (the java and java-fast backends run it)";
        boolean rotates = false;
        for (int b = 0; b < start.length; b++) {
            rotates |= length[b] > 0 && start[b] > 0;
        }
        for (int i = 0; i < lstms.size() - 1 && rotates; i++) {
            // Unrotated (post-padded) rows are exact: the engine computes this as Keras does.
            if (lstms.get(i).reversedOutputOrder()) {
                throw new UnsupportedInputException("model '" + model.name() + "': LSTM layer '" + lstms.get(i).name()
                        + "' (go_backwards) feeds another LSTM its outputs in reversed order while the mask stays in input order, "
                        + "and the batch has padding before a row's first valid step" + needs);
            }
        }
        LstmLayer last = lstms.get(lstms.size() - 1);
        if (last.outputMode() != OutputMode.LAST_STEP) {
            return;
        }
        for (int b = 0; b < start.length; b++) {
            boolean padsTheEnd = length[b] > 0 && start[b] + length[b] < mask.timeSteps();
            if (length[b] > 0 && start[b] != 0 || padsTheEnd && last.maskedOutput() == MaskedOutput.PREVIOUS) {
                throw new UnsupportedInputException("model '" + model.name() + "' outputs the batch's last time step (LAST_STEP), and row " + b
                        + " is padded at its " + (start[b] != 0 ? "start" : "end") + needs);
            }
        }
    }

    /** The rows that have a valid step, each rotated so that its valid run starts at step 0, with right-padded lengths. */
    private static SequenceBatch engineBatch(SequenceBatch batch, List<Integer> rows, int[] start, int[] length) {
        int n = rows.size();
        int nt = batch.timeSteps();
        SequenceBatch eb;
        if (batch.hasTokens()) {
            IntTensor ids = batch.tokens();
            int[] rotated = new int[n * nt];
            for (int r = 0; r < n; r++) {
                int b = rows.get(r);
                for (int j = 0; j < nt; j++) {
                    rotated[r * nt + j] = ids.get(b * nt + (start[b] + j) % nt);
                }
            }
            eb = SequenceBatch.ofTokens(IntTensor.of(new int[] {n, nt}, rotated));
        } else {
            FloatTensor x = batch.input();
            int f = x.dim(2);
            float[] src = x.toArray();
            float[] rotated = new float[n * nt * f];
            for (int r = 0; r < n; r++) {
                int b = rows.get(r);
                for (int j = 0; j < nt; j++) {
                    System.arraycopy(src, (b * nt + (start[b] + j) % nt) * f, rotated, (r * nt + j) * f, f);
                }
            }
            eb = SequenceBatch.of(FloatTensor.of(new int[] {n, nt, f}, rotated));
        }
        int[] lengths = new int[n];
        boolean ragged = false;
        for (int r = 0; r < n; r++) {
            lengths[r] = length[rows.get(r)];
            ragged |= lengths[r] < nt;
        }
        if (ragged) {
            eb = eb.withLengths(lengths);
        }
        return batch.hasInitialState() ? eb.withInitialState(selectRows(batch.initialState(), rows)) : eb;
    }

    private static ModelState selectRows(ModelState state, List<Integer> rows) {
        List<LstmState> layers = new ArrayList<>();
        for (LstmState s : state.layers()) {
            layers.add(new LstmState(selectRows(s.hidden(), rows), selectRows(s.cell(), rows)));
        }
        return new ModelState(layers);
    }

    /** Rows of a state {@code [directions, batch, hidden]}. */
    private static FloatTensor selectRows(FloatTensor t, List<Integer> rows) {
        int d = t.dim(0);
        int b = t.dim(1);
        int h = t.dim(2);
        float[] src = t.toArray();
        float[] out = new float[d * rows.size() * h];
        for (int k = 0; k < d; k++) {
            for (int r = 0; r < rows.size(); r++) {
                System.arraycopy(src, (k * b + rows.get(r)) * h, out, (k * rows.size() + r) * h, h);
            }
        }
        return FloatTensor.of(new int[] {d, rows.size(), h}, out);
    }

    /** Final states: the engine's for rows it ran, the initial state (zeros without one) for rows without a valid step. */
    private static ModelState finalStates(SequenceModel model, SequenceBatch batch, Prediction p, int[] engineRow) {
        ModelState init = batch.hasInitialState() ? batch.initialState() : ModelState.zeros(model, batch.batchSize());
        List<LstmState> layers = new ArrayList<>();
        for (int i = 0; i < init.layers().size(); i++) {
            LstmState from = p == null ? null : p.finalState().layer(i);
            layers.add(new LstmState(mergeRows(init.layer(i).hidden(), from == null ? null : from.hidden(), engineRow),
                    mergeRows(init.layer(i).cell(), from == null ? null : from.cell(), engineRow)));
        }
        return new ModelState(layers);
    }

    private static FloatTensor mergeRows(FloatTensor initial, FloatTensor engine, int[] engineRow) {
        int d = initial.dim(0);
        int nb = initial.dim(1);
        int h = initial.dim(2);
        float[] out = initial.toArray();
        if (engine != null) {
            float[] src = engine.toArray();
            int n = engine.dim(1);
            for (int k = 0; k < d; k++) {
                for (int b = 0; b < nb; b++) {
                    if (engineRow[b] >= 0) {
                        System.arraycopy(src, (k * n + engineRow[b]) * h, out, (k * nb + b) * h, h);
                    }
                }
            }
        }
        return FloatTensor.of(initial.shape(), out);
    }

    /** A continued stream's carried output of LSTM layer {@code index} for row {@code b}: its initial h, directions merged. */
    private static double[] carriedOutput(LstmLayer layer, ModelState state, int index, int b) {
        FloatTensor h = state.layer(index).hidden();
        int hs = layer.hiddenSize();
        double[][] dirs = new double[layer.directionCount()][hs];
        for (int d = 0; d < dirs.length; d++) {
            for (int j = 0; j < hs; j++) {
                dirs[d][j] = h.get((d * h.dim(1) + b) * hs + j);
            }
        }
        if (dirs.length == 1) {
            return dirs[0];
        }
        double[] out = new double[layer.outputSize()];
        for (int j = 0; j < hs; j++) {
            double f = dirs[0][j];
            double k = dirs[1][j];
            switch (layer.mergeMode()) {
                case CONCAT: out[j] = f; out[hs + j] = k; break;
                case SUM: out[j] = f + k; break;
                case MUL: out[j] = f * k; break;
                default: out[j] = (f + k) / 2.0;
            }
        }
        return out;
    }

    /** What the layers after the last LSTM (dense and activation layers, each step on its own) make of one LSTM output. */
    private static float[] head(List<Layer> head, double[] lstmOutput) {
        double[] v = lstmOutput.clone();
        for (Layer l : head) {
            if (l instanceof DenseLayer d) {
                DenseWeights w = d.weights();
                float[] kernel = w.kernel();
                float[] bias = w.bias();
                double[] next = new double[w.units()];
                for (int u = 0; u < next.length; u++) {
                    double sum = bias[u];
                    for (int i = 0; i < v.length; i++) {
                        sum += v[i] * kernel[i * next.length + u];
                    }
                    next[u] = sum;
                }
                d.activation().applyInPlace(next);
                v = next;
            } else {
                ((ActivationLayer) l).activation().applyInPlace(v);
            }
        }
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) v[i];
        }
        return out;
    }

    private static float[] rowOf(FloatTensor t, int row, int width) {
        float[] out = new float[width];
        for (int i = 0; i < width; i++) {
            out[i] = t.get(row * width + i);
        }
        return out;
    }
}
