package org.lstm4j.testing;

import java.util.Arrays;
import org.lstm4j.tensor.FloatTensor;

/**
 * An elementwise float32 tolerance: {@code |got - expected| <= absolute + relative * |expected|}.
 * NaN matches only NaN, and an infinity only the same infinity.
 */
public record Tolerance(double absolute, double relative) {

    /** The kit's default against the double-precision reference engine and framework goldens. */
    public static final Tolerance DEFAULT = new Tolerance(1e-5, 1e-5);
    /** For bit-identical results: the same engine on the same input in another arrangement (threads, batches, chunks). */
    public static final Tolerance EXACT = new Tolerance(0, 0);

    public Tolerance {
        if (!(absolute >= 0) || !(relative >= 0)) {
            throw new IllegalArgumentException("tolerances must be non-negative, got absolute " + absolute + ", relative " + relative);
        }
    }

    public boolean accepts(double expected, double got) {
        if (Double.isNaN(expected) || Double.isNaN(got)) {
            return Double.isNaN(expected) && Double.isNaN(got);
        }
        if (Double.isInfinite(expected) || Double.isInfinite(got)) {
            return expected == got;
        }
        return Math.abs(got - expected) <= absolute + relative * Math.abs(expected);
    }

    /** The result of comparing two tensors: the worst element and whether all passed. */
    public record Comparison(boolean passed, double maxAbsolute, double maxRelative, int worstIndex, String detail) {
    }

    public Comparison compare(FloatTensor expected, FloatTensor got) {
        if (!Arrays.equals(expected.shape(), got.shape())) {
            return new Comparison(false, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, -1,
                    "shape " + Arrays.toString(got.shape()) + ", expected " + Arrays.toString(expected.shape()));
        }
        double maxAbs = 0;
        double maxRel = 0;
        int worst = -1;
        int firstFailure = -1;
        for (int k = 0; k < expected.size(); k++) {
            double e = expected.get(k);
            double g = got.get(k);
            if (!accepts(e, g) && firstFailure < 0) {
                firstFailure = k;
            }
            double abs = Math.abs(g - e);
            if (Double.isNaN(abs)) {
                continue;
            }
            if (abs > maxAbs) {
                maxAbs = abs;
                worst = k;
            }
            if (e != 0) {
                maxRel = Math.max(maxRel, abs / Math.abs(e));
            }
        }
        String detail = firstFailure < 0 ? "within " + this
                : "element " + firstFailure + ": got " + got.get(firstFailure) + ", expected " + expected.get(firstFailure)
                + " (|diff| " + Math.abs(got.get(firstFailure) - expected.get(firstFailure)) + " > " + absolute + " + " + relative
                + " * |expected|); max |diff| " + maxAbs + " at element " + worst;
        return new Comparison(firstFailure < 0, maxAbs, maxRel, worst, detail);
    }

    @Override
    public String toString() {
        return "atol " + absolute + ", rtol " + relative;
    }
}
