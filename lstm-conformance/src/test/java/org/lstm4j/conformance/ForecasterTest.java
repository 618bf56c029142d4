package org.lstm4j.conformance;

import static org.lstm4j.testing.TensorAssertions.assertClose;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.lstm4j.backend.java.ReferenceBackendProvider;
import org.lstm4j.forecast.Forecaster;
import org.lstm4j.model.Activation;
import org.lstm4j.model.Direction;
import org.lstm4j.model.OutputMode;
import org.lstm4j.model.SequenceModel;
import org.lstm4j.predict.Predictor;
import org.lstm4j.predict.StreamingPredictor;
import org.lstm4j.tensor.FloatTensor;
import org.lstm4j.testing.RandomModels;
import org.lstm4j.testing.Tolerance;

/** The forecaster against the same rollout done by hand with plain predict and stream calls. */
class ForecasterTest {

    private static SequenceModel oneStepModel(long seed, int features) {
        Random rnd = new Random(seed);
        return SequenceModel.builder(features).add(RandomModels.lstm(rnd, features, 6, Direction.FORWARD, false)
                .outputMode(OutputMode.FINAL_STATE).build()).add(RandomModels.dense(rnd, 6, features, Activation.linear())).build();
    }

    @Test
    void slidingWindowEqualsRepeatedPredictionsOnTheLatestWindow() {
        SequenceModel m = oneStepModel(1, 2);
        FloatTensor history = RandomModels.input(new Random(2), 3, 5, 2);
        try (Predictor p = new ReferenceBackendProvider().compile(m)) {
            float[][][] window = history.toArray3d();
            float[][][] expected = new float[3][4][];
            for (int step = 0; step < 4; step++) {
                float[][] next = p.predict(FloatTensor.of(window)).output().toArray2d();
                for (int s = 0; s < 3; s++) {
                    expected[s][step] = next[s];
                    System.arraycopy(window[s], 1, window[s], 0, 4);
                    window[s][4] = next[s];
                }
            }
            assertClose(FloatTensor.of(expected), new Forecaster(p).forecast(history, 4), Tolerance.EXACT, "sliding-window forecast");
        }
    }

    @Test
    void directMultiStepModelsYieldSeveralStepsPerCall() {
        Random rnd = new Random(3);
        SequenceModel m = SequenceModel.builder(1).add(RandomModels.lstm(rnd, 1, 5, Direction.FORWARD, false)
                .outputMode(OutputMode.FINAL_STATE).build()).add(RandomModels.dense(rnd, 5, 3, Activation.linear())).build();
        FloatTensor history = RandomModels.input(new Random(4), 2, 6, 1);
        try (Predictor p = new ReferenceBackendProvider().compile(m)) {
            float[][][] window = history.toArray3d();
            float[][] first = p.predict(history).output().toArray2d();
            for (int s = 0; s < 2; s++) {
                float[] w = new float[6];
                for (int t = 0; t < 6; t++) {
                    w[t] = window[s][t][0];
                }
                System.arraycopy(w, 3, w, 0, 3);
                System.arraycopy(first[s], 0, w, 3, 3);
                for (int t = 0; t < 6; t++) {
                    window[s][t][0] = w[t];
                }
            }
            float[][] second = p.predict(FloatTensor.of(window)).output().toArray2d();
            float[][][] expected = new float[2][5][1];
            for (int s = 0; s < 2; s++) {
                for (int k = 0; k < 5; k++) {
                    expected[s][k][0] = k < 3 ? first[s][k] : second[s][k - 3];
                }
            }
            assertClose(FloatTensor.of(expected), new Forecaster(p).forecast(history, 5), Tolerance.EXACT, "direct 3-step model, horizon 5");
        }
    }

    @Test
    void statefulModeCarriesTheStateForward() {
        SequenceModel m = oneStepModel(5, 1);
        FloatTensor history = RandomModels.input(new Random(6), 2, 7, 1);
        try (Predictor p = new ReferenceBackendProvider().compile(m); StreamingPredictor s = p.stream(2)) {
            float[] next = s.chunk(history).toArray();
            float[][][] expected = new float[2][3][1];
            for (int k = 0; k < 3; k++) {
                for (int b = 0; b < 2; b++) {
                    expected[b][k][0] = next[b];
                }
                next = s.step(FloatTensor.of(new int[] {2, 1}, next)).toArray();
            }
            assertClose(FloatTensor.of(expected), new Forecaster(p, Forecaster.Mode.STATEFUL).forecast(history, 3),
                    Tolerance.EXACT, "stateful forecast");
        }
    }
}
