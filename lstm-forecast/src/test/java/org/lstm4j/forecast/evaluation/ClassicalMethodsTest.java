package org.lstm4j.forecast.evaluation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.lstm4j.forecast.smoothing.ExponentialSmoothing;
import org.lstm4j.forecast.smoothing.SmoothedSeries;

class ClassicalMethodsTest {

    static double[] seasonal(int n, double shift) {
        double[] y = new double[n];
        for (int t = 0; t < n; t++) {
            y[t] = shift + 0.1 * t + 3 * Math.sin(2 * Math.PI * t / 12) + 0.3 * Math.cos(1.7 * t);
        }
        return y;
    }

    @Test
    void theLineUpHasEveryMethodThatApplies() {
        List<String> names = ClassicalMethods.fitted(seasonal(60, 100), 12).stream().map(ForecastMethod::name).toList();
        assertEquals(List.of("naive (last value)", "seasonal naive (season 12)", "simple exponential smoothing", "Holt-Winters additive",
                "Holt-Winters multiplicative"), names);
        // a series through zero has no multiplicative season; no season, no seasonal methods
        assertEquals(4, ClassicalMethods.fitted(seasonal(60, 0), 12).size());
        assertEquals(List.of("naive (last value)", "simple exponential smoothing"),
                ClassicalMethods.fitted(seasonal(60, 100), 1).stream().map(ForecastMethod::name).toList());
        // too short for Holt-Winters (two seasons): left out
        assertEquals(3, ClassicalMethods.fitted(seasonal(20, 100), 12).size());
    }

    @Test
    void aSmoothingMethodKeepsItsFittedParametersAndRunsOverEachHistory() {
        double[] y = seasonal(80, 100);
        SmoothedSeries fit = ExponentialSmoothing.holtWintersAdditive(12).fit(java.util.Arrays.copyOf(y, 60));
        ForecastMethod method = ClassicalMethods.smoothing(fit);
        assertArrayEquals(fit.model().run(fit.parameters(), y).forecast(5), method.forecast(y, 5));
        assertArrayEquals(fit.forecast(3), method.forecast(java.util.Arrays.copyOf(y, 60), 3));
    }
}
