package org.lstm4j.model;

import java.util.Objects;
import org.lstm4j.weights.DenseWeights;

/**
 * A dense layer, {@code y = activation(x K + b)}. It applies to every step when it follows a
 * layer that outputs sequences and to the one vector otherwise, as Keras's {@code Dense} does
 * on a 3-D input. Immutable.
 */
public final class DenseLayer implements Layer {
    private final String name;
    private final DenseWeights weights;
    private final Activation activation;

    private DenseLayer(String name, DenseWeights weights, Activation activation) {
        this.name = name;
        this.weights = weights;
        this.activation = activation;
    }

    public static DenseLayer of(String name, DenseWeights weights, Activation activation) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(weights, "weights of dense layer '" + name + "'");
        Objects.requireNonNull(activation, "activation of dense layer '" + name + "'");
        return new DenseLayer(name, weights, activation);
    }

    public static DenseLayer of(DenseWeights weights, Activation activation) {
        return of("dense", weights, activation);
    }

    @Override
    public String name() {
        return name;
    }

    public DenseWeights weights() {
        return weights;
    }

    public Activation activation() {
        return activation;
    }

    @Override
    public int inputSize() {
        return weights.inputSize();
    }

    @Override
    public int outputSize() {
        return weights.units();
    }

    @Override
    public long parameterCount() {
        return weights.parameterCount();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DenseLayer d && name.equals(d.name) && weights.equals(d.weights) && activation.equals(d.activation);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, weights, activation);
    }

    @Override
    public String toString() {
        return "Dense '" + name + "' " + inputSize() + " -> " + outputSize() + ", " + activation;
    }
}
