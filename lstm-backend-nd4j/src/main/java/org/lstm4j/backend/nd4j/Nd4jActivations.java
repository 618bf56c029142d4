package org.lstm4j.backend.nd4j;

import java.util.OptionalInt;
import org.lstm4j.model.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.custom.LogSoftMax;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The neutral model's activations in ND4J: as libnd4j {@code lstmLayer} activation ids where the
 * op computes the same function, and as ND4J ops for the composed cell and dense layers.
 */
final class Nd4jActivations {

    /** libnd4j's lstmLayer hard sigmoid is fixed at {@code max(0, min(1, 0.2 x + 0.5))}. */
    private static final float LSTM_LAYER_HARD_SIGMOID_ALPHA = 0.2f;
    private static final float LSTM_LAYER_HARD_SIGMOID_BETA = 0.5f;

    private Nd4jActivations() {
    }

    /**
     * The lstmLayer activation id (0=tanh, 1=relu, 2=sigmoid, 3=affine, 4=leaky relu,
     * 5=thresholded relu, 6=scaled tanh, 7=hard sigmoid, 8=ELU, 9=softsign, 10=softplus, as
     * libnd4j's lstmLayer.cpp lists them), or empty when the op cannot compute {@code a} exactly.
     */
    static OptionalInt lstmLayerId(Activation a) {
        switch (a.kind()) {
            case TANH: return OptionalInt.of(0);
            case RELU: return OptionalInt.of(1);
            case SIGMOID: return OptionalInt.of(2);
            case AFFINE: return OptionalInt.of(3);
            case LEAKY_RELU: return OptionalInt.of(4);
            case THRESHOLDED_RELU: return OptionalInt.of(5);
            case SCALED_TANH: return OptionalInt.of(6);
            case HARD_SIGMOID:
                // The op ignores alpha and beta; Keras 3's 1/6 (and any other pair) is composed instead.
                return a.alpha() == LSTM_LAYER_HARD_SIGMOID_ALPHA && a.beta() == LSTM_LAYER_HARD_SIGMOID_BETA
                        ? OptionalInt.of(7) : OptionalInt.empty();
            case ELU: return OptionalInt.of(8);
            case SOFTSIGN: return OptionalInt.of(9);
            case SOFTPLUS: return OptionalInt.of(10);
            default: return OptionalInt.empty();
        }
    }

    /** Whether the lstmLayer op reads alpha for this id (libnd4j: affine, leaky relu, thresholded relu, scaled tanh, ELU). */
    static boolean lstmLayerTakesAlpha(int id) {
        return id == 3 || id == 4 || id == 5 || id == 6 || id == 8;
    }

    /** Whether the lstmLayer op reads beta for this id (affine, scaled tanh). */
    static boolean lstmLayerTakesBeta(int id) {
        return id == 3 || id == 6;
    }

    /**
     * Applies {@code a} over the last axis of a {@code [B, T, F]} or {@code [B, F]} array, in place
     * where it can, and returns the result (softmax normalises each step's features).
     */
    static INDArray applyPerStep(Activation a, INDArray x) {
        if (x.rank() == 3) {
            long[] shape = x.shape();
            INDArray rows = applyInPlace(a, x.reshape('c', shape[0] * shape[1], shape[2]));
            return rows.reshape('c', shape);
        }
        return applyInPlace(a, x);
    }

    /**
     * Applies {@code a} to {@code x} in place and returns {@code x}; the formulas are the ONNX
     * operator's (see {@link Activation#apply(double)}). Softmax runs over the last axis of a 2-D array.
     */
    static INDArray applyInPlace(Activation a, INDArray x) {
        switch (a.kind()) {
            case SIGMOID: return Transforms.sigmoid(x, false);
            case TANH: return Transforms.tanh(x, false);
            case RELU: return Transforms.relu(x, false);
            case HARD_SIGMOID:
                return Transforms.min(Transforms.max(x.muli(a.alpha()).addi(a.beta()), 0.0, false), 1.0, false);
            case AFFINE: return x.muli(a.alpha()).addi(a.beta());
            case LEAKY_RELU: return Transforms.leakyRelu(x, a.alpha(), false);
            case THRESHOLDED_RELU: {
                INDArray keep = x.gt(a.alpha()).castTo(DataType.FLOAT);
                return x.muli(keep);
            }
            case SCALED_TANH: return Transforms.tanh(x.muli(a.beta()), false).muli(a.alpha());
            case ELU: {
                // x for x >= 0, alpha (e^x - 1) below: relu(x) + alpha (e^min(x, 0) - 1).
                INDArray negative = Transforms.exp(Transforms.min(x, 0.0, true), false).subi(1.0).muli(a.alpha());
                return Transforms.relu(x, false).addi(negative);
            }
            case SOFTSIGN: return Transforms.softsign(x, false);
            case SOFTPLUS: return Transforms.softPlus(x, false);
            case LINEAR: return x;
            case SOFTMAX: return Transforms.softmax(x, false);
            case LOG_SOFTMAX: return Nd4j.exec(new LogSoftMax(x, x.rank() - 1))[0];
            default: throw new IllegalArgumentException("no ND4J form for activation " + a);
        }
    }
}
