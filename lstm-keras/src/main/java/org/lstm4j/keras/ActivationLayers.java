package org.lstm4j.keras;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Optional;
import org.lstm4j.model.Activation;
import org.lstm4j.model.ActivationLayer;
import org.lstm4j.model.Layer;

/**
 * Layers that act on each element (or, softmax, on the last axis) and keep the width:
 * {@code Activation}, {@code ReLU}, {@code LeakyReLU}, {@code ELU}, {@code Softmax}; and those that
 * compute nothing at inference: {@code Dropout}, {@code SpatialDropout1D}, {@code GaussianNoise},
 * {@code GaussianDropout}, {@code AlphaDropout}, {@code ActivityRegularization}.
 */
final class ActivationLayers {
    private ActivationLayers() {
    }

    /** Identity at inference (Keras applies them only with training=True). */
    static final LayerHandler IDENTITY = (l, ctx) -> Optional.empty();

    static final LayerHandler ACTIVATION = (l, ctx) ->
            layer(l, ctx, KerasActivations.forDense(l.config().get("activation"), ctx.kerasMajor, ctx.where(l), "activation"));

    static final LayerHandler RELU = (l, ctx) -> {
        double max = MappingContext.number(l, "max_value", Double.NaN);
        double threshold = MappingContext.number(l, "threshold", 0);
        double slope = MappingContext.number(l, "negative_slope", 0);
        if (!Double.isNaN(max) || threshold != 0) {
            throw ctx.refuse(l, "has max_value=" + (Double.isNaN(max) ? "None" : max) + ", threshold=" + threshold
                    + "; lstm4j imports ReLU with neither (relu, or leaky with negative_slope)");
        }
        return layer(l, ctx, slope == 0 ? Activation.relu() : Activation.leakyRelu((float) slope));
    };

    // Keras 3 names the slope negative_slope, Keras 2 alpha; both default to 0.3.
    static final LayerHandler LEAKY_RELU = (l, ctx) -> layer(l, ctx, Activation.leakyRelu(
            (float) MappingContext.number(l, l.config().has("negative_slope") ? "negative_slope" : "alpha", 0.3)));

    static final LayerHandler ELU = (l, ctx) -> layer(l, ctx, Activation.elu((float) MappingContext.number(l, "alpha", 1.0)));

    static final LayerHandler SOFTMAX = (l, ctx) -> {
        JsonNode axis = l.config().get("axis");
        int last = ctx.sequences ? 2 : 1;
        if (axis != null && !axis.isNull() && axis.asInt() != -1 && axis.asInt() != last) {
            throw ctx.refuse(l, "takes the softmax over axis " + axis + "; lstm4j takes it over the last (features) axis");
        }
        return layer(l, ctx, Activation.softmax());
    };

    /** The elementwise and identity handlers, also what {@code TimeDistributed} may wrap. */
    static final Map<String, LayerHandler> ELEMENTWISE = Map.ofEntries(
            Map.entry("Activation", ACTIVATION), Map.entry("ReLU", RELU), Map.entry("LeakyReLU", LEAKY_RELU), Map.entry("ELU", ELU),
            Map.entry("Softmax", SOFTMAX), Map.entry("Dropout", IDENTITY), Map.entry("SpatialDropout1D", IDENTITY),
            Map.entry("GaussianNoise", IDENTITY), Map.entry("GaussianDropout", IDENTITY), Map.entry("AlphaDropout", IDENTITY),
            Map.entry("ActivityRegularization", IDENTITY));

    private static Optional<Layer> layer(KerasLayer l, MappingContext ctx, Activation a) {
        ctx.requireFloat32(l);
        if (a.kind() == Activation.Kind.LINEAR) {
            return Optional.empty();
        }
        return Optional.of(ActivationLayer.of(l.name(), ctx.width, a));
    }
}
