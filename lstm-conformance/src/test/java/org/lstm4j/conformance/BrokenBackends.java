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
import org.lstm4j.model.Direction;
import org.lstm4j.model.Layer;
import org.lstm4j.model.LstmLayer;
import org.lstm4j.model.SequenceModel;
import org.lstm4j.predict.AbstractPredictor;
import org.lstm4j.predict.ModelState;
import org.lstm4j.predict.Prediction;
import org.lstm4j.predict.Predictor;
import org.lstm4j.predict.PredictorOptions;
import org.lstm4j.predict.SequenceBatch;
import org.lstm4j.predict.StreamingPredictor;
import org.lstm4j.tensor.FloatTensor;
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

    /** A backend whose predictor runs the reference engine on a corrupted model and corrupts its results. */
    static BackendProvider broken(String name, UnaryOperator<SequenceModel> corruptModel, UnaryOperator<SequenceBatch> corruptInput,
                                  UnaryOperator<FloatTensor> corruptOutput, boolean forgetsStreamingState) {
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
                return EnumSet.allOf(Capability.class);
            }

            @Override
            public Predictor compile(SequenceModel model, PredictorOptions options) {
                Predictor inner = reference.compile(corruptModel.apply(model), options);
                return new AbstractPredictor(name, model, options) {
                    @Override
                    protected Prediction run(SequenceBatch batch) {
                        Prediction p = inner.predict(corruptInput.apply(batch));
                        return new Prediction(corruptOutput.apply(p.output()), p.finalState());
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

    static LstmLayer forwardInsteadOfReverse(LstmLayer l) {
        return l.direction() == Direction.REVERSE ? l.toBuilder().direction(Direction.FORWARD).reversedOutputOrder(false).build() : l;
    }
}
