package org.lstm4j.backend.tf;

import static org.lstm4j.weights.GateOrder.CELL_GATE;
import static org.lstm4j.weights.GateOrder.FORGET_GATE;
import static org.lstm4j.weights.GateOrder.INPUT_GATE;
import static org.lstm4j.weights.GateOrder.OUTPUT_GATE;
import static org.lstm4j.weights.GateOrder.PEEPHOLE_FORGET;
import static org.lstm4j.weights.GateOrder.PEEPHOLE_INPUT;
import static org.lstm4j.weights.GateOrder.PEEPHOLE_OUTPUT;

import java.util.ArrayList;
import java.util.List;
import org.lstm4j.model.ActivationLayer;
import org.lstm4j.model.DenseLayer;
import org.lstm4j.model.Direction;
import org.lstm4j.model.EmbeddingLayer;
import org.lstm4j.model.Layer;
import org.lstm4j.model.LstmLayer;
import org.lstm4j.model.MergeMode;
import org.lstm4j.model.OutputMode;
import org.lstm4j.model.SequenceModel;
import org.lstm4j.weights.LstmWeights;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.ReverseSequence;
import org.tensorflow.op.core.Split;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.op.nn.BlockLSTM;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TType;

/**
 * One TensorFlow graph for a whole {@link SequenceModel}, built once at compile time, and its
 * endpoints: what a run feeds and fetches.
 *
 * <h2>Feeds and fetches</h2>
 * {@code x} {@code [B, T, I]} batch-major; {@code seq_lens} int32 {@code [B]} and, per LSTM layer k,
 * {@code h0_k} and {@code c0_k} {@code [D, B, H]}. The last three are {@code PlaceholderWithDefault}s
 * whose defaults (full length, zero state) are computed from the shape of {@code x}, so a plain run
 * feeds {@code x} only. Fetches: {@code output} and per layer {@code hn_k}, {@code cn_k}.
 *
 * <h2>How an LSTM direction is built</h2>
 * <ul>
 *   <li>Where the fused op expresses the layer (sigmoid/tanh/tanh, no clip, independent input and
 *       forget gates; with or without peepholes): {@code BlockLSTMV2} ({@link BlockLSTM}), which takes
 *       time-major {@code x [T, B, I]}, {@code w [I+H, 4H]} (kernel rows over recurrent-kernel rows,
 *       gate columns i, f, c, o as Keras) and one bias {@code [4H]}. Its peepholes are ONNX's (i and f
 *       read c_{t-1}, o reads c_t). It has no forget bias, and its {@code cell_clip} clips the cell
 *       state, which is not ONNX's clip: it is set to 0 (off) explicitly.</li>
 *   <li>Otherwise (other activations, ONNX clip of gate pre-activations, coupled input-forget): a
 *       while loop over time of MatMul, Add, the activations and elementwise ops, the input
 *       projection for all steps done once before the loop. A loop, unlike unrolling, serves every T
 *       with one graph.</li>
 * </ul>
 * Neither op knows per-sequence lengths (BlockLSTM's {@code seq_len_max} is one number for the
 * batch), so both run to the longest sequence and the graph then applies ONNX's rules: outputs past
 * a sequence's end are selected to 0 (a select, not a multiply, so that whatever the padding steps
 * computed, even Inf or NaN, cannot leak), and the final state is gathered at step {@code len-1}.
 * A reverse direction reads {@code ReverseSequence(x, lens)}, which reverses each sequence's valid
 * part only, and its outputs are reversed back the same way (Keras go_backwards keeps them in
 * processing order over the whole time axis: the outputs at input positions, reversed).
 */
final class ModelGraph {

    static final String INPUT = "x";
    static final String SEQUENCE_LENGTHS = "seq_lens";
    static final String OUTPUT = "output";

    /** {@code x}: features {@code [B, T, I]} float, or token ids {@code [B, T]} int32. */
    final Placeholder<? extends TType> input;
    final Operand<TInt32> sequenceLengths;
    final List<Operand<TFloat32>> initialHidden = new ArrayList<>();
    final List<Operand<TFloat32>> initialCell = new ArrayList<>();
    final Operand<TFloat32> output;
    final List<Operand<TFloat32>> finalHidden = new ArrayList<>();
    final List<Operand<TFloat32>> finalCell = new ArrayList<>();
    /** For each LSTM layer, per direction, whether the fused BlockLSTM op serves it (else the while loop). */
    final List<Boolean> fused = new ArrayList<>();

