package org.lstm4j.keras;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.lstm4j.model.DenseLayer;
import org.lstm4j.weights.DenseWeights;

/**
 * {@code Dense} and {@code TimeDistributed(Dense)}: {@code y = activation(x kernel + bias)} on the
 * last axis, on every step of a sequence or on the one vector, as Keras's {@code Dense} does on a
 * 3-D input. LoRA-adapted and quantized Dense layers (Keras 3) are refused: their saved kernel is not
 * the one they compute with.
 */
final class DenseLayers {
    private DenseLayers() {
    }

    static final LayerHandler DENSE = (l, ctx) -> Optional.of(dense(l, l, "", ctx));

    static final LayerHandler TIME_DISTRIBUTED = (l, ctx) -> {
        JsonNode inner = l.config().path("layer");
        String innerClass = inner.path("class_name").asText("?");
        KerasLayer wrapped = KerasLayer.wrapped(innerClass, l.name(), inner.path("config"));
        if (!ctx.sequences) {
            throw ctx.refuse(l, "needs a sequence, but the layer before it outputs one vector per sequence");
        }
        if (innerClass.equals("Dense")) {
            return Optional.of(dense(l, wrapped, "layer", ctx));
        }
        LayerHandler elementwise = ActivationLayers.ELEMENTWISE.get(innerClass);
        if (elementwise != null) {
            return elementwise.map(wrapped, ctx);
        }
        throw ctx.refuse(l, "wraps a " + innerClass + "; lstm4j imports TimeDistributed(Dense) (and of Dropout or activation layers)");
    };

    /** {@code settings} holds the Dense configuration (the layer itself, or what a TimeDistributed wraps). */
    private static DenseLayer dense(KerasLayer l, KerasLayer settings, String path, MappingContext ctx) {
        ctx.requireFloat32(settings);
        JsonNode cfg = settings.config();
        for (String key : List.of("lora_rank", "quantization_config")) {
            if (cfg.hasNonNull(key)) {
                throw ctx.refuse(l, "has " + key + "=" + KerasConfig.clip(cfg.get(key)) + ": its saved kernel is not the one it "
                        + "computes with; merge or remove the adaptation before saving (lstm4j imports plain Dense layers)");
            }
        }
        int in = ctx.width;
        int units = ctx.size(settings, "units", Math.max(in, 1));
        boolean useBias = MappingContext.flag(settings, "use_bias", true);
        List<KerasWeights.Spec> specs = new ArrayList<>(List.of(new KerasWeights.Spec("kernel", in, units)));
        if (useBias) {
            specs.add(new KerasWeights.Spec("bias", units));
        }
        List<float[]> w = ctx.read(l, List.of(new KerasWeights.Group(path, specs)));
        ctx.width = units;
        return DenseLayer.of(l.name(), DenseWeights.fromKeras(in, units, w.get(0), useBias ? w.get(1) : null),
                KerasActivations.forDense(cfg.get("activation"), ctx.kerasMajor, ctx.where(l), "activation"));
    }
}
