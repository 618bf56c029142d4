package org.lstm4j.backend.tf;

import org.lstm4j.model.Activation;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The {@link Activation}s as TensorFlow ops, each as {@link Activation#apply(double)} defines it
 * (the ONNX operator's definitions), so that the reference engine and this backend compute the
 * same function.
 */
final class ActivationOps {
    private ActivationOps() {
    }

    static Operand<TFloat32> apply(Ops tf, Activation a, Operand<TFloat32> x) {
        switch (a.kind()) {
            case SIGMOID:
                return tf.math.sigmoid(x);
            case TANH:
                return tf.math.tanh(x);
            case RELU:
                return tf.nn.relu(x);
            case HARD_SIGMOID:
                // max(0, min(1, alpha x + beta)); TensorFlow's own hard sigmoid has fixed constants, so compose it.
                return tf.math.maximum(tf.math.minimum(affine(tf, a.alpha(), a.beta(), x), tf.constant(1f)), tf.constant(0f));
            case AFFINE:
                return affine(tf, a.alpha(), a.beta(), x);
            case LEAKY_RELU:
                // Written as a select rather than tf.nn.leakyRelu, whose max(x, alpha x) form is wrong for alpha > 1.
                return tf.select(tf.math.less(x, tf.constant(0f)), tf.math.mul(x, tf.constant(a.alpha())), x);
            case THRESHOLDED_RELU:
                return tf.select(tf.math.greater(x, tf.constant(a.alpha())), x, tf.zerosLike(x));
            case SCALED_TANH:
                return tf.math.mul(tf.constant(a.alpha()), tf.math.tanh(tf.math.mul(x, tf.constant(a.beta()))));
            case ELU:
                return tf.select(tf.math.less(x, tf.constant(0f)), tf.math.mul(tf.constant(a.alpha()), tf.math.expm1(x)), x);
            case SOFTSIGN:
                return tf.nn.softsign(x);
            case SOFTPLUS:
                return tf.math.softplus(x);
            case LINEAR:
                return x;
            case SOFTMAX:
                // Over the last axis; only dense layers carry it (LstmLayer refuses non-elementwise activations).
                return tf.nn.softmax(x);
            case LOG_SOFTMAX:
                return tf.nn.logSoftmax(x);
            default:
                throw new IllegalArgumentException("no TensorFlow form for activation " + a);
        }
    }

    private static Operand<TFloat32> affine(Ops tf, float alpha, float beta, Operand<TFloat32> x) {
        return tf.math.add(tf.math.mul(x, tf.constant(alpha)), tf.constant(beta));
    }
}
