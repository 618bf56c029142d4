package org.lstm4j.backend.nd4j;

import org.lstm4j.model.Activation;
import org.lstm4j.model.DenseLayer;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** A dense layer: {@code activation(x K + b)} by mmul and addiRowVector, on every step of a sequence or on one vector. */
final class DenseKernel implements AutoCloseable {
    private final INDArray kernel;
    private final INDArray bias;
    private final Activation activation;

    DenseKernel(DenseLayer layer) {
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            this.kernel = Nd4j.create(layer.weights().kernel(), new long[] {layer.inputSize(), layer.outputSize()}, 'c');
            this.bias = Nd4j.create(layer.weights().bias(), new long[] {1, layer.outputSize()}, 'c');
        }
        this.activation = layer.activation();
    }

    /** {@code x} is {@code [B, T, in]} or {@code [B, in]}; the result has the same rank. */
    INDArray apply(INDArray x) {
        long units = kernel.size(1);
        if (x.rank() == 3) {
            long b = x.size(0);
            long t = x.size(1);
            INDArray flat = x.reshape('c', b * t, x.size(2));
            INDArray y = Nd4jActivations.applyInPlace(activation, flat.mmul(kernel).addiRowVector(bias));
            return y.reshape('c', b, t, units);
        }
        return Nd4jActivations.applyInPlace(activation, x.mmul(kernel).addiRowVector(bias));
    }

    INDArray kernel() {
        return kernel;
    }

    INDArray bias() {
        return bias;
    }

    Activation activation() {
        return activation;
    }

    @Override
    public void close() {
        Nd4jWeights.close(kernel, bias);
    }
}
