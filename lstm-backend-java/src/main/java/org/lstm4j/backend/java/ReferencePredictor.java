package org.lstm4j.backend.java;

import static org.lstm4j.weights.GateOrder.CELL_GATE;
import static org.lstm4j.weights.GateOrder.FORGET_GATE;
import static org.lstm4j.weights.GateOrder.INPUT_GATE;
import static org.lstm4j.weights.GateOrder.OUTPUT_GATE;
import static org.lstm4j.weights.GateOrder.PEEPHOLE_FORGET;
import static org.lstm4j.weights.GateOrder.PEEPHOLE_INPUT;
import static org.lstm4j.weights.GateOrder.PEEPHOLE_OUTPUT;

import java.util.ArrayList;
import java.util.List;
import org.lstm4j.model.Activation;
import org.lstm4j.model.ActivationLayer;
import org.lstm4j.model.DenseLayer;
import org.lstm4j.model.Direction;
import org.lstm4j.model.EmbeddingLayer;
import org.lstm4j.model.Layer;
import org.lstm4j.model.LstmLayer;
import org.lstm4j.model.MaskedOutput;
import org.lstm4j.model.MaskingLayer;
import org.lstm4j.model.MergeMode;
import org.lstm4j.model.OutputMode;
import org.lstm4j.model.SequenceModel;
import org.lstm4j.predict.AbstractPredictor;
import org.lstm4j.predict.LstmState;
import org.lstm4j.predict.ModelState;
import org.lstm4j.predict.Prediction;
import org.lstm4j.predict.PredictorOptions;
import org.lstm4j.predict.SequenceBatch;
import org.lstm4j.predict.StepMask;
import org.lstm4j.tensor.FloatTensor;
import org.lstm4j.tensor.IntTensor;
import org.lstm4j.weights.LstmWeights;

/**
 * The LSTM equations of {@link LstmWeights} as written, one sequence, one step and one unit at a
 * time, in double, with masks as {@link StepMask} writes them (every masked step skipped where it
 * lies, no rotation). Readable rather than fast: it is the oracle the other backends are checked
 * against. Holds no mutable state, so it is thread-safe.
 */
final class ReferencePredictor extends AbstractPredictor {

    /** One direction's weights widened to double once, at compile time. */
    private static final class Cell {
        final int in;
        final int hidden;
        final double[][] w;  // [4H][I], gates i, f, c, o
        final double[][] r;  // [4H][H]
        final double[] b;    // Wb + Rb, [4H]
        final double[] p;    // [3H] i, f, o, or null

        Cell(LstmWeights weights) {
            in = weights.inputSize();
            hidden = weights.hiddenSize();
            w = rows(weights.inputKernel(), 4 * hidden, in);
            r = rows(weights.recurrentKernel(), 4 * hidden, hidden);
            float[] wb = weights.inputBias();
            float[] rb = weights.recurrentBias();
            b = new double[4 * hidden];
            for (int k = 0; k < b.length; k++) {
                b[k] = (double) wb[k] + (double) rb[k];
            }
            float[] peep = weights.peepholes();
            p = peep == null ? null : widen(peep);
        }
    }

    private final List<Cell[]> cells = new ArrayList<>();

    ReferencePredictor(SequenceModel model, PredictorOptions options) {
        super(ReferenceBackendProvider.NAME, model, options, ReferenceBackendProvider.CAPABILITIES);
        for (LstmLayer l : model.lstmLayers()) {
            Cell[] perDirection = new Cell[l.directionCount()];
            for (int d = 0; d < perDirection.length; d++) {
                perDirection[d] = new Cell(l.weights().get(d));
            }
            cells.add(perDirection);
        }
    }

    @Override
    protected Prediction run(SequenceBatch batch) {
        int nb = batch.batchSize();
        int nt = batch.timeSteps();
        StepMask mask = batch.mask();
        ModelState init = batch.hasInitialState() ? batch.initialState() : ModelState.zeros(model, nb);

        // The activations flowing between layers: [batch][time][features] for sequences, [batch][1][features] for vectors.
        double[][][] x = batch.hasTokens() ? null : widen3(batch.input());
        boolean sequences = true;
        List<LstmState> finals = new ArrayList<>();
        int lstmIndex = 0;
        for (Layer layer : model.layers()) {
            if (layer instanceof LstmLayer lstm) {
                LayerResult r = runLstm(lstm, cells.get(lstmIndex), x, mask, init.layer(lstmIndex), batch.continuesStreams());
                finals.add(r.state);
                x = r.output;
                sequences = lstm.outputMode() == OutputMode.SEQUENCES;
                lstmIndex++;
            } else if (layer instanceof DenseLayer d) {
                x = dense(d, x);
            } else if (layer instanceof ActivationLayer a) {
                x = activate(a.activation(), x);
            } else if (layer instanceof EmbeddingLayer e) {
                x = embed(e, batch.tokens());
            } else if (!(layer instanceof MaskingLayer)) {  // Masking passes its input on: its mask is in `mask`
                throw new IllegalStateException("no reference implementation of " + layer);
            }
        }
        int width = x[0][0].length;
        float[] out = new float[nb * (sequences ? nt : 1) * width];
        int k = 0;
        for (double[][] seq : x) {
            for (double[] step : seq) {
                for (double v : step) {
                    out[k++] = (float) v;
                }
            }
        }
        FloatTensor output = sequences ? FloatTensor.of(new int[] {nb, nt, width}, out) : FloatTensor.of(new int[] {nb, width}, out);
        return new Prediction(output, new ModelState(finals));
    }

