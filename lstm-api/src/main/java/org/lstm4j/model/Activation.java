package org.lstm4j.model;

import java.util.Locale;

/**
 * An activation function as the ONNX LSTM operator names them (with its {@code alpha} and
 * {@code beta} where it takes them), plus {@code Linear}, {@code Softmax} and {@code LogSoftmax}
 * (over the last axis) for dense layers and classification heads.
 *
 * <p>{@code HardSigmoid} computes {@code max(0, min(1, alpha * x + beta))}. Keras 2 and ONNX use
 * alpha 0.2, beta 0.5 ({@link #hardSigmoid()}); Keras 3 computes {@code relu6(x + 3) / 6}, which is
 * alpha 1/6, beta 0.5 ({@link #kerasHardSigmoid()}). The two differ by up to 0.1, so importers
 * must say which one they mean.
 */
public record Activation(Kind kind, float alpha, float beta) {

    /** The functions; {@link #onnxName()} is the spelling in the ONNX LSTM {@code activations} attribute. */
    public enum Kind {
        SIGMOID("Sigmoid"), TANH("Tanh"), RELU("Relu"), HARD_SIGMOID("HardSigmoid"), AFFINE("Affine"),
        LEAKY_RELU("LeakyRelu"), THRESHOLDED_RELU("ThresholdedRelu"), SCALED_TANH("ScaledTanh"), ELU("Elu"),
        SOFTSIGN("Softsign"), SOFTPLUS("Softplus"),
        /** Identity; for dense layers (the LSTM equivalent is {@code Affine} with alpha 1, beta 0). */
        LINEAR("Linear"),
        /** Softmax over the last axis; dense layers only, since it is not elementwise. */
        SOFTMAX("Softmax"),
        /** {@code log(softmax(x))} over the last axis, computed as {@code x - max - log(sum(exp(x - max)))}; dense layers only. */
        LOG_SOFTMAX("LogSoftmax");

        private final String onnxName;

        Kind(String onnxName) {
            this.onnxName = onnxName;
        }

        public String onnxName() {
            return onnxName;
        }

        /** Whether the function maps each element on its own (all but softmax and log-softmax). */
        public boolean isElementwise() {
            return this != SOFTMAX && this != LOG_SOFTMAX;
        }
    }

    public Activation {
        if (kind == null) {
            throw new IllegalArgumentException("activation kind is null");
        }
        if (!Float.isFinite(alpha) || !Float.isFinite(beta)) {
            throw new IllegalArgumentException(kind.onnxName + ": alpha and beta must be finite, got " + alpha + ", " + beta);
        }
    }

    public static Activation sigmoid() {
        return new Activation(Kind.SIGMOID, 0f, 0f);
    }

    public static Activation tanh() {
        return new Activation(Kind.TANH, 0f, 0f);
    }

    public static Activation relu() {
        return new Activation(Kind.RELU, 0f, 0f);
    }

    /** ONNX's and Keras 2's hard sigmoid: alpha 0.2, beta 0.5. */
    public static Activation hardSigmoid() {
        return hardSigmoid(0.2f, 0.5f);
    }

    /** Keras 3's hard sigmoid, {@code relu6(x + 3) / 6}: alpha 1/6, beta 0.5. */
    public static Activation kerasHardSigmoid() {
        return hardSigmoid(1f / 6f, 0.5f);
    }

    public static Activation hardSigmoid(float alpha, float beta) {
        return new Activation(Kind.HARD_SIGMOID, alpha, beta);
    }

    public static Activation affine(float alpha, float beta) {
        return new Activation(Kind.AFFINE, alpha, beta);
    }

    /** ONNX default alpha is 0.01. */
    public static Activation leakyRelu(float alpha) {
        return new Activation(Kind.LEAKY_RELU, alpha, 0f);
    }

    /** ONNX default alpha is 1.0. */
    public static Activation thresholdedRelu(float alpha) {
        return new Activation(Kind.THRESHOLDED_RELU, alpha, 0f);
    }

    public static Activation scaledTanh(float alpha, float beta) {
        return new Activation(Kind.SCALED_TANH, alpha, beta);
    }

    /** ONNX default alpha is 1.0. */
    public static Activation elu(float alpha) {
        return new Activation(Kind.ELU, alpha, 0f);
    }

    public static Activation softsign() {
        return new Activation(Kind.SOFTSIGN, 0f, 0f);
    }

    public static Activation softplus() {
        return new Activation(Kind.SOFTPLUS, 0f, 0f);
    }

    public static Activation linear() {
        return new Activation(Kind.LINEAR, 0f, 0f);
    }

