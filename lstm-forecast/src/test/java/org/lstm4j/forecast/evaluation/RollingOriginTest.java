package org.lstm4j.forecast.evaluation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.lstm4j.forecast.Accuracy;

/** Expected values worked out by hand in the comments. */
class RollingOriginTest {

    @Test
    void originsSpreadEvenlyFromTheStartOfTheTailToTheLastWholeHorizon() {
        // length 100, tail 36, horizon 12: origins 64 .. 88; 25 origins = every step, 3 = 64, 76, 88
        assertArrayEquals(new int[] {64, 76, 88}, RollingOrigin.overTail(100, 36, 12, 3).origins());
        assertEquals(25, RollingOrigin.overTail(100, 36, 12, 25).origins().length);
        assertArrayEquals(new int[] {64}, RollingOrigin.overTail(100, 36, 36, 1).origins());
        assertEquals(64, RollingOrigin.overTail(100, 36, 12, 3).trainingLength());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RollingOrigin.overTail(100, 36, 12, 26));
        assertTrue(e.getMessage().contains("start at one of 25 origins"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> RollingOrigin.overTail(100, 12, 36, 1));
        assertThrows(IllegalArgumentException.class, () -> new RollingOrigin(new int[] {5, 5}, 1));
    }

    @Test
    void theTilingOriginsCoverTheTailWithoutOverlap() {
        assertArrayEquals(new int[] {64, 76, 88}, RollingOrigin.overTail(100, 36, 12, 25).tiling());
        assertArrayEquals(new int[] {64, 88}, new RollingOrigin(new int[] {64, 70, 88}, 12).tiling());
    }

    @Test
    void eachOriginSeesOnlyItsPastAndIsScoredAgainstWhatFollowed() {
        // series 1, 3, 2, 6, 4, 8; origins 4 and 5, horizon 1, naive forecasts 6 (from 1,3,2,6) and 4 (from 1,3,2,6,4)
        double[] y = {1, 3, 2, 6, 4, 8};
        Evaluation e = new RollingOrigin(new int[] {4, 5}, 1).evaluate(y, ClassicalMethods.naive(), 2);
        assertArrayEquals(new double[] {6}, e.forecastFrom(4));
        assertArrayEquals(new double[] {4}, e.forecastFrom(5));
        // errors |4 - 6| = 2 and |8 - 4| = 4; MASE scales: season 2 over 1,3,2,6: (1 + 3) / 2 = 2; over 1,3,2,6,4: (1 + 3 + 2) / 3 = 2
        assertEquals(1, e.scores().get(0).mase(), 1e-12);
        assertEquals(2, e.scores().get(1).mase(), 1e-12);
        assertEquals(3, e.mean(Accuracy::mae), 1e-12);
        assertEquals(Math.sqrt(2), e.sd(Accuracy::mae), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> new RollingOrigin(new int[] {6}, 1).evaluate(y, ClassicalMethods.naive(), 2));
    }
}