    private record LayerResult(double[][][] output, LstmState state) {
    }

    /**
     * One LSTM layer over {@code x [batch][time][in]}, each direction stepping through its order and
     * skipping masked steps ({@code mask} null: every step valid), as {@link StepMask} writes it.
     */
    private LayerResult runLstm(LstmLayer layer, Cell[] cellsOfLayer, double[][][] x, StepMask mask, LstmState init, boolean continuing) {
        int nb = x.length;
        int nt = x[0].length;
        int hs = layer.hiddenSize();
        int dirs = layer.directionCount();
        boolean holdPrevious = layer.maskedOutput() == MaskedOutput.PREVIOUS;
        double[][][][] y = new double[dirs][nb][nt][];
        double[][][] prevAtEnd = new double[dirs][nb][];
        float[] hInit = init.hidden().toArray();
        float[] cInit = init.cell().toArray();
        float[] hFinal = new float[dirs * nb * hs];
        float[] cFinal = new float[dirs * nb * hs];

        for (int d = 0; d < dirs; d++) {
            boolean backwards = layer.direction() == Direction.REVERSE || d == 1;
            Cell cell = cellsOfLayer[d];
            for (int b = 0; b < nb; b++) {
                double[] h = new double[hs];
                double[] c = new double[hs];
                for (int j = 0; j < hs; j++) {
                    h[j] = hInit[(d * nb + b) * hs + j];
                    c[j] = cInit[(d * nb + b) * hs + j];
                }
                double[] prev = continuing ? h.clone() : new double[hs];
                for (int s = 0; s < nt; s++) {
                    int t = backwards ? nt - 1 - s : s;
                    if (mask == null || mask.isValid(b, t)) {
                        step(layer, cell, x[b][t], h, c);
                        prev = h.clone();
                        y[d][b][t] = prev;
                    } else {
                        y[d][b][t] = holdPrevious ? prev : new double[hs];
                    }
                }
                for (int j = 0; j < hs; j++) {
                    hFinal[(d * nb + b) * hs + j] = (float) h[j];
                    cFinal[(d * nb + b) * hs + j] = (float) c[j];
                }
                prevAtEnd[d][b] = prev;
            }
        }
        LstmState state = new LstmState(FloatTensor.of(new int[] {dirs, nb, hs}, hFinal), FloatTensor.of(new int[] {dirs, nb, hs}, cFinal));

        double[][][] out;
        switch (layer.outputMode()) {
            case SEQUENCES: {
                out = new double[nb][nt][];
                for (int b = 0; b < nb; b++) {
                    for (int t = 0; t < nt; t++) {
                        // Keras go_backwards returns the outputs in processing order.
                        out[b][t] = merge(layer, y, b, layer.reversedOutputOrder() ? nt - 1 - t : t);
                    }
                }
                break;
            }
            case FINAL_STATE: {
                // The output of each direction's last valid step (Keras's last output): h_n, or zeros for a row without one.
                out = new double[nb][1][];
                for (int b = 0; b < nb; b++) {
                    out[b][0] = dirs == 1 ? prevAtEnd[0][b].clone() : mergeVectors(layer.mergeMode(), prevAtEnd[0][b], prevAtEnd[1][b]);
                }
                break;
            }
            default: {  // LAST_STEP: the batch's last time step, y[:, T-1, :]
                out = new double[nb][1][];
                for (int b = 0; b < nb; b++) {
                    out[b][0] = merge(layer, y, b, nt - 1);
                }
            }
        }
        return new LayerResult(out, state);
    }

