package org.lstm4j.forecast.smoothing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Small cases worked out by hand in the comments; statsmodels' agreement is in StatsmodelsAgreementTest. */
class ExponentialSmoothingTest {

    @Test
    void additiveHoltWintersByHand() {
        // m = 2, alpha 0.5, beta 0.5, gamma 0.5, l0 = 10, b0 = 1, s0 = [-1, 1]; y = 10, 13
        // t=0: yhat = 10 + 1 - 1 = 10; l = .5 (10 + 1) + .5 (11) = 11; b = .5 (1) + .5 (1) = 1; s = .5 (10 - 11) + .5 (-1) = -1
        // t=1: yhat = 11 + 1 + 1 = 13; l = .5 (13 - 1) + .5 (12) = 12; b = .5 (1) + .5 = 1; s = .5 (13 - 12) + .5 (1) = 1
        // and so on: the level rises by 1 a step, the season alternates -1, 1; after t=9: l = 20, b = 1,
        // forecast h=1: 20 + 1 - 1 = 20; h=2: 20 + 2 + 1 = 23; h=3: 20 + 3 - 1 = 22
        SmoothedSeries s = ExponentialSmoothing.holtWintersAdditive(2)
                .run(new SmoothingParameters(0.5, 0.5, 0.5, 10, 1, new double[] {-1, 1}), new double[] {10, 13, 12, 15, 14, 17, 16, 19, 18, 21});
        assertEquals(10, s.fitted()[0], 1e-12);
        assertEquals(13, s.fitted()[1], 1e-12);
        assertEquals(0, s.sse(), 1e-9);  // the series follows the model exactly
        assertArrayEquals(new double[] {20, 23, 22}, s.forecast(3), 1e-9);
        assertEquals(-1, s.seasonAt(10), 1e-12);
        assertEquals(1, s.seasonAt(11), 1e-12);
    }

    @Test
    void multiplicativeSeasonByHand() {
        // no trend, m = 2, alpha 1, gamma 0: level = y / s, forecast = level * s
        SmoothedSeries s = new ExponentialSmoothing(ExponentialSmoothing.Trend.NONE, ExponentialSmoothing.Season.MULTIPLICATIVE, 2)
                .run(new SmoothingParameters(1, 0, 0, 10, 0, new double[] {0.5, 2}), new double[] {5, 20, 5, 20, 5, 20, 5, 20, 5, 20});
        assertEquals(0, s.sse(), 1e-9);
        assertEquals(10, s.level(9), 1e-12);
        assertArrayEquals(new double[] {5, 20, 5}, s.forecast(3), 1e-12);
    }

    @Test
    void theFitIsNoWorseThanAGoodGuess() {
        double[] y = new double[60];
        SmoothingParameters truth = new SmoothingParameters(0.3, 0.1, 0.2, 50, 0.5, new double[] {-2, 0, 2, 0});
        ExponentialSmoothing hw = ExponentialSmoothing.holtWintersAdditive(4);
        for (int t = 0; t < y.length; t++) {
            y[t] = 50 + 0.5 * (t + 1) + new double[] {-2, 0, 2, 0}[t % 4] + 0.4 * Math.sin(t * 1.3);
        }
        SmoothedSeries fit = hw.fit(y);
        assertTrue(fit.sse() <= hw.run(truth, y).sse(), "SSE " + fit.sse() + " vs the guess's " + hw.run(truth, y).sse());
    }

    @Test
    void aSearchThatRunsOutOfEvaluationsLeavesTheOtherStarts() {
        // both series sent multiplicative Holt-Winters' search past its 2,000 evaluations from some start
        // (TooManyEvaluationsException escaped the fit before): growth by 60% a step, and a yearly spike of 12 orders
        double[] growth = new double[60];
        double[] spikes = new double[36];
        for (int t = 0; t < growth.length; t++) {
            growth[t] = Math.pow(1.6, t);
        }
        for (int t = 0; t < spikes.length; t++) {
            spikes[t] = t % 12 == 11 ? 1e6 : 1e-6;
        }
        for (double[] y : new double[][] {growth, spikes}) {
            for (ExponentialSmoothing model : new ExponentialSmoothing[] {ExponentialSmoothing.simple(),
                ExponentialSmoothing.holtWintersAdditive(12), ExponentialSmoothing.holtWintersMultiplicative(12)}) {
                SmoothedSeries fit = model.fit(y);
                assertTrue(Double.isFinite(fit.sse()), model + ": SSE " + fit.sse());
                assertTrue(Arrays.stream(fit.forecast(12)).allMatch(Double::isFinite), model + ": " + Arrays.toString(fit.forecast(12)));
            }
        }
    }

    @Test
    void badInputIsRefusedNamingWhatIsWrong() {
        ExponentialSmoothing hw = ExponentialSmoothing.holtWintersMultiplicative(12);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> hw.fit(new double[10]));
        assertEquals("Holt-Winters multiplicative needs at least 25 observations, got 10", e.getMessage());
        double[] y = new double[30];
        java.util.Arrays.fill(y, 1);
        y[7] = -1;
        e = assertThrows(IllegalArgumentException.class, () -> hw.fit(y));
        assertEquals("Holt-Winters multiplicative: observation 7 is -1.0; the series must be finite and positive (multiplicative season)",
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> hw.run(SmoothingParameters.level(0.5, 1), y));
        assertEquals("Holt-Winters multiplicative has 12 initial seasons, got 0", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new SmoothingParameters(1.5, 0, 0, 0, 0, new double[0]));
        y[7] = Double.NaN;
        assertThrows(IllegalArgumentException.class, () -> ExponentialSmoothing.simple().fit(y));
    }
}
