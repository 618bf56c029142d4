package org.lstm4j.conformance;

import static org.lstm4j.testing.TensorAssertions.assertClose;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.lstm4j.backend.java.ReferenceBackendProvider;
import org.lstm4j.model.LstmLayer;
import org.lstm4j.model.SequenceModel;
import org.lstm4j.predict.LstmState;
import org.lstm4j.predict.ModelState;
import org.lstm4j.predict.Prediction;
import org.lstm4j.predict.Predictor;
import org.lstm4j.predict.SequenceBatch;
import org.lstm4j.tensor.FloatTensor;
import org.lstm4j.testing.Tolerance;
import org.lstm4j.weights.LstmWeights;

/**
 * Checks the oracle itself on one-unit cells evaluated by hand: the expected numbers were
 * computed with Python's math module, one scalar equation at a time, from the ONNX operator's
 * equations (i, f, c, o; clip on every gate pre-activation; coupled f = 1 - i; peepholes i and f
 * on c_{t-1}, o on c_t). No lstm4j code produced them.
 */
class ReferenceEngineHandComputedTest {

    // Canonical gate order i, f, c, o; input size 1, hidden size 1.
    private static final float[] W = {0.5f, -0.3f, 0.8f, 0.1f};
    private static final float[] R = {0.2f, 0.4f, -0.6f, 0.7f};
    private static final float[] WB = {0.1f, 0.2f, -0.1f, 0.05f};
    private static final float[] RB = {0.0f, -0.1f, 0.3f, 0.2f};
    private static final FloatTensor X = FloatTensor.of(new int[] {1, 2, 1}, new float[] {1.0f, -2.0f});
    /** Float32 inputs widened to double differ from Python's double constants by up to 3e-8. */
    private static final Tolerance HAND = new Tolerance(1e-7, 1e-6);

    @Test
    void plainCellMatchesTheHandComputation() {
        SequenceModel m = SequenceModel.builder(1).add(LstmLayer.builder(1, 1)
                .weights(LstmWeights.of(1, 1, W, R, WB, RB, null)).build()).build();
        try (Predictor p = new ReferenceBackendProvider().compile(m)) {
            Prediction got = p.predict(X);
            assertClose(FloatTensor.of(new int[] {1, 2, 1}, new float[] {0.2672552858587863f, 0.03640460655808472f}),
                    got.output(), HAND, "hidden outputs");
            assertClose(FloatTensor.of(new int[] {1, 1, 1}, new float[] {0.0652175705093389f}),
                    got.finalState().layer(0).cell(), HAND, "final cell state");
        }
    }

    @Test
    void peepholesClipCoupledGatesAndInitialStateMatchTheHandComputation() {
        SequenceModel m = SequenceModel.builder(1).add(LstmLayer.builder(1, 1).cellClip(0.6f).coupledInputForget(true)
                .weights(LstmWeights.of(1, 1, W, R, WB, RB, new float[] {0.3f, -0.2f, 0.5f})).build()).build();
        ModelState init = new ModelState(List.of(new LstmState(
                FloatTensor.of(new int[] {1, 1, 1}, new float[] {0.25f}), FloatTensor.of(new int[] {1, 1, 1}, new float[] {-0.5f}))));
        try (Predictor p = new ReferenceBackendProvider().compile(m)) {
            Prediction got = p.predict(SequenceBatch.of(X).withInitialState(init));
            assertClose(FloatTensor.of(new int[] {1, 2, 1}, new float[] {0.09322495701486298f, -0.04963347021532347f}),
                    got.output(), HAND, "hidden outputs");
            assertClose(FloatTensor.of(new int[] {1, 1, 1}, new float[] {-0.09634345982015301f}),
                    got.finalState().layer(0).cell(), HAND, "final cell state");
        }
    }
}