    private final Graph graph;
    private final Ops tf;
    private final boolean loopOnly;
    // Batch-wide tensors every layer uses, built once.
    private final Operand<TInt32> time;
    private final Operand<TInt32> batch;
    private final Operand<TInt32> lengths;
    private final Operand<TBool> validSteps;     // [T, B, 1]: step t < len_b
    private final Operand<TInt32> lastStepIndex; // [B, 2]: (len_b - 1, b), for gathering final states
    private final Operand<TInt32> stepsToRun;    // the longest length: no op needs to run past it

    /**
     * @param loopOnly build every LSTM as the while loop, even where BlockLSTM would serve (a way
     *                 around the fused op should it misbehave, and a second path for tests)
     */
    ModelGraph(Graph graph, SequenceModel model, boolean loopOnly) {
        this.graph = graph;
        this.tf = Ops.create(graph);
        this.loopOnly = loopOnly;
        Operand<TFloat32> features;
        if (model.readsTokens()) {
            // Token ids [B, T] int32 (checked against the vocabulary before a run): the embedding is a gather of its table's rows.
            Placeholder<TInt32> ids = tf.withName(INPUT).placeholder(TInt32.class, Placeholder.shape(Shape.of(-1, -1)));
            EmbeddingLayer e = model.embedding().orElseThrow();
            features = tf.gather(constantIn(tf, e.weights().table(), e.vocabularySize(), e.outputSize()), ids, tf.constant(0));
            input = ids;
        } else {
            Placeholder<TFloat32> x = tf.withName(INPUT).placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, -1, model.inputSize())));
            features = x;
            input = x;
        }
        Operand<TInt32> inputShape = tf.shape(input);
        batch = tf.gather(inputShape, tf.constant(0), tf.constant(0));
        time = tf.gather(inputShape, tf.constant(1), tf.constant(0));

        Operand<TInt32> fullLengths = tf.fill(tf.stack(List.of(batch)), time);
        sequenceLengths = tf.withName(SEQUENCE_LENGTHS).placeholderWithDefault(fullLengths, Shape.of(-1));
        lengths = sequenceLengths;
        Operand<TInt32> steps = tf.range(tf.constant(0), time, tf.constant(1));
        validSteps = tf.expandDims(
                tf.math.less(tf.expandDims(steps, tf.constant(1)), tf.expandDims(lengths, tf.constant(0))),
                tf.constant(2));
        lastStepIndex = tf.stack(List.of(tf.math.sub(lengths, tf.constant(1)), tf.range(tf.constant(0), batch, tf.constant(1))),
                org.tensorflow.op.core.Stack.axis(1L));
        stepsToRun = tf.max(lengths, tf.constant(0));

        // Time-major from here on: both LSTM forms want [T, B, F].
        Operand<TFloat32> x = tf.linalg.transpose(features, tf.constant(new int[] {1, 0, 2}));
        boolean sequences = true;
        int lstmIndex = 0;
        for (Layer layer : model.layers()) {
            if (layer instanceof LstmLayer lstm) {
                x = lstmLayer(lstm, lstmIndex++, x);
                sequences = lstm.outputMode() == OutputMode.SEQUENCES;
            } else if (layer instanceof DenseLayer dense) {
                x = dense(dense, x, sequences);
            } else if (layer instanceof ActivationLayer a) {
                // Elementwise (softmax over the last axis, which is the feature axis in both layouts).
                x = ActivationOps.apply(tf, a.activation(), x);
            }
            // The embedding was gathered from the input above; a masking layer changes no value an LSTM reads.
        }
        if (sequences) {
            x = tf.linalg.transpose(x, tf.constant(new int[] {1, 0, 2}));
        }
        output = tf.withName(OUTPUT).identity(x);
    }

    private Operand<TFloat32> lstmLayer(LstmLayer layer, int index, Operand<TFloat32> x) {
        int dirs = layer.directionCount();
        int hidden = layer.hiddenSize();
        Operand<TInt32> stateShape = tf.stack(List.of(tf.constant(dirs), batch, tf.constant(hidden)));
        Operand<TFloat32> zeros = tf.fill(stateShape, tf.constant(0f));
        Operand<TFloat32> h0 = tf.withName("h0_" + index).placeholderWithDefault(zeros, Shape.of(dirs, -1, hidden));
        Operand<TFloat32> c0 = tf.withName("c0_" + index).placeholderWithDefault(zeros, Shape.of(dirs, -1, hidden));
        initialHidden.add(h0);
        initialCell.add(c0);

        List<Operand<TFloat32>> sequenceOut = new ArrayList<>();  // per direction, what SEQUENCES passes on
        List<Operand<TFloat32>> atInputSteps = new ArrayList<>(); // per direction, outputs at their input positions
        List<Operand<TFloat32>> hn = new ArrayList<>();
        List<Operand<TFloat32>> cn = new ArrayList<>();
        for (int d = 0; d < dirs; d++) {
            boolean backwards = layer.direction() == Direction.REVERSE || d == 1;
            Operand<TFloat32> hPrev = tf.gather(h0, tf.constant(d), tf.constant(0));
            Operand<TFloat32> cPrev = tf.gather(c0, tf.constant(d), tf.constant(0));
            Operand<TFloat32> xd = backwards ? reverseValidSteps(x) : x;
            LstmWeights w = layer.weights().get(d);
            boolean useFused = !loopOnly && canFuse(layer);
            fused.add(useFused);
            String scope = "lstm" + index + (dirs == 2 ? (d == 0 ? "_fw" : "_bw") : "");
            States states = useFused ? blockLstm(w, xd, hPrev, cPrev) : loopLstm(layer, w, xd, hPrev, cPrev, scope);
            Operand<TFloat32> hSeq = states.hidden();  // [T, B, H] in processing order
            Operand<TFloat32> cSeq = states.cell();
            hn.add(tf.gatherNd(hSeq, lastStepIndex));
            cn.add(tf.gatherNd(cSeq, lastStepIndex));
            Operand<TFloat32> inInputOrder = mask(backwards ? reverseValidSteps(hSeq) : hSeq);
            atInputSteps.add(inInputOrder);
            // Keras go_backwards: the outputs in processing order over the whole time axis.
            sequenceOut.add(layer.reversedOutputOrder() ? tf.reverse(inInputOrder, tf.constant(new int[] {0})) : inInputOrder);
        }
        finalHidden.add(tf.withName("hn_" + index).identity(tf.stack(hn)));
        finalCell.add(tf.withName("cn_" + index).identity(tf.stack(cn)));

        switch (layer.outputMode()) {
            case SEQUENCES:
                return merge(layer.mergeMode(), sequenceOut, 2);
            case FINAL_STATE:
                return merge(layer.mergeMode(), hn, 1);
            default: {
                // LAST_STEP: y[T-1] at input positions, which is padding's zero for short sequences.
                Operand<TInt32> last = tf.math.sub(time, tf.constant(1));
                List<Operand<TFloat32>> lastSteps = new ArrayList<>();
                for (Operand<TFloat32> y : atInputSteps) {
                    lastSteps.add(tf.gather(y, last, tf.constant(0)));
                }
                return merge(layer.mergeMode(), lastSteps, 1);
            }
        }
    }

    /** Whether BlockLSTMV2 computes exactly this layer's equations. */
    static boolean canFuse(LstmLayer layer) {
        return layer.hasDefaultActivations() && !layer.hasCellClip() && !layer.coupledInputForget();
    }

    /** Reverses each sequence's first len_b steps along time, leaving the padding in place. */
    private Operand<TFloat32> reverseValidSteps(Operand<TFloat32> timeMajor) {
        return tf.reverseSequence(timeMajor, lengths, 0L, ReverseSequence.batchDim(1L));
    }

    /** Zero past each sequence's end (select, so that padding steps' values never leak, not even NaN). */
    private Operand<TFloat32> mask(Operand<TFloat32> timeMajor) {
        return tf.select(validSteps, timeMajor, tf.zerosLike(timeMajor));
    }

    private Operand<TFloat32> merge(MergeMode mode, List<Operand<TFloat32>> perDirection, int featureAxis) {
        if (perDirection.size() == 1) {
            return perDirection.get(0);
        }
        Operand<TFloat32> fw = perDirection.get(0);
        Operand<TFloat32> bw = perDirection.get(1);
        switch (mode) {
            case CONCAT:
                return tf.concat(perDirection, tf.constant(featureAxis));
            case SUM:
                return tf.math.add(fw, bw);
            case MUL:
                return tf.math.mul(fw, bw);
            default:
                return tf.math.mul(tf.math.add(fw, bw), tf.constant(0.5f));
        }
    }

    /** The hidden and cell states of every step, each {@code [T, B, H]} in processing order. */
    private record States(Operand<TFloat32> hidden, Operand<TFloat32> cell) {
    }

    /** The fused op. */
    private States blockLstm(LstmWeights w, Operand<TFloat32> x, Operand<TFloat32> hPrev, Operand<TFloat32> cPrev) {
        int in = w.inputSize();
        int hidden = w.hiddenSize();
        // w [I+H, 4H]: W^T over R^T. Canonical gate order i, f, c, o is BlockLSTMV2's, so only a transpose is needed.
        float[] kernel = new float[(in + hidden) * 4 * hidden];
        transposeInto(w.inputKernel(), 4 * hidden, in, kernel, 0);
        transposeInto(w.recurrentKernel(), 4 * hidden, hidden, kernel, in * 4 * hidden);
        Operand<TFloat32> wOp = constant(kernel, in + hidden, 4 * hidden);
        Operand<TFloat32> bOp = constant(w.combinedBias(), 4 * hidden);
        float[] p = w.hasPeepholes() ? w.peepholes() : new float[3 * hidden];
        Operand<TFloat32> wci = constant(slice(p, PEEPHOLE_INPUT * hidden, hidden), hidden);
        Operand<TFloat32> wcf = constant(slice(p, PEEPHOLE_FORGET * hidden, hidden), hidden);
        Operand<TFloat32> wco = constant(slice(p, PEEPHOLE_OUTPUT * hidden, hidden), hidden);
        Operand<TInt64> seqLenMax = tf.dtypes.cast(stepsToRun, TInt64.class);
        BlockLSTM<TFloat32> op = tf.nn.blockLSTM(seqLenMax, x, cPrev, hPrev, wOp, wci, wcf, wco, bOp,
                BlockLSTM.usePeephole(w.hasPeepholes()),
                // Off: BlockLSTM clips the cell state, ONNX clips gate pre-activations (such layers take the loop).
                BlockLSTM.cellClip(0f));
        return new States(op.h(), op.cs());
    }

    /**
     * The composed form: a while loop over the first {@code max(lens)} steps; the states past the
     * longest sequence are zeros. Each step's h and c go into one TensorList slot. The input projection {@code x W^T + Wb + Rb}
     * of all steps is one MatMul before the loop; each iteration adds {@code h R^T} and applies the
     * equations of {@link LstmWeights} (ONNX's, clip included).
     */
    private States loopLstm(LstmLayer layer, LstmWeights w, Operand<TFloat32> x,
                                         Operand<TFloat32> hPrev, Operand<TFloat32> cPrev, String name) {
        int in = w.inputSize();
        int hidden = w.hiddenSize();
        float[] wt = new float[in * 4 * hidden];
        transposeInto(w.inputKernel(), 4 * hidden, in, wt, 0);
        Operand<TFloat32> flat = tf.reshape(x, tf.constant(new int[] {-1, in}));
        Operand<TFloat32> projected = tf.nn.biasAdd(tf.linalg.matMul(flat, constant(wt, in, 4 * hidden)), constant(w.combinedBias(), 4 * hidden));
        Operand<TFloat32> xw = tf.reshape(projected, tf.stack(List.of(time, batch, tf.constant(4 * hidden))));
        // Per-step outputs go into TensorLists (one slot per step, set in place): a [T, B, H] buffer
        // updated with TensorScatterNdUpdate was copied whole every step, quadratic in T.
        Operand<TInt32> stepShape = tf.stack(List.of(batch, tf.constant(hidden)));
        Operand<?> hList = tf.tensorListReserve(stepShape, time, TFloat32.class);
        Operand<?> cList = tf.tensorListReserve(stepShape, time, TFloat32.class);

        float[] rt = new float[hidden * 4 * hidden];
        transposeInto(w.recurrentKernel(), 4 * hidden, hidden, rt, 0);
        float[] peep = w.peepholes();

        Output<?>[] loopInputs = {
            tf.constant(0).asOutput(), stepsToRun.asOutput(), hPrev.asOutput(), cPrev.asOutput(),
            hList.asOutput(), cList.asOutput(), xw.asOutput()
        };
        Output<?>[] results = graph.whileLoop(loopInputs,
                (g, vars, out) -> {
                    Ops c = Ops.create(g);
                    out[0] = c.math.less(intOf(vars[0]), intOf(vars[1])).asOutput();
                },
                (g, vars, out) -> {
                    Ops b = Ops.create(g);
                    Operand<TInt32> t = intOf(vars[0]);
                    Operand<TFloat32> h = floatOf(vars[2]);
                    Operand<TFloat32> c = floatOf(vars[3]);
                    Operand<TFloat32> xt = b.gather(floatOf(vars[6]), t, b.constant(0));
                    Operand<TFloat32> pre = b.math.add(xt, b.linalg.matMul(h, constantIn(b, rt, hidden, 4 * hidden), MatMul.transposeB(false)));
                    Split<TFloat32> gates = b.split(b.constant(1), pre, 4L);
                    Operand<TFloat32> iPre = gates.output().get(INPUT_GATE);
                    Operand<TFloat32> fPre = gates.output().get(FORGET_GATE);
                    Operand<TFloat32> zPre = gates.output().get(CELL_GATE);
                    Operand<TFloat32> oPre = gates.output().get(OUTPUT_GATE);
                    if (peep != null) {
                        iPre = b.math.add(iPre, b.math.mul(c, constantIn(b, slice(peep, PEEPHOLE_INPUT * hidden, hidden), hidden)));
                        fPre = b.math.add(fPre, b.math.mul(c, constantIn(b, slice(peep, PEEPHOLE_FORGET * hidden, hidden), hidden)));
                    }
                    Operand<TFloat32> i = ActivationOps.apply(b, layer.gateActivation(), clip(b, layer, iPre));
                    Operand<TFloat32> f = layer.coupledInputForget()
                            ? b.math.sub(b.constant(1f), i)
                            : ActivationOps.apply(b, layer.gateActivation(), clip(b, layer, fPre));
                    Operand<TFloat32> z = ActivationOps.apply(b, layer.cellActivation(), clip(b, layer, zPre));
                    Operand<TFloat32> cNew = b.math.add(b.math.mul(f, c), b.math.mul(i, z));
                    if (peep != null) {
                        oPre = b.math.add(oPre, b.math.mul(cNew, constantIn(b, slice(peep, PEEPHOLE_OUTPUT * hidden, hidden), hidden)));
                    }
                    Operand<TFloat32> o = ActivationOps.apply(b, layer.gateActivation(), clip(b, layer, oPre));
                    Operand<TFloat32> hNew = b.math.mul(o, ActivationOps.apply(b, layer.hiddenActivation(), cNew));
                    out[0] = b.math.add(t, b.constant(1)).asOutput();
                    out[1] = vars[1];
                    out[2] = hNew.asOutput();
                    out[3] = cNew.asOutput();
                    out[4] = b.tensorListSetItem(vars[4], t, hNew).asOutput();
                    out[5] = b.tensorListSetItem(vars[5], t, cNew).asOutput();
                    out[6] = vars[6];
                },
                name);
        // Steps past the longest sequence were never set; stacking with the full runtime shape fills them with zeros.
        return new States(tf.tensorListStack(results[4], stepShape, TFloat32.class),
                tf.tensorListStack(results[5], stepShape, TFloat32.class));
    }

    /** ONNX's clip: every gate pre-activation into [-clip, clip] (ONNX Runtime's reading of the spec). */
    private static Operand<TFloat32> clip(Ops b, LstmLayer layer, Operand<TFloat32> v) {
        if (!layer.hasCellClip()) {
            return v;
        }
        return b.clipByValue(v, b.constant(-layer.cellClip()), b.constant(layer.cellClip()));
    }

    private Operand<TFloat32> dense(DenseLayer layer, Operand<TFloat32> x, boolean sequences) {
        int in = layer.inputSize();
        int units = layer.outputSize();
        Operand<TFloat32> flat = sequences ? tf.reshape(x, tf.constant(new int[] {-1, in})) : x;
        Operand<TFloat32> y = tf.nn.biasAdd(tf.linalg.matMul(flat, constant(layer.weights().kernel(), in, units)),
                constant(layer.weights().bias(), units));
        y = ActivationOps.apply(tf, layer.activation(), y);
        return sequences ? tf.reshape(y, tf.stack(List.of(time, batch, tf.constant(units)))) : y;
    }

    private Operand<TFloat32> constant(float[] values, int... shape) {
        return constantIn(tf, values, shape);
    }

    private static Operand<TFloat32> constantIn(Ops ops, float[] values, int... shape) {
        long[] dims = new long[shape.length];
        for (int k = 0; k < shape.length; k++) {
            dims[k] = shape[k];
        }
        return ops.constant(Shape.of(dims), DataBuffers.of(values, true, false));
    }

    /** Writes the transpose of {@code a [rows][cols]} ({@code [cols][rows]}) into {@code out} from {@code offset}. */
    private static void transposeInto(float[] a, int rows, int cols, float[] out, int offset) {
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                out[offset + c * rows + r] = a[r * cols + c];
            }
        }
    }

    private static float[] slice(float[] a, int from, int length) {
        float[] out = new float[length];
        System.arraycopy(a, from, out, 0, length);
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Operand<TInt32> intOf(Output<?> o) {
        return (Output<TInt32>) o;
    }

    @SuppressWarnings("unchecked")
    private static Operand<TFloat32> floatOf(Output<? extends TType> o) {
        return (Output<TFloat32>) o;
    }
}
