package org.lstm4j.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import org.lstm4j.tensor.FloatTensor;

/** The float32 comparison every exporter test uses: elementwise |got - expected| <= ATOL + RTOL * |expected|. */
final class Tolerance {
    static final double ATOL = 1e-5;
    static final double RTOL = 1e-5;

    /** For the test log: the largest absolute difference where |expected| <= 1, and the largest share of the allowance used anywhere. */
    private static double largestUnitScale;
    private static double largestShare;

    private Tolerance() {
    }

    /** Asserts closeness; returns the largest absolute difference. */
    static double assertClose(String what, FloatTensor expected, FloatTensor got) {
        assertArrayEquals(expected.shape(), got.shape(), what + ": shape");
        double max = 0;
        double maxUnit = 0;
        double maxShare = 0;
        for (int k = 0; k < expected.size(); k++) {
            double e = expected.get(k);
            double g = got.get(k);
            double diff = Math.abs(g - e);
            // Equal values pass even where the difference is undefined (both infinite, as exploding relu cells give).
            if (Double.compare(e, g) != 0 && !(diff <= ATOL + RTOL * Math.abs(e))) {
                fail(what + ": element " + k + " of " + Arrays.toString(expected.shape()) + " is " + g + ", expected " + e
                        + " (difference " + diff + " > " + ATOL + " + " + RTOL + " * |expected|)");
            }
            if (Double.compare(e, g) == 0) {
                continue;
            }
            max = Math.max(max, diff);
            if (Math.abs(e) <= 1) {
                maxUnit = Math.max(maxUnit, diff);
            }
            maxShare = Math.max(maxShare, diff / (ATOL + RTOL * Math.abs(e)));
        }
        synchronized (Tolerance.class) {
            largestUnitScale = Math.max(largestUnitScale, maxUnit);
            largestShare = Math.max(largestShare, maxShare);
        }
        return max;
    }

    static synchronized String summary() {
        return "largest |got - expected| where |expected| <= 1: " + largestUnitScale
                + "; largest |got - expected| / (atol + rtol |expected|): " + largestShare;
    }
}
