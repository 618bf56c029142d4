package org.lstm4j.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.lstm4j.onnx.HandBuilt.attr;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.lstm4j.model.Activation;
import org.lstm4j.model.ActivationLayer;
import org.lstm4j.model.DenseLayer;
import org.lstm4j.model.SequenceModel;

/**
 * {@link ActivationOps} on hand-built graphs: an activation after a dense layer is the layer's, one
 * on an LSTM output is an activation layer with its attributes, and Softmax's default axis follows
 * the opset (1 before 13, -1 since). Expected values: ONNX Runtime running the same graph.
 */
class ActivationOpsTest {

    /** Standalone activations with attributes, straight on the LSTM's every-step output. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"LeakyRelu", "HardSigmoid", "Elu", "ThresholdedRelu", "Softplus", "Softsign", "Tanh", "Sigmoid", "Relu"})
    void activationOnAnLstmOutputIsAnActivationLayer(String op) {
        HandBuilt g = new HandBuilt("act_" + op, 17, 40);
        g.input("x", "T", "B", 3);
        String y = g.lstm("lstm", "x", 3, 4, "forward");
        g.op("Squeeze", "ys", List.of(y, g.longs("ax", 1)));
        switch (op) {
            case "LeakyRelu": g.op(op, "out", List.of("ys"), attr("alpha", 0.3f)); break;
            case "HardSigmoid": g.op(op, "out", List.of("ys"), attr("alpha", 0.4f), attr("beta", 0.45f)); break;
            case "Elu": g.op(op, "out", List.of("ys"), attr("alpha", 1.3f)); break;
            case "ThresholdedRelu": g.op(op, "out", List.of("ys"), attr("alpha", 0.1f)); break;
            default: g.op(op, "out", List.of("ys"));
        }
        g.output("out", "T", "B", 4);
        SequenceModel m = g.assertMatchesOnnxRuntime(Map.of("x", g.randomInput(4, 2, 3)));
        assertInstanceOf(ActivationLayer.class, m.layers().get(1));
    }

    /** Softmax of a [B, U] head: the default axis (1 before opset 13, -1 since) is the last either way. */
    @ParameterizedTest(name = "opset {0}")
    @ValueSource(ints = {11, 13})
    void softmaxOfARank2HeadFoldsIntoTheDenseLayer(int opset) {
        HandBuilt g = new HandBuilt("softmax2_" + opset, opset, 41);
        g.input("x", "T", "B", 3);
        g.lstm("lstm", "x", 3, 4, "forward");
        g.op("Reshape", "h", List.of("lstm_h", g.longs("shape", -1, 4)));
        g.op("Gemm", "logits", List.of("h", g.random("kernel", 0.5f, 4, 3), g.random("bias", 0.5f, 3)));
        g.op("Softmax", "out", List.of("logits"));
        g.output("out", "B", 3);
        SequenceModel m = g.assertMatchesOnnxRuntime(Map.of("x", g.randomInput(4, 2, 3)));
        assertEquals(Activation.softmax(), ((DenseLayer) m.layers().get(1)).activation());
    }

    /** LogSoftmax of a [B, U] head (a PyTorch classifier's log_softmax): the dense layer's activation, at either default axis. */
    @ParameterizedTest(name = "opset {0}")
    @ValueSource(ints = {11, 13})
    void logSoftmaxOfARank2HeadFoldsIntoTheDenseLayer(int opset) {
        HandBuilt g = new HandBuilt("logsoftmax2_" + opset, opset, 43);
        g.input("x", "T", "B", 3);
        g.lstm("lstm", "x", 3, 4, "forward");
        g.op("Reshape", "h", List.of("lstm_h", g.longs("shape", -1, 4)));
        g.op("Gemm", "logits", List.of("h", g.random("kernel", 0.5f, 4, 3), g.random("bias", 0.5f, 3)));
        g.op("LogSoftmax", "out", List.of("logits"));
        g.output("out", "B", 3);
        SequenceModel m = g.assertMatchesOnnxRuntime(Map.of("x", g.randomInput(4, 2, 3)));
        assertEquals(Activation.logSoftmax(), ((DenseLayer) m.layers().get(1)).activation());
    }

    /** LogSoftmax over an axis other than the features is refused, naming the axis. */
    @Test
    void logSoftmaxOverTheTimeAxisIsRefused() {
        HandBuilt g = new HandBuilt("logsoftmax_time", 17, 44);
        g.input("x", "T", "B", 3);
        String y = g.lstm("lstm", "x", 3, 4, "forward");
        g.op("Squeeze", "ys", List.of(y, g.longs("ax", 1)));
        g.op("LogSoftmax", "out", List.of("ys"), attr("axis", 0L));
        g.output("out", "T", "B", 4);
        g.refusal("out", "LogSoftmax over axis 0 of a rank-3 tensor");
    }

    /** On [T, B, U], Softmax with the default axis is over the features at opset 13 and over the batch (axis 1) before. */
    @ParameterizedTest(name = "opset {0}")
    @ValueSource(ints = {11, 13})
    void softmaxDefaultAxisOnASequenceFollowsTheOpset(int opset) {
        HandBuilt g = new HandBuilt("softmax3_" + opset, opset, 42);
        g.input("x", "T", "B", 3);
        String y = g.lstm("lstm", "x", 3, 4, "forward");
        if (opset >= 13) {
            g.op("Squeeze", "ys", List.of(y, g.longs("ax", 1)));
        } else {
            g.op("Squeeze", "ys", List.of(y), HandBuilt.ints("axes", 1));
        }
        g.op("MatMul", "logits", List.of("ys", g.random("kernel", 0.5f, 4, 3)));
        g.op("Softmax", "out", List.of("logits"));
        g.output("out", "T", "B", 3);
        if (opset < 13) {
            g.refusal("out", "Softmax over axis 1 of a rank-3 tensor");
        } else {
            g.assertMatchesOnnxRuntime(Map.of("x", g.randomInput(4, 2, 3)));
        }
    }

    /** An activation of a constant is not folded: refused, naming the node. */
    @Test
    void activationOfAConstantIsRefused() {
        HandBuilt g = new HandBuilt("act_const", 17, 43);
        g.input("x", "T", "B", 3);
        String y = g.lstm("lstm", "x", 3, 4, "forward");
        g.op("Relu", "rc", List.of(g.random("c", 0.5f, 4)));
        g.op("Add", "out", List.of(y, "rc"));
        g.output("out", "T", 1, "B", 4);
        g.refusal("rc", "applies Relu to a constant");
    }
}
