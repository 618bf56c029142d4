package org.lstm4j.backend.nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.fail;

import org.lstm4j.predict.ModelState;
import org.lstm4j.predict.Prediction;
import org.lstm4j.tensor.FloatTensor;

/**
 * Elementwise {@code |got - expected| <= ATOL + RTOL * |expected|}: the project's float32
 * tolerance for a backend against the reference engine (which computes in double). The largest
 * difference seen is kept so that the suite can report it.
 */
final class Tolerance {
    static final double ATOL = 1e-5;
    static final double RTOL = 1e-5;

    private static double maxAbsDiff;

    private Tolerance() {
    }

    static synchronized double maxAbsDiff() {
        return maxAbsDiff;
    }

    static void assertClose(String what, FloatTensor expected, FloatTensor got) {
        assertArrayEquals(expected.shape(), got.shape(), what + ": shape");
        double worst = 0;
        int worstAt = -1;
        for (int i = 0; i < expected.size(); i++) {
            double e = expected.get(i);
            double g = got.get(i);
            double d = Math.abs(g - e);
            if (!(d <= ATOL + RTOL * Math.abs(e))) {
                fail(what + ": element " + i + " is " + g + ", reference engine says " + e + " (|diff| " + d + ")");
            }
            if (d > worst) {
                worst = d;
                worstAt = i;
            }
        }
        synchronized (Tolerance.class) {
            maxAbsDiff = Math.max(maxAbsDiff, worst);
        }
    }

    static void assertClose(String what, Prediction expected, Prediction got) {
        assertClose(what + " output", expected.output(), got.output());
        assertClose(what + " final state", expected.finalState(), got.finalState());
    }

    static void assertClose(String what, ModelState expected, ModelState got) {
        for (int l = 0; l < expected.layers().size(); l++) {
            assertClose(what + " h of LSTM " + l, expected.layer(l).hidden(), got.layer(l).hidden());
            assertClose(what + " c of LSTM " + l, expected.layer(l).cell(), got.layer(l).cell());
        }
    }

    /** The largest |got - expected| between two tensors. */
    static double maxDiff(FloatTensor expected, FloatTensor got) {
        double worst = 0;
        for (int i = 0; i < expected.size(); i++) {
            worst = Math.max(worst, Math.abs(expected.get(i) - got.get(i)));
        }
        return worst;
    }
}
