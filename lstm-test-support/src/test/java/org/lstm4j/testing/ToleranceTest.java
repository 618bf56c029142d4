package org.lstm4j.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.lstm4j.tensor.FloatTensor;

/** The elementwise rule |got - expected| <= atol + rtol * |expected|, with hand-computed boundaries. */
class ToleranceTest {

    @Test
    void theAllowanceGrowsWithTheExpectedValue() {
        Tolerance t = new Tolerance(1e-5, 1e-5);
        assertTrue(t.accepts(100.0, 100.0 + 1.00e-3));   // allowance 1e-5 + 1e-3
        assertFalse(t.accepts(100.0, 100.0 + 1.02e-3));
        assertTrue(t.accepts(0.0, 0.99e-5));
        assertFalse(t.accepts(0.0, 1.01e-5));
    }

    @Test
    void nanMatchesOnlyNanAndAnInfinityOnlyItself() {
        Tolerance t = Tolerance.DEFAULT;
        assertTrue(t.accepts(Double.NaN, Double.NaN));
        assertFalse(t.accepts(Double.NaN, 0));
        assertFalse(t.accepts(0, Double.NaN));
        assertTrue(t.accepts(Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY));
        assertFalse(t.accepts(Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY));
        assertFalse(t.accepts(Double.MAX_VALUE, Double.POSITIVE_INFINITY));
    }

    @Test
    void aComparisonNamesTheFirstFailingElementAndTheLargestDifference() {
        FloatTensor expected = FloatTensor.of(new int[] {1, 3}, new float[] {1f, 2f, 3f});
        FloatTensor got = FloatTensor.of(new int[] {1, 3}, new float[] {1f, 2.5f, 4f});
        Tolerance.Comparison c = Tolerance.DEFAULT.compare(expected, got);
        assertFalse(c.passed());
        assertEquals(1.0, c.maxAbsolute(), 0.0);
        assertEquals(2, c.worstIndex());
        assertTrue(c.detail().startsWith("element 1: got 2.5, expected 2.0"), c.detail());
    }

    @Test
    void differentShapesNeverPass() {
        Tolerance.Comparison c = Tolerance.DEFAULT.compare(FloatTensor.zeros(1, 2, 3), FloatTensor.zeros(1, 3, 2));
        assertFalse(c.passed());
        assertTrue(c.detail().contains("shape [1, 3, 2], expected [1, 2, 3]"), c.detail());
    }

    @Test
    void assertionsFailWithTheTensorsName() {
        AssertionError e = assertThrows(AssertionError.class, () -> TensorAssertions.assertClose(
                FloatTensor.zeros(1, 1, 1), FloatTensor.of(new int[] {1, 1, 1}, new float[] {1f}), Tolerance.DEFAULT, "the output"));
        assertTrue(e.getMessage().startsWith("the output: element 0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Tolerance(-1e-5, 0));
    }
}
