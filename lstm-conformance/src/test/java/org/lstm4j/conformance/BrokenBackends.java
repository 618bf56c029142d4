package org.lstm4j.conformance;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.lstm4j.backend.Availability;
import org.lstm4j.backend.BackendProvider;
import org.lstm4j.backend.Capability;
import org.lstm4j.backend.java.ReferenceBackendProvider;
import org.lstm4j.model.Activation;
import org.lstm4j.model.DenseLayer;
import org.lstm4j.model.Direction;
import org.lstm4j.model.EmbeddingLayer;
import org.lstm4j.model.Layer;
import org.lstm4j.model.LstmLayer;
import org.lstm4j.model.MergeMode;
import org.lstm4j.model.SequenceModel;
import org.lstm4j.predict.AbstractPredictor;
import org.lstm4j.predict.ModelState;
import org.lstm4j.predict.Prediction;
import org.lstm4j.predict.Predictor;
import org.lstm4j.predict.PredictorOptions;
import org.lstm4j.predict.SequenceBatch;
import org.lstm4j.predict.StepMask;
import org.lstm4j.predict.StreamingPredictor;
import org.lstm4j.tensor.FloatTensor;
import org.lstm4j.weights.EmbeddingWeights;
import org.lstm4j.weights.GateOrder;
import org.lstm4j.weights.LstmWeights;

/**
 * Deliberately broken backends, each with one defect a real engine could have. They wrap the
 * reference engine and corrupt either the model it compiles or what it computes; the kit must
 * catch every one ({@link KitCatchesBrokenBackendsTest}).
 */
final class BrokenBackends {
    private BrokenBackends() {
    }

    /** How a broken engine runs a checked batch (whose mask is whole), given the reference engine compiled on its model. */
    interface Run {
        Prediction run(Predictor reference, SequenceBatch batch);
    }

    /** A backend whose predictor runs the reference engine on a corrupted model and corrupts its results. */
    static BackendProvider broken(String name, UnaryOperator<SequenceModel> corruptModel, UnaryOperator<SequenceBatch> corruptInput,
                                  UnaryOperator<FloatTensor> corruptOutput, boolean forgetsStreamingState) {
        return broken(name, corruptModel, (reference, batch) -> {
            Prediction p = reference.predict(corruptInput.apply(batch));
            return new Prediction(corruptOutput.apply(p.output()), p.finalState());
        }, forgetsStreamingState);
    }

    /** A backend that declares every capability and runs each batch its own (broken) way. */
    static BackendProvider broken(String name, UnaryOperator<SequenceModel> corruptModel, Run run, boolean forgetsStreamingState) {
        return broken(name, corruptModel, run, forgetsStreamingState, EnumSet.allOf(Capability.class));
    }

