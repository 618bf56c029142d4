package org.lstm4j.model;

import java.util.Objects;

/**
 * A standalone activation between layers, keeping the width: PyTorch's {@code nn.ReLU} between
 * an LSTM and a Linear head, Keras's {@code Activation} layer, an ONNX {@code Relu} node. Applies
 * to every step of a sequence, or to the one vector. Immutable.
 */
public final class ActivationLayer implements Layer {
    private final String name;
    private final int size;
    private final Activation activation;

    private ActivationLayer(String name, int size, Activation activation) {
        this.name = name;
        this.size = size;
        this.activation = activation;
    }

    public static ActivationLayer of(String name, int size, Activation activation) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(activation, "activation of layer '" + name + "'");
        if (size < 1) {
            throw new IllegalArgumentException("activation layer '" + name + "': size must be at least 1, got " + size);
        }
        return new ActivationLayer(name, size, activation);
    }

    @Override
    public String name() {
        return name;
    }

    public Activation activation() {
        return activation;
    }

    @Override
    public int inputSize() {
        return size;
    }

    @Override
    public int outputSize() {
        return size;
    }

    @Override
    public long parameterCount() {
        return 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ActivationLayer a && name.equals(a.name) && size == a.size && activation.equals(a.activation);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, size, activation);
    }

    @Override
    public String toString() {
        return "Activation '" + name + "' " + activation + " on " + size + " features";
    }
}
