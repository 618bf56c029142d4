package org.lstm4j.onnx;

import java.util.Arrays;
import java.util.List;
import org.lstm4j.onnx.Values.Comp;
import org.lstm4j.onnx.Values.InputAffine;
import org.lstm4j.onnx.Values.Kind;
import org.lstm4j.onnx.Values.Source;
import org.lstm4j.onnx.Values.View;
import org.lstm4j.weights.LstmWeights;

/**
 * Elementwise preprocessing of a float graph input by constants before the first LSTM reads it:
 * {@code Add}, {@code Sub}, {@code Mul}, {@code Div} with a constant that is one value per feature
 * (or one value for all): Keras's {@code Normalization} layer through tf2onnx, PyTorch's
 * {@code (x - mean) / std} inside {@code forward}. The steps compose into one per-feature
 * {@code x * scale + shift} ({@link InputAffine}) carried by a copy of the input's source, and the
 * LSTM that reads it folds it into its own weights ({@link #fold}): {@code W (x * s + t) + b =
 * (W diag(s)) x + (W t + b)}, exact in real arithmetic, so the model keeps reading the raw
 * input and exports back as a plain LSTM. A constant that varies along another axis (a positional
 * encoding over time steps, a per-batch-row offset) is refused: no single LSTM weight holds it.
 * Package-private.
 */
final class InputPreprocessing {
    private InputPreprocessing() {
    }

    /**
     * {@code op} of the whole float graph input view {@code w} and the constant {@code c}
     * ({@code viewFirst}: the view is the op's first operand), or null when {@code w} is not
     * such a view and another rule applies.
     */
    static View apply(Node n, String op, View w, Tensor c, boolean viewFirst) {
        if (w.src.kind != Kind.INPUT || n.state.integerInputs.contains(w.src.inputName) || !fullView(w)) {
            return null;
        }
        if (!viewFirst && op.equals("Div")) {
            throw new Refusal("divides a constant by graph input '" + w.src.inputName + "'; lstm4j folds only x * a + b of an input "
                    + "into the LSTM that reads it");
        }
        int axis = featureAxis(w, c);
        float[] values = c.toFloats();
        if (op.equals("Div") && hasZero(values)) {
            throw new Refusal("divides graph input '" + w.src.inputName + "' by a constant that holds 0");
        }
        InputAffine step = switch (op) {
            case "Add" -> InputAffine.shiftBy(axis, values);
            case "Sub" -> viewFirst ? InputAffine.shiftBy(axis, negate(values)) : InputAffine.negated(axis, values);
            case "Mul" -> InputAffine.scaleBy(axis, values);
            case "Div" -> InputAffine.scaleBy(axis, reciprocal(values));
            default -> throw new IllegalStateException(op);
        };
        InputAffine before = w.src.affine;
        InputAffine composed = before == null ? step : before.then(step);
        if (composed == null) {
            throw new Refusal(op + " of graph input '" + w.src.inputName + "' and a constant of shape " + Arrays.toString(c.shape)
                    + " works along source axis " + step.axis() + " after preprocessing along axis " + before.axis()
                    + "; lstm4j folds preprocessing along the features axis only");
        }
        Source s = new Source(Kind.INPUT, null, w.src.inputName, w.src.dims, w.src.roles.clone());
        s.affine = composed;
        return new View(s, w.axes, w.fixed, null, 1.0, w.sortedBy, w.sortedAxis);
    }

    /**
     * The LSTM weights that read {@code affine}'s output as they read the raw input: {@code W * scale}
     * column by column, and {@code W shift} added to the input bias.
     */
    static LstmWeights fold(LstmWeights w, InputAffine affine) {
        int in = w.inputSize();
        int rows = 4 * w.hiddenSize();
        float[] kernel = w.inputKernel();
        float[] bias = w.inputBias() == null ? new float[rows] : w.inputBias();
        float[] folded = new float[kernel.length];
        for (int r = 0; r < rows; r++) {
            double shift = 0;
            for (int i = 0; i < in; i++) {
                float k = kernel[r * in + i];
                folded[r * in + i] = k * affine.scaleAt(i);
                shift += (double) k * affine.shiftAt(i);
            }
            bias[r] = (float) (bias[r] + shift);
        }
        return LstmWeights.of(in, w.hiddenSize(), folded, w.recurrentKernel(), bias, w.recurrentBias(),
                w.hasPeepholes() ? w.peepholes() : null);
    }

    private static boolean fullView(View w) {
        if (!w.fixed.isEmpty() || w.merge != null) {
            return false;
        }
        for (List<Comp> a : w.axes) {
            if (a.size() != 1 || !a.get(0).isFull(w.src) || a.get(0).reversed) {
                return false;
            }
        }
        return true;
    }

    /**
     * The source axis along which {@code c} (broadcast against the view, numpy-style) varies, or -1
     * for a constant that is the same everywhere; refused when it varies along two axes or along an
     * axis of unknown size.
     */
    private static int featureAxis(View w, Tensor c) {
        if (c.rank() > w.rank()) {
            throw new Refusal("broadcasts a constant of shape " + Arrays.toString(c.shape) + " over graph input '" + w.src.inputName
                    + "' of rank " + w.rank());
        }
        int axis = -1;
        for (int k = 0; k < c.rank(); k++) {
            long size = c.shape[c.rank() - 1 - k];
            if (size == 1) {
                continue;
            }
            int viewAxis = w.rank() - 1 - k;
            int srcAxis = w.axes.get(viewAxis).get(0).axis;
            if (axis >= 0 || !w.src.dims[srcAxis].isKnown(size)) {
                throw new Refusal("applies a constant of shape " + Arrays.toString(c.shape) + " to graph input '" + w.src.inputName
                        + "' that varies along more than the features (a positional encoding over time steps, for instance); lstm4j "
                        + "folds only per-feature constants (normalisation) into the LSTM that reads the input; add it to the input before "
                        + "feeding the model, or run the file as it is (lstm predict --raw)");
            }
            axis = srcAxis;
        }
        return axis;
    }

    private static boolean hasZero(float[] v) {
        for (float x : v) {
            if (x == 0) {
                return true;
            }
        }
        return false;
    }

    private static float[] negate(float[] v) {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = -v[i];
        }
        return out;
    }

    private static float[] reciprocal(float[] v) {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = 1f / v[i];
        }
        return out;
    }
}
