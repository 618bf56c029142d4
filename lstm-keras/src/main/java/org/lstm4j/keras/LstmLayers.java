package org.lstm4j.keras;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.lstm4j.model.Activation;
import org.lstm4j.model.Direction;
import org.lstm4j.model.Layer;
import org.lstm4j.model.LstmLayer;
import org.lstm4j.model.MaskedOutput;
import org.lstm4j.model.MergeMode;
import org.lstm4j.model.OutputMode;
import org.lstm4j.model.Port;
import org.lstm4j.weights.LstmWeights;

/**
 * {@code LSTM} and {@code Bidirectional(LSTM)}. Every inference argument maps: {@code units},
 * {@code activation}, {@code recurrent_activation}, {@code use_bias}, {@code return_sequences}
 * (else the final state), {@code return_state} (extra outputs), {@code go_backwards} (a reverse
 * layer whose sequence stays in processing order, as Keras returns it). {@code dropout},
 * {@code recurrent_dropout}, {@code unroll}, {@code implementation}, initializers, regularizers and
 * constraints change nothing at inference. {@code stateful} models import as the model after
 * {@code reset_states()}: carry the state across calls with {@code Predictor.stream} or the final state.
 */
final class LstmLayers {
    private LstmLayers() {
    }

    static final LayerHandler LSTM = (l, ctx) -> {
        requireSequence(l, ctx);
        Settings s = settings(l, l.config(), ctx);
        List<float[]> w = ctx.read(l, List.of(group("cell", ctx.width, s)));
        // With a mask, a plain Keras LSTM repeats its previous output at a masked step unless zero_output_for_mask.
        boolean previous = ctx.masked && !MappingContext.flag(l, "zero_output_for_mask", false);
        LstmLayer layer = s.builder(l.name(), ctx.width, s.goBackwards ? Direction.REVERSE : Direction.FORWARD)
                .maskedOutput(previous ? MaskedOutput.PREVIOUS : MaskedOutput.ZERO)
                .reversedOutputOrder(s.goBackwards && s.returnSequences)
                .weights(weights(ctx.width, s, w, 0)).build();
        return Optional.of(advance(layer, s, ctx));
    };

    static final LayerHandler BIDIRECTIONAL = (l, ctx) -> {
        requireSequence(l, ctx);
        JsonNode inner = l.config().path("layer");
        String innerClass = inner.path("class_name").asText("?");
        if (!innerClass.equals("LSTM")) {
            throw ctx.refuse(l, "wraps a " + innerClass + "; lstm4j runs Bidirectional(LSTM) only");
        }
        KerasLayer forward = KerasLayer.wrapped("LSTM", l.name() + "/forward", inner.path("config"));
        Settings s = settings(forward, inner.path("config"), ctx);
        if (s.goBackwards) {
            throw ctx.refuse(l, "wraps an LSTM with go_backwards=True, so its 'forward' layer reads backwards; lstm4j imports "
                    + "Bidirectional(LSTM(go_backwards=False))");
        }
        JsonNode backwardCfg = l.config().path("backward_layer");
        if (backwardCfg.isObject()) {
            KerasLayer backward = KerasLayer.wrapped("LSTM", l.name() + "/backward", backwardCfg.path("config"));
            Settings b = settings(backward, backwardCfg.path("config"), ctx);
            if (!b.goBackwards || !b.sameComputation(s)) {
                throw ctx.refuse(l, "has a backward_layer that differs from its forward layer " + b + " vs " + s
                        + "; lstm4j imports bidirectional layers whose two directions differ only in their weights");
            }
        }
        String merge = l.config().path("merge_mode").isNull() ? null : l.config().path("merge_mode").asText("concat");
        MergeMode mode = merge == null ? MergeMode.CONCAT : mergeMode(merge, l, ctx);
        int in = ctx.width;
        List<float[]> w = ctx.read(l, List.of(group("forward_layer/cell", in, s), group("backward_layer/cell", in, s)));
        int perDirection = w.size() / 2;
        LstmLayer layer = s.builder(l.name(), in, Direction.BIDIRECTIONAL).mergeMode(mode)
                .weights(weights(in, s, w, 0), weights(in, s, w, perDirection)).build();
        return Optional.of(advance(layer, s, ctx));
    };

    /** Whether this Bidirectional returns its directions apart ({@code merge_mode=None}) rather than merged. */
    static boolean keepsDirectionsApart(KerasLayer l) {
        return l.className().equals("Bidirectional") && l.config().has("merge_mode") && l.config().get("merge_mode").isNull();
    }

    /**
     * What output {@code tensor} of an LSTM-family layer is, as a port (name empty: the caller names it):
     * Keras returns {@code [output, h, c]} for an LSTM with return_state, {@code [output, h_fw, c_fw,
     * h_bw, c_bw]} for a Bidirectional, whose {@code output} is two tensors (forward, backward) with
     * {@code merge_mode=None}. Null for a tensor the layer does not have.
     */
    static PortKind outputKind(KerasLayer l, int tensor) {
        boolean bidi = l.className().equals("Bidirectional");
        int outputs = keepsDirectionsApart(l) ? 2 : 1;
        if (tensor < outputs) {
            return outputs == 2 ? new PortKind(Port.Role.OUTPUT, tensor, tensor == 0 ? "_forward" : "_backward")
                    : new PortKind(Port.Role.OUTPUT, Port.ALL_DIRECTIONS, "");
        }
        return stateKind(bidi, tensor - outputs, false);
    }

