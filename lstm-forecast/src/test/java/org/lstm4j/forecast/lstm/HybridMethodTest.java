package org.lstm4j.forecast.lstm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.lstm4j.backend.java.ReferenceBackendProvider;
import org.lstm4j.forecast.Scaling;
import org.lstm4j.forecast.smoothing.ExponentialSmoothing;
import org.lstm4j.forecast.smoothing.SmoothedSeries;
import org.lstm4j.forecast.smoothing.SmoothingParameters;
import org.lstm4j.model.Activation;
import org.lstm4j.model.DenseLayer;
import org.lstm4j.model.LstmLayer;
import org.lstm4j.model.OutputMode;
import org.lstm4j.model.SequenceModel;
import org.lstm4j.predict.Predictor;
import org.lstm4j.weights.DenseWeights;
import org.lstm4j.weights.LstmWeights;

/**
 * The hybrid's smoothing, on the reference engine with models whose output is known: a dense head
 * with zero weights outputs its bias whatever the LSTM computes.
 */
class HybridMethodTest {

    static final int WINDOW = 6;
    static final int STEPS = 3;

    static final ExponentialSmoothing ADDITIVE = ExponentialSmoothing.holtWintersAdditive(4);
    static final SmoothingParameters ADDITIVE_P = new SmoothingParameters(0.4, 0.1, 0.2, 20, 0.5, new double[] {-2, 1, 3, -2});
    static final ExponentialSmoothing MULTIPLICATIVE = ExponentialSmoothing.holtWintersMultiplicative(4);
    static final SmoothingParameters MULTIPLICATIVE_P = new SmoothingParameters(0.4, 0.1, 0.2, 20, 0.5, new double[] {0.9, 1.05, 1.15, 0.9});

    static double[] series() {
        double[] y = new double[40];
        for (int t = 0; t < y.length; t++) {
            y[t] = 20 + 0.5 * t + new double[] {-2, 1, 3, -2}[t % 4] + Math.sin(1.3 * t);
        }
        return y;
    }

    /** LSTM(1 -> 2) + Dense(2 -> STEPS) with zero kernel: the output is the bias. */
    static SequenceModel constantModel(float bias) {
        float[] w = new float[8];
        Arrays.fill(w, 0.3f);
        LstmLayer lstm = LstmLayer.builder(1, 2).outputMode(OutputMode.FINAL_STATE)
                .weights(LstmWeights.of(1, 2, w, new float[16], new float[8], new float[8], null)).build();
        float[] b = new float[STEPS];
        Arrays.fill(b, bias);
        return SequenceModel.builder(1).add(lstm).add(DenseLayer.of(DenseWeights.of(2, STEPS, new float[2 * STEPS], b), Activation.linear()))
                .build();
    }

    static HybridMethod hybrid(Predictor p, ExponentialSmoothing model, SmoothingParameters params, Scaling scaling) {
        return new HybridMethod("hybrid", p, new SmoothingMetadata(model, params), scaling, WINDOW);
    }

    @Test
    void aModelThatOutputsZeroForecastsWhatTheSmoothingDoes() {
        double[] y = series();
        try (Predictor p = new ReferenceBackendProvider().compile(constantModel(0))) {
            for (var c : new Object[][] {{ADDITIVE, ADDITIVE_P}, {MULTIPLICATIVE, MULTIPLICATIVE_P}}) {
                ExponentialSmoothing model = (ExponentialSmoothing) c[0];
                SmoothingParameters params = (SmoothingParameters) c[1];
                HybridMethod h = hybrid(p, model, params, new Scaling("standard", 0, 2));
                double[][] got = h.forecast(y, new int[] {30, 33}, STEPS);
                assertArrayEquals(model.run(params, Arrays.copyOf(y, 30)).forecast(STEPS), got[0], 1e-12, model.name());
                assertArrayEquals(model.run(params, Arrays.copyOf(y, 33)).forecast(STEPS), got[1], 1e-12, model.name());
            }
        }
    }

