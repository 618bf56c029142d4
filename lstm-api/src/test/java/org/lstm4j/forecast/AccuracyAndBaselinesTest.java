package org.lstm4j.forecast;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Expected values worked out by hand in the comments. */
class AccuracyAndBaselinesTest {

    @Test
    void accuracyByHand() {
        // errors 1, -2, 0, 3: squared mean (1 + 4 + 0 + 9) / 4 = 3.5; abs mean 6 / 4 = 1.5;
        // percentage errors 1/10, 2/20, 0, 3/0 (left out): mean of 0.1, 0.1, 0 = 6.667 %.
        Accuracy a = Accuracy.of(new double[] {10, 20, 5, 0}, new double[] {11, 18, 5, 3});
        assertEquals(Math.sqrt(3.5), a.rmse(), 1e-12);
        assertEquals(1.5, a.mae(), 1e-12);
        assertEquals(20.0 / 3, a.mape(), 1e-12);
        // sMAPE: 2|e| / (|y| + |f|) = 2/21, 4/38, 0, 6/3, mean times 100 = 54.99...
        assertEquals(100 * (2.0 / 21 + 4.0 / 38 + 0 + 2.0) / 4, a.smape(), 1e-12);
        assertEquals(Double.NaN, a.mase());
        assertEquals(4, a.steps());
    }

    @Test
    void maseDividesByTheInSampleSeasonalNaiveError() {
        // season 2 over 1, 3, 2, 6, 4: |2 - 1| + |6 - 3| + |4 - 2| = 6 over 3 steps = 2
        double[] history = {1, 3, 2, 6, 4};
        assertEquals(2, Accuracy.maseScale(history, 2), 1e-12);
        // naive (season 1): |2| + |1| + |4| + |2| = 9 over 4 = 2.25
        assertEquals(2.25, Accuracy.maseScale(history, 1), 1e-12);
        // errors 1 and 3: MAE 2, MASE 2 / 2 = 1
        Accuracy a = Accuracy.of(new double[] {5, 5}, new double[] {6, 2}, Accuracy.maseScale(history, 2));
        assertEquals(1, a.mase(), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> Accuracy.maseScale(history, 5));
    }

    @Test
    void naiveBaselines() {
        double[] h = {1, 2, 3, 4, 5, 6};
        assertArrayEquals(new double[] {6, 6, 6}, NaiveForecasts.lastValue(h, 3));
        assertArrayEquals(new double[] {4, 5, 6, 4, 5}, NaiveForecasts.seasonal(h, 3, 5));
        assertThrows(IllegalArgumentException.class, () -> NaiveForecasts.seasonal(h, 7, 1));
    }

    @Test
    void scalingFromMetadataRoundTrips() {
        Scaling s = Scaling.fromMetadata(Map.of(Scaling.KIND, "minmax", Scaling.OFFSET, "300", Scaling.FACTOR, "120")).orElseThrow();
        assertEquals(0.5, s.scale(360), 1e-12);
        assertEquals(360, s.unscale(0.5), 1e-12);
        assertEquals(java.util.Optional.empty(), Scaling.fromMetadata(Map.of()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Scaling.fromMetadata(Map.of(Scaling.OFFSET, "x", Scaling.FACTOR, "1")));
        assertEquals("model metadata 'lstm4j.scale.offset' is not a number: 'x'", e.getMessage());
    }
}
