package org.lstm4j.backend.nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lstm4j.testing.TensorAssertions.assertClose;

import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.lstm4j.backend.java.ReferenceBackendProvider;
import org.lstm4j.model.Activation;
import org.lstm4j.model.ActivationLayer;
import org.lstm4j.model.Direction;
import org.lstm4j.model.SequenceModel;
import org.lstm4j.predict.Prediction;
import org.lstm4j.predict.Predictor;
import org.lstm4j.predict.StreamingPredictor;
import org.lstm4j.tensor.FloatTensor;
import org.lstm4j.testing.RandomModels;
import org.lstm4j.testing.Tolerance;

/**
 * The stream's own step path (lstmLayerCell and matmul through reused op contexts) against the
 * reference engine {@code java} over the whole sequence: peepholes, activations with alpha and
 * beta, stacked layers, dense heads and activation layers. The conformance kit's streaming cases
 * cover plain models only.
 */
class Nd4jStreamTest {

    static Stream<Arguments> models() {
        Random r = new Random(7);
        return Stream.of(
                Arguments.of("peepholes, hard sigmoid, scaled tanh, leaky relu, dense tanh", Nd4jMatchesReferenceTest.model(4,
                        RandomModels.lstm(r, 4, 6, Direction.FORWARD, true)
                                .activations(Activation.hardSigmoid(0.2f, 0.5f), Activation.scaledTanh(0.9f, 1.3f), Activation.leakyRelu(0.1f)),
                        RandomModels.dense(r, 6, 3, Activation.tanh()))),
                Arguments.of("stacked, dense sigmoid then relu layer", Nd4jMatchesReferenceTest.model(4,
                        RandomModels.lstm(r, 4, 8, Direction.FORWARD, false),
                        RandomModels.lstm(r, 8, 5, Direction.FORWARD, true),
                        RandomModels.dense(r, 5, 4, Activation.sigmoid()), ActivationLayer.of("relu", 4, Activation.relu()))),
                Arguments.of("LSTM last, relu cell", Nd4jMatchesReferenceTest.model(4,
                        RandomModels.lstm(r, 4, 5, Direction.FORWARD, false),
                        RandomModels.lstm(r, 5, 7, Direction.FORWARD, false)
                                .activations(Activation.sigmoid(), Activation.relu(), Activation.tanh()))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void stepsEqualTheReferenceOverTheWholeSequence(String name, SequenceModel model) {
        int streams = 2;
        int time = 15;
        FloatTensor x = RandomModels.input(new Random(17), streams, time, 4);
        Prediction expected;
        try (Predictor ref = new ReferenceBackendProvider().compile(model)) {
            expected = ref.predict(x);
        }
        float[][][] in = x.toArray3d();
        float[][][] out = expected.output().toArray3d();
        try (Predictor p = new Nd4jBackendProvider().compile(model); StreamingPredictor s = p.stream(streams)) {
            assertTrue(((Nd4jStream) s).stepsOnOwnArrays(), name + " runs on the stream's own step path");
            for (int t = 0; t < time; t++) {
                float[][] step = new float[streams][];
                float[][] exp = new float[streams][];
                for (int b = 0; b < streams; b++) {
                    step[b] = in[b][t];
                    exp[b] = out[b][t];
                }
                assertClose(FloatTensor.of(exp), s.step(FloatTensor.of(step)), Tolerance.DEFAULT, name + ", step " + t);
            }
            assertClose(expected.finalState(), s.snapshot(), Tolerance.DEFAULT, name + ", state after every step");
        }
    }

    @Test
    void closingThePredictorClosesItsStreams() {
        Random r = new Random(3);
        SequenceModel model = Nd4jMatchesReferenceTest.model(4, RandomModels.lstm(r, 4, 6, Direction.FORWARD, false));
        Predictor p = new Nd4jBackendProvider().compile(model);
        StreamingPredictor s = p.stream(1);
        s.step(FloatTensor.of(new int[] {1, 4}, new float[4]));
        p.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> s.step(FloatTensor.of(new int[] {1, 4}, new float[4])));
        assertEquals("nd4j predictor for model 'random' is closed", e.getMessage());
        s.close();  // closing again is harmless
    }
}