    public static Activation softmax() {
        return new Activation(Kind.SOFTMAX, 0f, 0f);
    }

    /** Log-softmax over the last axis (PyTorch {@code log_softmax(dim=-1)}, Keras {@code "log_softmax"}, ONNX {@code LogSoftmax}). */
    public static Activation logSoftmax() {
        return new Activation(Kind.LOG_SOFTMAX, 0f, 0f);
    }

    /**
     * The activation an ONNX {@code activations} entry names, with the operator's defaults for
     * alpha and beta where the model gives none ({@code NaN}).
     */
    public static Activation fromOnnx(String name, float alpha, float beta) {
        String n = name.toLowerCase(Locale.ROOT);
        switch (n) {
            case "sigmoid": return sigmoid();
            case "tanh": return tanh();
            case "relu": return relu();
            case "hardsigmoid": return hardSigmoid(orDefault(alpha, 0.2f), orDefault(beta, 0.5f));
            case "affine": return affine(orDefault(alpha, 1f), orDefault(beta, 0f));
            case "leakyrelu": return leakyRelu(orDefault(alpha, 0.01f));
            case "thresholdedrelu": return thresholdedRelu(orDefault(alpha, 1f));
            case "scaledtanh": return scaledTanh(orDefault(alpha, 1f), orDefault(beta, 1f));
            case "elu": return elu(orDefault(alpha, 1f));
            case "softsign": return softsign();
            case "softplus": return softplus();
            default:
                throw new IllegalArgumentException("unknown LSTM activation '" + name + "'; ONNX lists Relu, Tanh, Sigmoid, "
                        + "Affine, LeakyRelu, ThresholdedRelu, ScaledTanh, HardSigmoid, Elu, Softsign, Softplus");
        }
    }

    private static float orDefault(float v, float d) {
        return Float.isNaN(v) ? d : v;
    }

    /** Whether the function takes alpha (and for some, beta) as the ONNX attribute lists do. */
    public boolean usesAlpha() {
        switch (kind) {
            case HARD_SIGMOID: case AFFINE: case LEAKY_RELU: case THRESHOLDED_RELU: case SCALED_TANH: case ELU:
                return true;
            default:
                return false;
        }
    }

    public boolean usesBeta() {
        return kind == Kind.HARD_SIGMOID || kind == Kind.AFFINE || kind == Kind.SCALED_TANH;
    }

    /**
     * Applies the function to one vector in place, in double: elementwise, or softmax and
     * log-softmax over the whole vector (shifted by its maximum, so that large values do not overflow).
     */
    public void applyInPlace(double[] v) {
        if (kind.isElementwise()) {
            for (int u = 0; u < v.length; u++) {
                v[u] = apply(v[u]);
            }
            return;
        }
        double max = Double.NEGATIVE_INFINITY;
        for (double e : v) {
            max = Math.max(max, e);
        }
        double total = 0;
        for (double e : v) {
            total += Math.exp(e - max);
        }
        double logTotal = Math.log(total);
        for (int u = 0; u < v.length; u++) {
            v[u] = kind == Kind.SOFTMAX ? Math.exp(v[u] - max) / total : v[u] - max - logTotal;
        }
    }

    /**
     * The function, in double, as the ONNX operator specification defines it. Softmax and
     * log-softmax are not elementwise and are refused here ({@link #applyInPlace(double[])}).
     */
    public double apply(double x) {
        switch (kind) {
            case SIGMOID: return 1.0 / (1.0 + Math.exp(-x));
            case TANH: return Math.tanh(x);
            case RELU: return Math.max(0.0, x);
            case HARD_SIGMOID: return Math.max(0.0, Math.min(1.0, alpha * x + beta));
            case AFFINE: return alpha * x + beta;
            case LEAKY_RELU: return x < 0 ? alpha * x : x;
            case THRESHOLDED_RELU: return x > alpha ? x : 0.0;
            case SCALED_TANH: return alpha * Math.tanh(beta * x);
            case ELU: return x < 0 ? alpha * (Math.exp(x) - 1.0) : x;
            case SOFTSIGN: return x / (1.0 + Math.abs(x));
            case SOFTPLUS: return Math.log1p(Math.exp(-Math.abs(x))) + Math.max(x, 0.0);
            case LINEAR: return x;
            default: throw new UnsupportedOperationException(kind.onnxName + " is not elementwise");
        }
    }

    @Override
    public String toString() {
        if (usesBeta()) {
            return kind.onnxName + "(alpha=" + alpha + ", beta=" + beta + ")";
        }
        if (usesAlpha()) {
            return kind.onnxName + "(alpha=" + alpha + ")";
        }
        return kind.onnxName;
    }
}
