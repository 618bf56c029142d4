package org.lstm4j.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.LinkedHashMap;
import java.util.Map;
import org.lstm4j.backend.java.ReferenceBackendProvider;
import org.lstm4j.model.SequenceModel;
import org.lstm4j.predict.PortBinding;
import org.lstm4j.predict.Prediction;
import org.lstm4j.predict.Predictor;
import org.lstm4j.predict.SequenceBatch;
import org.lstm4j.tensor.FloatTensor;

/** Runs imported models on the reference engine and compares with expected tensors elementwise. */
final class Oracle {
    private Oracle() {
    }

    /** Named float inputs and int lengths in, named outputs (as the model's ports declare them) out. */
    static Map<String, FloatTensor> run(SequenceModel model, Map<String, FloatTensor> feeds, Map<String, int[]> lengths) {
        SequenceBatch batch = PortBinding.toBatch(model, feeds, lengths);
        try (Predictor p = new ReferenceBackendProvider().compile(model)) {
            Prediction pr = p.predict(batch);
            return PortBinding.toOutputs(model, pr);
        }
    }

    /**
     * Asserts |got - expected| <= atol + rtol * |expected| for every element and returns the largest
     * absolute difference seen.
     */
    static double assertClose(String what, FloatTensor expected, FloatTensor got, double atol, double rtol) {
        assertNotNull(got, what + ": no output");
        assertArrayEquals(expected.shape(), got.shape(), what + ": shape");
        float[] e = expected.toArray();
        float[] g = got.toArray();
        double worst = 0;
        for (int i = 0; i < e.length; i++) {
            double diff = Math.abs((double) g[i] - e[i]);
            worst = Math.max(worst, diff);
            if (!(diff <= atol + rtol * Math.abs(e[i]))) {
                throw new AssertionError(what + ": element " + i + " is " + g[i] + ", expected " + e[i] + " (|diff| " + diff
                        + " > " + atol + " + " + rtol + " * |expected|)");
            }
        }
        return worst;
    }

    static Map<String, FloatTensor> map(Object... kv) {
        Map<String, FloatTensor> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], (FloatTensor) kv[i + 1]);
        }
        return m;
    }

    /** Largest difference over all comparisons of a test class run, for the report. */
    static volatile double largest;

    static synchronized void record(double d) {
        largest = Math.max(largest, d);
    }
}