    @Test
    void theModelsOutputIsUnscaledAndAddedOrMultipliedIn() {
        double[] y = series();
        Scaling scaling = new Scaling("standard", 0.01, 0.5);  // output 0.25 -> 0.25 * 0.5 + 0.01 = 0.135
        try (Predictor p = new ReferenceBackendProvider().compile(constantModel(0.25f))) {
            double[] add = hybrid(p, ADDITIVE, ADDITIVE_P, scaling).forecast(Arrays.copyOf(y, 30), STEPS);
            double[] mul = hybrid(p, MULTIPLICATIVE, MULTIPLICATIVE_P, scaling).forecast(Arrays.copyOf(y, 30), STEPS);
            double[] fAdd = ADDITIVE.run(ADDITIVE_P, Arrays.copyOf(y, 30)).forecast(STEPS);
            double[] fMul = MULTIPLICATIVE.run(MULTIPLICATIVE_P, Arrays.copyOf(y, 30)).forecast(STEPS);
            for (int h = 0; h < STEPS; h++) {
                assertEquals(fAdd[h] + 0.135, add[h], 1e-6);
                assertEquals(fMul[h] * Math.exp(0.135), mul[h], 1e-5);
            }
        }
    }

    @Test
    void theModelReadsTheWindowAroundTheCurrentLevelWithoutTheSeason() {
        double[] y = series();
        Scaling scaling = new Scaling("standard", 0.5, 2);
        try (Predictor p = new ReferenceBackendProvider().compile(constantModel(0))) {
            HybridMethod.Frame add = hybrid(p, ADDITIVE, ADDITIVE_P, scaling).frame(y, 30, STEPS);
            HybridMethod.Frame mul = hybrid(p, MULTIPLICATIVE, MULTIPLICATIVE_P, scaling).frame(y, 30, STEPS);
            SmoothedSeries sa = ADDITIVE.run(ADDITIVE_P, Arrays.copyOf(y, 30));
            SmoothedSeries sm = MULTIPLICATIVE.run(MULTIPLICATIVE_P, Arrays.copyOf(y, 30));
            for (int j = 0; j < WINDOW; j++) {
                int t = 30 - WINDOW + j;
                assertEquals((y[t] - sa.level(29) - sa.seasonAt(t) - 0.5) / 2, add.inputs()[j], 1e-12);
                assertEquals((Math.log(y[t] / (sm.level(29) * sm.seasonAt(t))) - 0.5) / 2, mul.inputs()[j], 1e-12);
            }
        }
    }

    @Test
    void aForecastDependsOnNothingAfterItsOrigin() {
        double[] y = series();
        double[] changed = y.clone();
        for (int t = 30; t < changed.length; t++) {
            changed[t] *= 3;
        }
        try (Predictor p = new ReferenceBackendProvider().compile(constantModel(0.1f))) {
            HybridMethod h = hybrid(p, ADDITIVE, ADDITIVE_P, Scaling.identity());
            assertArrayEquals(h.forecast(y, new int[] {30}, STEPS)[0], h.forecast(changed, new int[] {30}, STEPS)[0]);
        }
    }

    @Test
    void longerHorizonsThanTheModelsOutputsAreRefused() {
        try (Predictor p = new ReferenceBackendProvider().compile(constantModel(0))) {
            HybridMethod h = hybrid(p, ADDITIVE, ADDITIVE_P, Scaling.identity());
            assertEquals(STEPS, h.maxHorizon());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> h.forecast(series(), STEPS + 1));
            assertEquals("hybrid forecasts 1 to 3 steps at once (its model's outputs), not 4", e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> h.forecast(series(), new int[] {4}, 2));
            assertTrue(e.getMessage().contains("reads 6 steps; origin 4"), e.getMessage());
        }
    }

    @Test
    void theSmoothingRoundTripsThroughModelMetadata() {
        SmoothingMetadata s = new SmoothingMetadata(MULTIPLICATIVE, MULTIPLICATIVE_P);
        Map<String, String> meta = s.toMetadata();
        assertTrue(SmoothingMetadata.present(meta));
        assertEquals(s, SmoothingMetadata.read(meta));
        assertEquals("multiplicative", meta.get("lstm4j.smoothing.season"));
        var broken = new java.util.HashMap<>(meta);
        broken.put("lstm4j.smoothing.alpha", "x");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SmoothingMetadata.read(broken));
        assertEquals("model metadata 'lstm4j.smoothing.alpha' is not a number: 'x'", e.getMessage());
        broken.remove("lstm4j.smoothing.alpha");
        e = assertThrows(IllegalArgumentException.class, () -> SmoothingMetadata.read(broken));
        assertTrue(e.getMessage().contains("no 'lstm4j.smoothing.alpha'"), e.getMessage());
    }
}
