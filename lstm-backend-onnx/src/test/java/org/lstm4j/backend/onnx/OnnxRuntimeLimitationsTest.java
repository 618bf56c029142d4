package org.lstm4j.backend.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.lstm4j.backend.java.ReferenceBackendProvider;
import org.lstm4j.testing.TensorAssertions;
import org.lstm4j.testing.Tolerance;
import org.lstm4j.model.Activation;
import org.lstm4j.model.DenseLayer;
import org.lstm4j.model.LstmLayer;
import org.lstm4j.model.SequenceModel;
import org.lstm4j.predict.Prediction;
import org.lstm4j.predict.Predictor;
import org.lstm4j.tensor.FloatTensor;
import org.lstm4j.weights.DenseWeights;
import org.lstm4j.weights.LstmWeights;

/**
 * What ONNX Runtime 1.29 computes differently from the ONNX definitions, pinned so that the
 * documentation ({@link OnnxRuntimeBackendProvider#capabilities()}) stays true: if a new runtime
 * fixes one, its test fails and the note can go.
 */
class OnnxRuntimeLimitationsTest {

    /** One unit, zero weights, biases chosen so that i = 1, f = 0 and the cell pre-activation is {@code pre}: c_1 = g(pre). */
    private static SequenceModel cellActivationProbe(Activation g, float pre) {
        LstmWeights w = LstmWeights.of(1, 1, new float[4], new float[4], new float[] {30f, -30f, pre, 30f}, null, null);
        return SequenceModel.builder(1).add(LstmLayer.builder(1, 1).activations(Activation.sigmoid(), g, Activation.tanh()).weights(w).build()).build();
    }

    private static float cell(Predictor p) {
        return p.predict(FloatTensor.zeros(1, 1, 1)).finalState().layer(0).cell().get(0);
    }

    /**
     * ONNX defines Softplus(x) = log(1 + e^x), about x for large x (the reference engine computes it so).
     * ONNX Runtime's LSTM evaluates it in float32 without guarding e^x, so pre-activations above about
     * 88.7 (where e^x overflows float32) give Infinity. Below that it agrees (88 gives 88).
     */
    @Test
    void lstmSoftplusActivationOverflowsToInfinityAbove88() {
        OnnxRuntimeBackendProvider onnx = new OnnxRuntimeBackendProvider();
        ReferenceBackendProvider reference = new ReferenceBackendProvider();
        try (Predictor o88 = onnx.compile(cellActivationProbe(Activation.softplus(), 88f));
             Predictor r88 = reference.compile(cellActivationProbe(Activation.softplus(), 88f));
             Predictor o89 = onnx.compile(cellActivationProbe(Activation.softplus(), 89f));
             Predictor r89 = reference.compile(cellActivationProbe(Activation.softplus(), 89f))) {
            assertEquals(cell(r88), cell(o88), 1e-3f);
            assertEquals(89f, cell(r89), 1e-3f);
            assertEquals(Float.POSITIVE_INFINITY, cell(o89), "ONNX Runtime 1.29 LSTM Softplus at 89");
        }
        // The other unbounded activations take large pre-activations in their stride.
        for (Activation g : new Activation[] {Activation.relu(), Activation.elu(1f), Activation.leakyRelu(0.1f), Activation.affine(1f, 0f)}) {
            try (Predictor o = onnx.compile(cellActivationProbe(g, 200f))) {
                assertEquals(200f, cell(o), 1e-3f, g.toString());
            }
        }
    }

    /** The standalone Softplus operator (a dense layer's activation) is not affected: it gives x for large x. */
    @Test
    void denseSoftplusOperatorStaysFiniteForLargeInputs() {
        SequenceModel m = SequenceModel.builder(1)
                .add(LstmLayer.builder(1, 1).weights(LstmWeights.of(1, 1, new float[4], new float[4], new float[] {30f, -30f, 30f, 30f}, null, null)).build())
                .add(DenseLayer.of(DenseWeights.of(1, 1, new float[] {200f}, new float[] {0f}), Activation.softplus()))
                .build();
        try (Predictor o = new OnnxRuntimeBackendProvider().compile(m); Predictor r = new ReferenceBackendProvider().compile(m)) {
            FloatTensor x = FloatTensor.zeros(1, 1, 1);
            Prediction expected = r.predict(x);
            TensorAssertions.assertClose(expected.output(), o.predict(x).output(), Tolerance.DEFAULT, "softplus dense");
        }
    }
}
