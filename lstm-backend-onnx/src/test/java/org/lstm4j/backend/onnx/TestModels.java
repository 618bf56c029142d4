package org.lstm4j.backend.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.lstm4j.model.Activation;
import org.lstm4j.model.DenseLayer;
import org.lstm4j.model.Direction;
import org.lstm4j.model.LstmLayer;
import org.lstm4j.model.SequenceModel;
import org.lstm4j.predict.LstmState;
import org.lstm4j.predict.ModelState;
import org.lstm4j.predict.Prediction;
import org.lstm4j.tensor.FloatTensor;
import org.lstm4j.weights.DenseWeights;
import org.lstm4j.weights.LstmWeights;

/** Seeded models, inputs and the tolerance check for this module's tests. */
final class TestModels {
    static final double ATOL = 1e-5;
    static final double RTOL = 1e-5;

    private static double largestUnitScale;

    private TestModels() {
    }

    static float[] uniform(Random rnd, int n, float scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (rnd.nextFloat() * 2f - 1f) * scale;
        }
        return a;
    }

    static LstmWeights weights(Random rnd, int in, int hidden, boolean peepholes) {
        float s = (float) (1.0 / Math.sqrt(hidden));
        return LstmWeights.of(in, hidden, uniform(rnd, 4 * hidden * in, s), uniform(rnd, 4 * hidden * hidden, s),
                uniform(rnd, 4 * hidden, s), uniform(rnd, 4 * hidden, s), peepholes ? uniform(rnd, 3 * hidden, s) : null);
    }

    /** An LSTM builder with weights for every direction. */
    static LstmLayer.Builder lstm(Random rnd, int in, int hidden, Direction direction, boolean peepholes) {
        List<LstmWeights> ws = new ArrayList<>();
        for (int d = 0; d < direction.count(); d++) {
            ws.add(weights(rnd, in, hidden, peepholes));
        }
        return LstmLayer.builder(in, hidden).direction(direction).weights(ws);
    }

    static DenseLayer dense(Random rnd, int in, int units, Activation a) {
        return DenseLayer.of(DenseWeights.of(in, units, uniform(rnd, in * units, 0.5f), uniform(rnd, units, 0.2f)), a);
    }

    static FloatTensor input(Random rnd, int batch, int time, int features) {
        return FloatTensor.of(new int[] {batch, time, features}, uniform(rnd, batch * time * features, 1.5f));
    }

    static ModelState state(Random rnd, SequenceModel m, int batch) {
        List<LstmState> out = new ArrayList<>();
        for (LstmLayer l : m.lstmLayers()) {
            int[] shape = {l.directionCount(), batch, l.hiddenSize()};
            int n = shape[0] * shape[1] * shape[2];
            out.add(new LstmState(FloatTensor.of(shape, uniform(rnd, n, 0.8f)), FloatTensor.of(shape, uniform(rnd, n, 0.8f))));
        }
        return new ModelState(out);
    }

    /** Elementwise |got - expected| <= ATOL + RTOL |expected|; returns the largest difference. */
    static double assertClose(String what, FloatTensor expected, FloatTensor got) {
        assertArrayEquals(expected.shape(), got.shape(), what + ": shape");
        double max = 0;
        double unit = 0;
        for (int k = 0; k < expected.size(); k++) {
            double e = expected.get(k);
            double diff = Math.abs(got.get(k) - e);
            if (!(diff <= ATOL + RTOL * Math.abs(e))) {
                fail(what + ": element " + k + " of " + Arrays.toString(expected.shape()) + " is " + got.get(k) + ", expected " + e
                        + " (difference " + diff + ")");
            }
            max = Math.max(max, diff);
            if (Math.abs(e) <= 1) {
                unit = Math.max(unit, diff);
            }
        }
        synchronized (TestModels.class) {
            largestUnitScale = Math.max(largestUnitScale, unit);
        }
        return max;
    }

    /** Output and every layer's final hidden and cell state. */
    static void assertClose(String what, Prediction expected, Prediction got) {
        assertClose(what + " output", expected.output(), got.output());
        for (int k = 0; k < expected.finalState().layers().size(); k++) {
            assertClose(what + " final hidden state " + k, expected.finalState().layer(k).hidden(), got.finalState().layer(k).hidden());
            assertClose(what + " final cell state " + k, expected.finalState().layer(k).cell(), got.finalState().layer(k).cell());
        }
    }

    static synchronized double largestUnitScale() {
        return largestUnitScale;
    }
}
