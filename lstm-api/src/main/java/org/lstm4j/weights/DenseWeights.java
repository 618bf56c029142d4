package org.lstm4j.weights;

import java.util.Arrays;

/**
 * The weights of a dense (fully connected) layer in lstm4j's canonical layout:
 * {@code y = x K + b} with kernel {@code K [in][units]} row-major (Keras's layout, and ONNX
 * MatMul's) and bias {@code b [units]}. Immutable.
 */
public final class DenseWeights {
    private final int inputSize;
    private final int units;
    private final float[] kernel;
    private final float[] bias;

    private DenseWeights(int inputSize, int units, float[] kernel, float[] bias) {
        this.inputSize = inputSize;
        this.units = units;
        this.kernel = kernel;
        this.bias = bias;
    }

    /** Kernel {@code [in][units]}; a null bias means zeros. Arrays are copied. */
    public static DenseWeights of(int inputSize, int units, float[] kernel, float[] bias) {
        if (inputSize < 1 || units < 1) {
            throw new IllegalArgumentException("dense input size and units must be at least 1, got " + inputSize + " and " + units);
        }
        if (kernel == null || kernel.length != (long) inputSize * units) {
            throw new IllegalArgumentException("dense kernel [" + inputSize + ", " + units + "] needs " + (long) inputSize * units
                    + " values, got " + (kernel == null ? "none" : kernel.length));
        }
        if (bias != null && bias.length != units) {
            throw new IllegalArgumentException("dense bias [" + units + "] needs " + units + " values, got " + bias.length);
        }
        return new DenseWeights(inputSize, units, kernel.clone(), bias == null ? new float[units] : bias.clone());
    }

    /** From Keras {@code Dense}: kernel {@code [in, units]}, bias {@code [units]} or null. */
    public static DenseWeights fromKeras(int inputSize, int units, float[] kernel, float[] bias) {
        return of(inputSize, units, kernel, bias);
    }

    /** From PyTorch {@code nn.Linear}: weight {@code [units, in]}, bias {@code [units]} or null. */
    public static DenseWeights fromPyTorch(int inputSize, int units, float[] weight, float[] bias) {
        if (weight == null || weight.length != (long) inputSize * units) {
            throw new IllegalArgumentException("PyTorch Linear weight [" + units + ", " + inputSize + "] needs "
                    + (long) inputSize * units + " values, got " + (weight == null ? "none" : weight.length));
        }
        return of(inputSize, units, LstmWeights.transpose(weight, units, inputSize), bias);
    }

    /** PyTorch's {@code [units, in]} weight. */
    public float[] toPyTorchWeight() {
        return LstmWeights.transpose(kernel, inputSize, units);
    }

    public int inputSize() {
        return inputSize;
    }

    public int units() {
        return units;
    }

    /** K, {@code [in][units]} (a copy). */
    public float[] kernel() {
        return kernel.clone();
    }

    /** b, {@code [units]} (a copy). */
    public float[] bias() {
        return bias.clone();
    }

    public long parameterCount() {
        return (long) kernel.length + bias.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DenseWeights d && inputSize == d.inputSize && units == d.units
                && Arrays.equals(kernel, d.kernel) && Arrays.equals(bias, d.bias);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(kernel) + Arrays.hashCode(bias);
    }
}