    /** What entry {@code position} of an LSTM-family layer's {@code initial_state} list is. */
    static PortKind initialStateKind(KerasLayer l, int position) {
        return stateKind(l.className().equals("Bidirectional"), position, true);
    }

    private static PortKind stateKind(boolean bidi, int k, boolean initial) {
        if (k < 0 || k >= (bidi ? 4 : 2)) {
            return null;
        }
        boolean hidden = k % 2 == 0;
        Port.Role role = initial ? (hidden ? Port.Role.INITIAL_HIDDEN : Port.Role.INITIAL_CELL)
                : (hidden ? Port.Role.FINAL_HIDDEN : Port.Role.FINAL_CELL);
        String state = hidden ? "_h" : "_c";
        return bidi ? new PortKind(role, k / 2, (k < 2 ? "_forward" : "_backward") + state) : new PortKind(role, Port.ALL_DIRECTIONS, state);
    }

    /** A port's role, the direction it carries, and the suffix of its name after the layer's name. */
    record PortKind(Port.Role role, int direction, String suffix) {
    }

    // ------------------------------------------------------------------ configuration

    /** The inference settings of one LSTM configuration. */
    private record Settings(int units, Activation activation, Activation recurrentActivation, boolean useBias,
                            boolean returnSequences, boolean goBackwards) {

        LstmLayer.Builder builder(String name, int in, Direction direction) {
            return LstmLayer.builder(in, units).name(name).direction(direction)
                    .outputMode(returnSequences ? OutputMode.SEQUENCES : OutputMode.FINAL_STATE)
                    .activations(recurrentActivation, activation, activation);
        }

        boolean sameComputation(Settings o) {
            return units == o.units && activation.equals(o.activation) && recurrentActivation.equals(o.recurrentActivation)
                    && useBias == o.useBias && returnSequences == o.returnSequences;
        }
    }

    private static Settings settings(KerasLayer l, JsonNode cfg, MappingContext ctx) {
        ctx.requireFloat32(l);
        if (MappingContext.flag(l, "time_major", false)) {
            throw ctx.refuse(l, "has time_major=True; lstm4j imports batch-major Keras models (time_major=False)");
        }
        String where = ctx.where(l);
        return new Settings(ctx.size(l, "units", 4 * Math.max(ctx.width, 1)),
                KerasActivations.forLstm(cfg.get("activation"), ctx.kerasMajor, where, "activation"),
                KerasActivations.forLstm(cfg.has("recurrent_activation") ? cfg.get("recurrent_activation")
                        : new com.fasterxml.jackson.databind.node.TextNode("sigmoid"), ctx.kerasMajor, where, "recurrent_activation"),
                MappingContext.flag(l, "use_bias", true), MappingContext.flag(l, "return_sequences", false),
                MappingContext.flag(l, "go_backwards", false));
    }

    private static MergeMode mergeMode(String merge, KerasLayer l, MappingContext ctx) {
        switch (merge) {
            case "concat": return MergeMode.CONCAT;
            case "sum": return MergeMode.SUM;
            case "ave": return MergeMode.AVE;
            case "mul": return MergeMode.MUL;
            default: throw ctx.refuse(l, "has merge_mode='" + merge + "'; lstm4j merges by concat, sum, ave, mul or None");
        }
    }

    private static void requireSequence(KerasLayer l, MappingContext ctx) {
        if (!ctx.sequences) {
            throw ctx.refuse(l, "needs a sequence, but the layer before it outputs one vector per sequence "
                    + "(give that LSTM return_sequences=True)");
        }
    }

    /** Kernel {@code [in, 4u]}, recurrent kernel {@code [u, 4u]}, bias {@code [4u]}: Keras's gate blocks i, f, c, o. */
    private static KerasWeights.Group group(String path, int in, Settings s) {
        int u = s.units;
        List<KerasWeights.Spec> specs = new ArrayList<>(List.of(new KerasWeights.Spec("kernel", in, 4 * u),
                new KerasWeights.Spec("recurrent_kernel", u, 4 * u)));
        if (s.useBias) {
            specs.add(new KerasWeights.Spec("bias", 4 * u));
        }
        return new KerasWeights.Group(path, specs);
    }

    private static LstmWeights weights(int in, Settings s, List<float[]> w, int from) {
        return LstmWeights.fromKeras(in, s.units, w.get(from), w.get(from + 1), s.useBias ? w.get(from + 2) : null);
    }

    private static Layer advance(LstmLayer layer, Settings s, MappingContext ctx) {
        ctx.width = layer.outputSize();
        ctx.sequences = s.returnSequences;
        return layer;
    }
}
