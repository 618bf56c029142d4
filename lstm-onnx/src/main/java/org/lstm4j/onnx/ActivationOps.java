package org.lstm4j.onnx;

import java.util.function.Function;
import org.lstm4j.model.Activation;
import org.lstm4j.onnx.Stages.DenseStage;
import org.lstm4j.onnx.Stages.InputStage;
import org.lstm4j.onnx.Stages.Stream;
import org.lstm4j.onnx.Values.Const;
import org.lstm4j.onnx.Values.Kind;
import org.lstm4j.onnx.Values.Val;
import org.lstm4j.onnx.Values.View;

/**
 * Activations and heads: an elementwise activation (or {@code Softmax}, {@code LogSoftmax} over the features axis)
 * right after a dense layer is that layer's activation; anywhere else (straight on an LSTM output,
 * after an activated dense output) it is a standalone activation layer. Softmax's and LogSoftmax's
 * default axis is 1 before opset 13 and -1 since. Package-private.
 */
final class ActivationOps {
    private ActivationOps() {
    }

    static void register(OpRegistry r) {
        String family = "activations";
        r.add(family, n -> activation(n, x -> Activation.relu()), "Relu");
        r.add(family, n -> activation(n, x -> Activation.sigmoid()), "Sigmoid");
        r.add(family, n -> activation(n, x -> Activation.tanh()), "Tanh");
        r.add(family, n -> activation(n, x -> Activation.softsign()), "Softsign");
        r.add(family, n -> activation(n, x -> Activation.softplus()), "Softplus");
        r.add(family, n -> activation(n, x -> Activation.leakyRelu(x.attrFloat("alpha", 0.01f))), "LeakyRelu");
        r.add(family, n -> activation(n, x -> Activation.elu(x.attrFloat("alpha", 1f))), "Elu");
        r.add(family, n -> activation(n, x -> Activation.hardSigmoid(x.attrFloat("alpha", 0.2f), x.attrFloat("beta", 0.5f))), "HardSigmoid");
        r.add(family, n -> activation(n, x -> Activation.thresholdedRelu(x.attrFloat("alpha", 1f))), "ThresholdedRelu");
        r.add(family, 1, 12, n -> softmax(n, 1, Activation.softmax()), "Softmax");
        r.add(family, 13, OpRegistry.LATEST, n -> softmax(n, -1, Activation.softmax()), "Softmax");
        r.add(family, 1, 12, n -> softmax(n, 1, Activation.logSoftmax()), "LogSoftmax");
        r.add(family, 13, OpRegistry.LATEST, n -> softmax(n, -1, Activation.logSoftmax()), "LogSoftmax");
    }

    /** Softmax or LogSoftmax, over the features axis only. */
    private static void softmax(Node n, long defaultAxis, Activation a) {
        View w = activationInput(n);
        long ax = n.attrInt("axis", defaultAxis);
        if (Shapes.axis(ax, w.rank()) != w.rank() - 1) {
            throw new Refusal(n.opType() + " over axis " + ax + " of a rank-" + w.rank() + " tensor; only the features (last) axis is supported");
        }
        apply(n, w, a);
    }

    /** An activation whose parameters {@code of} reads from the node's attributes once its input is known to fit. */
    private static void activation(Node n, Function<Node, Activation> of) {
        View w = activationInput(n);
        apply(n, w, of.apply(n));
    }

    private static View activationInput(Node n) {
        Val v = n.required(0, "input");
        if (v instanceof Const) {
            throw new Refusal("applies " + n.opType() + " to a constant, which lstm4j does not fold");
        }
        if (!(v instanceof View w)) {
            throw new Refusal("applies " + n.opType() + " to " + Values.describe(v));
        }
        return w;
    }

    private static void apply(Node n, View w, Activation a) {
        if (w.src.kind == Kind.DENSE && DenseOps.isIdentity(w)) {
            DenseStage d = (DenseStage) w.src.stage;
            if (d.activation == null) {
                n.out(0, View.identityPermuted(d.withActivation(d.name, a).source, w));
                return;
            }
        }
        // An activation not belonging to a MatMul/Gemm(+Add) before it (straight on an LSTM's output, or on an activated
        // dense output) is a standalone activation layer (PyTorch nn.ReLU between layers, Keras Activation).
        Stream s = Streams.of(n.state, w, "its input");
        if (s.stage() instanceof InputStage || s.rawLayout() != null) {
            throw new Refusal("applies " + n.opType() + " to " + w.src + ", which is not a layer's merged output");
        }
        int width = s.width();
        DenseStage d = DenseStage.standaloneActivation(n.name(), n.opType(), s, width, a, s.roles(), s.dims());
        n.out(0, View.identity(d.source));
    }
}