    /** One step of the equations in {@link LstmWeights}; updates h and c in place. */
    private static void step(LstmLayer layer, Cell cell, double[] xt, double[] h, double[] c) {
        int hs = cell.hidden;
        double[] pre = new double[4 * hs];
        for (int k = 0; k < 4 * hs; k++) {
            double sum = cell.b[k];
            double[] wk = cell.w[k];
            for (int i = 0; i < cell.in; i++) {
                sum += wk[i] * xt[i];
            }
            double[] rk = cell.r[k];
            for (int j = 0; j < hs; j++) {
                sum += rk[j] * h[j];
            }
            pre[k] = sum;
        }
        Activation f = layer.gateActivation();
        Activation g = layer.cellActivation();
        Activation hAct = layer.hiddenActivation();
        for (int j = 0; j < hs; j++) {
            double cPrev = c[j];
            double iPre = pre[INPUT_GATE * hs + j];
            double fPre = pre[FORGET_GATE * hs + j];
            double zPre = pre[CELL_GATE * hs + j];
            double oPre = pre[OUTPUT_GATE * hs + j];
            if (cell.p != null) {
                iPre += cell.p[PEEPHOLE_INPUT * hs + j] * cPrev;
                fPre += cell.p[PEEPHOLE_FORGET * hs + j] * cPrev;
            }
            double i = f.apply(clip(layer, iPre));
            double fg = layer.coupledInputForget() ? 1.0 - i : f.apply(clip(layer, fPre));
            double z = g.apply(clip(layer, zPre));
            double cNew = fg * cPrev + i * z;
            if (cell.p != null) {
                oPre += cell.p[PEEPHOLE_OUTPUT * hs + j] * cNew;
            }
            double o = f.apply(clip(layer, oPre));
            c[j] = cNew;
            h[j] = o * hAct.apply(cNew);
        }
    }

    /** ONNX's clip bounds each gate's pre-activation, as ONNX Runtime applies it. */
    private static double clip(LstmLayer layer, double v) {
        if (!layer.hasCellClip()) {
            return v;
        }
        double k = layer.cellClip();
        return Math.max(-k, Math.min(k, v));
    }

    private static double[] merge(LstmLayer layer, double[][][][] y, int b, int t) {
        if (y.length == 1) {
            return y[0][b][t].clone();
        }
        return mergeVectors(layer.mergeMode(), y[0][b][t], y[1][b][t]);
    }

    private static double[] mergeVectors(MergeMode mode, double[] fwd, double[] bwd) {
        int hs = fwd.length;
        if (mode == MergeMode.CONCAT) {
            double[] out = new double[2 * hs];
            System.arraycopy(fwd, 0, out, 0, hs);
            System.arraycopy(bwd, 0, out, hs, hs);
            return out;
        }
        double[] out = new double[hs];
        for (int j = 0; j < hs; j++) {
            switch (mode) {
                case SUM: out[j] = fwd[j] + bwd[j]; break;
                case MUL: out[j] = fwd[j] * bwd[j]; break;
                default: out[j] = (fwd[j] + bwd[j]) / 2.0; break;
            }
        }
        return out;
    }

    private static double[][][] dense(DenseLayer layer, double[][][] x) {
        int in = layer.inputSize();
        int units = layer.outputSize();
        float[] kernel = layer.weights().kernel();
        float[] bias = layer.weights().bias();
        Activation act = layer.activation();
        double[][][] out = new double[x.length][x[0].length][units];
        for (int b = 0; b < x.length; b++) {
            for (int t = 0; t < x[b].length; t++) {
                double[] v = out[b][t];
                for (int u = 0; u < units; u++) {
                    double sum = bias[u];
                    for (int i = 0; i < in; i++) {
                        sum += x[b][t][i] * kernel[i * units + u];
                    }
                    v[u] = sum;
                }
                applyInPlace(act, v);
            }
        }
        return out;
    }

    private static double[][][] activate(Activation act, double[][][] x) {
        double[][][] out = new double[x.length][x[0].length][];
        for (int b = 0; b < x.length; b++) {
            for (int t = 0; t < x[b].length; t++) {
                out[b][t] = x[b][t].clone();
                applyInPlace(act, out[b][t]);
            }
        }
        return out;
    }

    /** An activation over one vector: elementwise, or softmax and log-softmax over the whole vector. */
    private static void applyInPlace(Activation act, double[] v) {
        act.applyInPlace(v);
    }

    /** Each id's row of the table, widened to double. */
    private static double[][][] embed(EmbeddingLayer layer, IntTensor ids) {
        int nb = ids.dim(0);
        int nt = ids.dim(1);
        int dim = layer.outputSize();
        float[] row = new float[dim];
        double[][][] out = new double[nb][nt][dim];
        for (int b = 0; b < nb; b++) {
            for (int t = 0; t < nt; t++) {
                layer.weights().copyRow(ids.get(b * nt + t), row, 0);
                for (int k = 0; k < dim; k++) {
                    out[b][t][k] = row[k];
                }
            }
        }
        return out;
    }

    private static double[][] rows(float[] a, int rows, int cols) {
        double[][] out = new double[rows][cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                out[i][j] = a[i * cols + j];
            }
        }
        return out;
    }

    private static double[] widen(float[] a) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i];
        }
        return out;
    }

    private static double[][][] widen3(FloatTensor t) {
        int nb = t.dim(0);
        int nt = t.dim(1);
        int nf = t.dim(2);
        double[][][] out = new double[nb][nt][nf];
        for (int b = 0; b < nb; b++) {
            for (int s = 0; s < nt; s++) {
                for (int f = 0; f < nf; f++) {
                    out[b][s][f] = t.get((b * nt + s) * nf + f);
                }
            }
        }
        return out;
    }
}
