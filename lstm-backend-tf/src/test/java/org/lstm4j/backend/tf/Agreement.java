package org.lstm4j.backend.tf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.lstm4j.predict.ModelState;
import org.lstm4j.predict.Prediction;
import org.lstm4j.tensor.FloatTensor;

/**
 * Elementwise {@code |got - expected| <= ATOL + RTOL * |expected|}, the project's float32 tolerance
 * (the fixture format's default atol = rtol = 1e-5), applied to the output and to every final state.
 */
final class Agreement {
    static final double ATOL = 1e-5;
    static final double RTOL = 1e-5;

    private Agreement() {
    }

    /** Asserts agreement and returns the largest absolute difference seen. */
    static double assertAgrees(String what, Prediction expected, Prediction got) {
        double max = assertClose(what + ": output", expected.output(), got.output());
        ModelState es = expected.finalState();
        ModelState gs = got.finalState();
        assertEquals(es.layers().size(), gs.layers().size(), what + ": LSTM layers in the final state");
        for (int k = 0; k < es.layers().size(); k++) {
            max = Math.max(max, assertClose(what + ": final hidden state of LSTM " + k, es.layer(k).hidden(), gs.layer(k).hidden()));
            max = Math.max(max, assertClose(what + ": final cell state of LSTM " + k, es.layer(k).cell(), gs.layer(k).cell()));
        }
        return max;
    }

    static double assertClose(String what, FloatTensor expected, FloatTensor got) {
        assertArrayEquals(expected.shape(), got.shape(), what + ": shape");
        double max = 0;
        for (int k = 0; k < expected.size(); k++) {
            double e = expected.get(k);
            double g = got.get(k);
            double diff = Math.abs(g - e);
            if (!(diff <= ATOL + RTOL * Math.abs(e))) {
                throw new AssertionError(what + ": element " + k + " of " + java.util.Arrays.toString(expected.shape())
                        + " is " + g + ", expected " + e + " (|diff| " + diff + " > " + ATOL + " + " + RTOL + " * |expected|)");
            }
            max = Math.max(max, diff);
        }
        return max;
    }
}