    /** A backend that declares {@code declared} and runs each batch its own (broken) way. */
    static BackendProvider broken(String name, UnaryOperator<SequenceModel> corruptModel, Run run, boolean forgetsStreamingState,
                                  Set<Capability> declared) {
        BackendProvider reference = new ReferenceBackendProvider();
        return new BackendProvider() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public int priority() {
                return 1;
            }

            @Override
            public Availability availability() {
                return Availability.ok();
            }

            @Override
            public Set<Capability> capabilities() {
                return EnumSet.copyOf(declared);
            }

            @Override
            public Predictor compile(SequenceModel model, PredictorOptions options) {
                Predictor inner = reference.compile(corruptModel.apply(model), options);
                return new AbstractPredictor(name, model, options, declared) {
                    @Override
                    protected Prediction run(SequenceBatch batch) {
                        return run.run(inner, batch);
                    }

                    @Override
                    public StreamingPredictor stream(int streams) {
                        StreamingPredictor s = super.stream(streams);
                        if (!forgetsStreamingState) {
                            return s;
                        }
                        return new StreamingPredictor() {
                            public int streams() {
                                return s.streams();
                            }

                            public FloatTensor step(FloatTensor x) {
                                s.reset();
                                return s.step(x);
                            }

                            public FloatTensor chunk(FloatTensor x) {
                                s.reset();
                                return s.chunk(x);
                            }

                            public ModelState snapshot() {
                                return s.snapshot();
                            }

                            public void restore(ModelState state) {
                                s.restore(state);
                            }

                            public void reset() {
                                s.reset();
                            }

                            public void reset(int stream) {
                                s.reset(stream);
                            }

                            public void close() {
                                s.close();
                            }
                        };
                    }

                    @Override
                    protected void release() {
                        inner.close();
                    }
                };
            }
        };
    }

    static SequenceModel mapLstms(SequenceModel m, UnaryOperator<LstmLayer> f) {
        SequenceModel.Builder b = SequenceModel.builder(m.inputSize()).name(m.name());
        for (Layer l : m.layers()) {
            b.add(l instanceof LstmLayer lstm ? f.apply(lstm) : l);
        }
        return b.ports(m.ports()).build();
    }

    static LstmLayer mapWeights(LstmLayer l, UnaryOperator<LstmWeights> f) {
        List<LstmWeights> w = new ArrayList<>();
        l.weights().forEach(x -> w.add(f.apply(x)));
        return l.toBuilder().weights(w).build();
    }

    /** Reads canonical weights as if they were in ONNX's i, o, f, c order. */
    static LstmWeights wrongGateOrder(LstmWeights w) {
        int h = w.hiddenSize();
        int i = w.inputSize();
        return LstmWeights.of(i, h, GateOrder.ONNX.reorderRows(w.inputKernel(), h, i, GateOrder.CANONICAL),
                GateOrder.ONNX.reorderRows(w.recurrentKernel(), h, h, GateOrder.CANONICAL),
                GateOrder.ONNX.reorderRows(w.inputBias(), h, 1, GateOrder.CANONICAL),
                GateOrder.ONNX.reorderRows(w.recurrentBias(), h, 1, GateOrder.CANONICAL), w.peepholes());
    }

    static LstmWeights withoutRecurrentBias(LstmWeights w) {
        return LstmWeights.of(w.inputSize(), w.hiddenSize(), w.inputKernel(), w.recurrentKernel(), w.inputBias(), null, w.peepholes());
    }

    /** Each sequence starts one step late: step t reads input t-1 (zeros at t = 0). */
    static SequenceBatch offByOne(SequenceBatch b) {
        float[][][] x = b.input().toArray3d();
        for (float[][] seq : x) {
            for (int t = seq.length - 1; t > 0; t--) {
                seq[t] = seq[t - 1];
            }
            seq[0] = new float[seq[0].length];
        }
        SequenceBatch out = SequenceBatch.of(FloatTensor.of(x)).withPadding(b.padding()).withInitialState(b.initialState());
        return b.hasLengths() ? out.withLengths(b.lengths()) : out;
    }

    /** Rounds to float16's 10-bit mantissa, as an engine computing in half precision would. */
    static FloatTensor toHalfPrecision(FloatTensor t) {
        float[] v = t.toArray();
        for (int k = 0; k < v.length; k++) {
            int bits = Float.floatToRawIntBits(v[k]);
            bits = (bits + 0x1000) & 0xFFFFE000;  // round the 23-bit mantissa to 10 bits
            v[k] = Float.intBitsToFloat(bits);
        }
        return FloatTensor.of(t.shape(), v);
    }

    // ------------------------------------------------------------------ masks and tokens

    /** The batch as it came, without its mask: every padding step is computed. */
    static Prediction ignoringTheMask(Predictor reference, SequenceBatch batch) {
        return reference.predict(unmasked(batch));
    }

    private static SequenceBatch unmasked(SequenceBatch batch) {
        SequenceBatch b = batch.hasTokens() ? SequenceBatch.ofTokens(batch.tokens()) : SequenceBatch.of(batch.input());
        return batch.hasInitialState() ? b.withInitialState(batch.initialState()) : b;
    }

    /**
     * Masks only the forward direction of a bidirectional layer (the backward one computes the padding too),
     * for models whose last layer is a bidirectional LSTM concatenating sequences; others run correctly.
     */
    static Prediction maskingTheForwardDirectionOnly(Predictor reference, SequenceBatch batch) {
        Prediction right = reference.predict(batch);
        List<Layer> layers = reference.model().layers();
        if (batch.mask() == null || !(layers.get(layers.size() - 1) instanceof LstmLayer l) || l.direction() != Direction.BIDIRECTIONAL
                || l.mergeMode() != org.lstm4j.model.MergeMode.CONCAT || l.outputMode() != org.lstm4j.model.OutputMode.SEQUENCES) {
            return right;
        }
        float[] out = right.output().toArray();
        float[] unmasked = reference.predict(unmasked(batch)).output().toArray();
        int h = l.hiddenSize();
        for (int row = 0; row < out.length / (2 * h); row++) {
            System.arraycopy(unmasked, row * 2 * h + h, out, row * 2 * h + h, h);
        }
        return new Prediction(FloatTensor.of(right.output().shape(), out), right.finalState());
    }

    /** Pre-padded rows read as post-padded: each row's valid-step count becomes its length, nothing is rotated. */
    static Prediction leftPaddingReadAsRightPadding(Predictor reference, SequenceBatch batch) {
        StepMask m = batch.mask();
        if (m == null) {
            return reference.predict(batch);
        }
        int[] lengths = new int[m.batchSize()];
        for (int b = 0; b < lengths.length; b++) {
            lengths[b] = m.validCount(b);
        }
        return reference.predict(unmasked(batch).withLengths(lengths));
    }

    /** Rotates each row's valid steps to the front and runs them, but leaves the outputs where the rotated run put them. */
    static Prediction rotationNotUndone(Predictor reference, SequenceBatch batch) {
        StepMask m = batch.mask();
        if (m == null || batch.hasTokens()) {
            return reference.predict(batch);
        }
        float[][][] x = batch.input().toArray3d();
        int[] lengths = new int[x.length];
        for (int b = 0; b < x.length; b++) {
            int s = Math.max(m.firstValid(b), 0);
            float[][] row = x[b].clone();
            for (int t = 0; t < row.length; t++) {
                x[b][t] = row[(t + s) % row.length];
            }
            lengths[b] = m.validCount(b);
        }
        SequenceBatch rotated = SequenceBatch.of(FloatTensor.of(x)).withLengths(lengths);
        return reference.predict(batch.hasInitialState() ? rotated.withInitialState(batch.initialState()) : rotated);
    }

    /** PyTorch's padding index read as "this row is zeros": wrong, since PyTorch uses the row as stored. */
    static SequenceModel zeroingThePaddingRow(SequenceModel m) {
        if (!(m.layers().get(0) instanceof EmbeddingLayer e) || e.paddingIndex().isEmpty()) {
            return m;
        }
        float[] table = e.weights().table();
        int p = e.paddingIndex().getAsInt();
        java.util.Arrays.fill(table, p * e.outputSize(), (p + 1) * e.outputSize(), 0f);
        EmbeddingLayer zeroed = EmbeddingLayer.of(e.name(), EmbeddingWeights.of(e.vocabularySize(), e.outputSize(), table))
                .withMaskZero(e.masksZero()).withPaddingIndex(p);
        SequenceModel.Builder b = SequenceModel.builder(m.inputSize()).name(m.name()).add(zeroed);
        m.layers().subList(1, m.layers().size()).forEach(b::add);
        return b.ports(m.ports()).build();
    }

    static LstmLayer forwardInsteadOfReverse(LstmLayer l) {
        return l.direction() == Direction.REVERSE ? l.toBuilder().direction(Direction.FORWARD).reversedOutputOrder(false).build() : l;
    }

    // ------------------------------------------------------------------ options an engine might ignore

    /** Cell and hidden activations read as tanh whatever the model says (an ignored activations attribute). */
    static LstmLayer tanhWhateverTheActivation(LstmLayer l) {
        return l.toBuilder().activations(l.gateActivation(), Activation.tanh(), Activation.tanh()).build();
    }

    /** Every activation's alpha and beta replaced by its ONNX default (an ignored activation_alpha/beta). */
    static LstmLayer defaultActivationParameters(LstmLayer l) {
        return l.toBuilder().activations(withDefaultParameters(l.gateActivation()), withDefaultParameters(l.cellActivation()),
                withDefaultParameters(l.hiddenActivation())).build();
    }

    private static Activation withDefaultParameters(Activation a) {
        return switch (a.kind()) {
            case LEAKY_RELU -> Activation.leakyRelu(0.01f);
            case THRESHOLDED_RELU -> Activation.thresholdedRelu(1f);
            case ELU -> Activation.elu(1f);
            case SCALED_TANH -> Activation.scaledTanh(1f, 1f);
            case AFFINE -> Activation.affine(1f, 0f);
            case HARD_SIGMOID -> Activation.hardSigmoid();
            default -> a;
        };
    }

    static LstmWeights withoutInputBias(LstmWeights w) {
        return LstmWeights.of(w.inputSize(), w.hiddenSize(), w.inputKernel(), w.recurrentKernel(), null, w.recurrentBias(), w.peepholes());
    }

    static LstmWeights withoutPeepholes(LstmWeights w) {
        return LstmWeights.of(w.inputSize(), w.hiddenSize(), w.inputKernel(), w.recurrentKernel(), w.inputBias(), w.recurrentBias(), null);
    }

    static LstmLayer withoutCellClip(LstmLayer l) {
        return l.toBuilder().cellClip(Float.NaN).build();
    }

    static LstmLayer uncoupledGates(LstmLayer l) {
        return l.toBuilder().coupledInputForget(false).build();
    }

    /** A bidirectional layer's backward half computed as nothing: zero weights give h = 0 at every step. */
    static LstmLayer withoutBackwardHalf(LstmLayer l) {
        if (l.direction() != Direction.BIDIRECTIONAL) {
            return l;
        }
        LstmWeights w = l.weights().get(1);
        int h = w.hiddenSize();
        int i = w.inputSize();
        LstmWeights zero = LstmWeights.of(i, h, new float[4 * h * i], new float[4 * h * h], new float[4 * h], new float[4 * h],
                w.hasPeepholes() ? new float[3 * h] : null);
        return l.toBuilder().weights(l.weights().get(0), zero).build();
    }

    /** Every merge other than concatenation computed as a sum (an ignored merge_mode). */
    static LstmLayer sumWhateverTheMerge(LstmLayer l) {
        return l.direction() == Direction.BIDIRECTIONAL && l.mergeMode() != MergeMode.CONCAT ? l.toBuilder().mergeMode(MergeMode.SUM).build() : l;
    }

    /** Dense heads computed without their activation (a softmax head left as logits). */
    static SequenceModel linearDenseHeads(SequenceModel m) {
        SequenceModel.Builder b = SequenceModel.builder(m.inputSize()).name(m.name());
        for (Layer l : m.layers()) {
            b.add(l instanceof DenseLayer d ? DenseLayer.of(d.name(), d.weights(), Activation.linear()) : l);
        }
        return b.ports(m.ports()).build();
    }

    /** A caller's initial state dropped: every call starts from zeros (a stream's own state still carries). */
    static SequenceBatch withoutInitialState(SequenceBatch batch) {
        if (!batch.hasInitialState() || batch.continuesStreams()) {
            return batch;
        }
        SequenceBatch b = batch.hasTokens() ? SequenceBatch.ofTokens(batch.tokens()) : SequenceBatch.of(batch.input());
        b = b.withPadding(batch.padding()).withMask(batch.hasMask() ? batch.mask() : null);
        return batch.hasLengths() ? b.withLengths(batch.lengths()) : b;
    }

    /** Sequence lengths ignored: every row runs over the whole time axis. */
    static Prediction ignoringTheLengths(Predictor reference, SequenceBatch batch) {
        return reference.predict(unmasked(batch));
    }
}
