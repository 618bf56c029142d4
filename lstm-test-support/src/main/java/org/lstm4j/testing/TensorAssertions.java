package org.lstm4j.testing;

import org.junit.jupiter.api.Assertions;
import org.lstm4j.predict.LstmState;
import org.lstm4j.predict.ModelState;
import org.lstm4j.predict.Prediction;
import org.lstm4j.tensor.FloatTensor;

/** Assertions that say which tensor, which element and by how much, within a {@link Tolerance}. */
public final class TensorAssertions {
    private TensorAssertions() {
    }

    /** Asserts elementwise closeness; returns the largest absolute difference, for reports. */
    public static double assertClose(FloatTensor expected, FloatTensor got, Tolerance tolerance, String what) {
        Assertions.assertNotNull(got, what + ": no tensor");
        Tolerance.Comparison c = tolerance.compare(expected, got);
        if (!c.passed()) {
            Assertions.fail(what + ": " + c.detail());
        }
        return c.maxAbsolute();
    }

    /** Every layer's hidden and cell state; returns the largest absolute difference. */
    public static double assertClose(ModelState expected, ModelState got, Tolerance tolerance, String what) {
        Assertions.assertEquals(expected.layers().size(), got.layers().size(), what + ": number of LSTM layers in the state");
        double max = 0;
        for (int i = 0; i < expected.layers().size(); i++) {
            LstmState e = expected.layer(i);
            LstmState g = got.layer(i);
            max = Math.max(max, assertClose(e.hidden(), g.hidden(), tolerance, what + ", hidden state of LSTM layer " + i));
            max = Math.max(max, assertClose(e.cell(), g.cell(), tolerance, what + ", cell state of LSTM layer " + i));
        }
        return max;
    }

    /** Output and final state; returns the largest absolute difference. */
    public static double assertClose(Prediction expected, Prediction got, Tolerance tolerance, String what) {
        return Math.max(assertClose(expected.output(), got.output(), tolerance, what + ", output"),
                assertClose(expected.finalState(), got.finalState(), tolerance, what + ", final state"));
    }
}
