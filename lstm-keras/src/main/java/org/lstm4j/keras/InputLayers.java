package org.lstm4j.keras;

import java.util.List;
import java.util.Optional;
import org.lstm4j.model.EmbeddingLayer;
import org.lstm4j.model.MaskingLayer;
import org.lstm4j.weights.EmbeddingWeights;

/**
 * The layers that say what the LSTMs read before the first of them: {@code Embedding} (token ids
 * to vectors; with {@code mask_zero=True} id 0 masks its step) and {@code Masking} (a step whose
 * features all equal {@code mask_value} is masked). Either makes the model's LSTMs masked, with
 * Keras's semantics ({@link org.lstm4j.predict.StepMask}).
 */
final class InputLayers {
    private InputLayers() {
    }

    static final LayerHandler EMBEDDING = (l, ctx) -> {
        if (!ctx.tokens) {
            throw ctx.refuse(l, "does not read the model's token ids; lstm4j runs an Embedding as the first layer, on an input "
                    + "of shape [batch, time]");
        }
        ctx.requireFloat32(l);
        if (l.config().hasNonNull("lora_rank")) {
            throw ctx.refuse(l, "has lora_rank=" + l.config().get("lora_rank") + ": merge or remove the adaptation before saving");
        }
        int vocabulary = ctx.size(l, "input_dim", 1);
        int dimension = ctx.size(l, "output_dim", vocabulary);
        List<float[]> w = ctx.read(l, List.of(new KerasWeights.Group("", List.of(
                new KerasWeights.Spec("embeddings", vocabulary, dimension)))));
        boolean maskZero = MappingContext.flag(l, "mask_zero", false);
        ctx.tokens = false;
        ctx.width = dimension;
        ctx.masked |= maskZero;
        return Optional.of(EmbeddingLayer.of(l.name(), EmbeddingWeights.fromKeras(vocabulary, dimension, w.get(0)))
                .withMaskZero(maskZero));
    };

    static final LayerHandler MASKING = (l, ctx) -> {
        ctx.requireFloat32(l);
        ctx.masked = true;
        return Optional.of(MaskingLayer.of(l.name(), ctx.width, (float) MappingContext.number(l, "mask_value", 0.0)));
    };
}
