package org.lstm4j.onnx;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.lstm4j.onnx.proto.OnnxProto.AttributeProto;
import org.lstm4j.onnx.proto.OnnxProto.GraphProto;
import org.lstm4j.onnx.proto.OnnxProto.NodeProto;

/**
 * Control flow ({@code Loop}, {@code Scan}, {@code If}) and the recurrent ops lstm4j does not
 * map ({@code GRU}, {@code RNN}): refused with what the loop body suggests the user change.
 * Package-private.
 */
final class RecurrenceLoops {
    private RecurrenceLoops() {
    }

    static void register(OpRegistry r) {
        r.add("control flow", 1, OpRegistry.LATEST, OpRegistry.Outputs.atLeast(1), n -> {
            throw new Refusal(message(n.proto, n.state.graph));
        }, "Loop", "Scan", "If");
        r.add("other recurrences", 1, OpRegistry.LATEST, OpRegistry.Outputs.between(0, 2), n -> {
            throw new Refusal("only LSTM layers are supported; this model has a " + n.opType() + " layer");
        }, "GRU", "RNN");
    }

    /** Ops reported before any glue around them: a recurrence unrolled into a loop. */
    static boolean isLoop(String opType) {
        return opType.equals("Loop") || opType.equals("Scan");
    }

    static String message(NodeProto node, GraphProto graph) {
        Set<String> ops = new TreeSet<>();
        Deque<GraphProto> work = new ArrayDeque<>();
        for (AttributeProto a : node.getAttributeList()) {
            if (a.hasG()) {
                work.add(a.getG());
            }
            work.addAll(a.getGraphsList());
        }
        int visited = 0;
        while (!work.isEmpty() && visited++ < 64) {
            for (NodeProto b : work.poll().getNodeList()) {
                ops.add(b.getOpType());
                for (AttributeProto a : b.getAttributeList()) {
                    if (a.hasG()) {
                        work.add(a.getG());
                    }
                }
            }
        }
        StringBuilder sb = new StringBuilder("a ").append(node.getOpType())
                .append(" (a recurrence unrolled into a loop body) cannot be mapped to a layer; lstm4j imports the fused ONNX LSTM "
                        + "operator only. From PyTorch, use nn.LSTM (not a hand-written LSTMCell loop) and export with "
                        + "torch.onnx.export. From Keras, tf2onnx fuses an LSTM into the ONNX LSTM op only when it uses the "
                        + "default activations (tanh, sigmoid), no masking and no unusual options");
        Set<String> top = new HashSet<>();
        for (NodeProto n : graph.getNodeList()) {
            top.add(n.getOpType());
        }
        List<String> hints = new ArrayList<>();
        if (ops.contains("HardSigmoid") || ops.contains("Clip") && !ops.contains("Sigmoid")) {
            // Keras 3 writes hard_sigmoid as relu6(x + 3) / 6, which tf2onnx leaves as a Clip in the loop body.
            hints.add("recurrent_activation='hard_sigmoid'");
        }
        if (ops.contains("Relu")) {
            hints.add("activation='relu'");
        }
        if (ops.contains("Elu") || ops.contains("Selu") || ops.contains("Softsign") || ops.contains("Softplus")) {
            hints.add("a non-default activation (" + String.join("/", ops.stream().filter(o -> Set.of("Elu", "Selu", "Softsign", "Softplus").contains(o)).toList()) + ")");
        }
        if (ops.contains("Not") || ops.contains("NotEqual") || top.contains("Not") || top.contains("NotEqual") || top.contains("Equal")) {
            hints.add("masking (a Masking layer or Embedding(mask_zero=True)), which tf2onnx cannot fuse");
        }
        if (!hints.isEmpty()) {
            sb.append("; the loop body suggests ").append(String.join(" and ", hints));
        }
        if (!ops.isEmpty()) {
            sb.append(" (loop body ops: ").append(String.join(", ", ops)).append(')');
        }
        return sb.toString();
    }
}
