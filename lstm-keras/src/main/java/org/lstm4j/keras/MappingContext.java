package org.lstm4j.keras;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * What a layer handler sees while the chain is mapped: the file, which Keras wrote it, the
 * weights, the features per step arriving from the previous layer and whether they still have a
 * time axis. Handlers read their configuration through the typed getters here, whose errors name
 * the file, the layer and the key.
 */
final class MappingContext {

    final String source;
    final int kerasMajor;
    private final KerasWeights weights;
    private final KerasImportOptions options;
    private long totalElements;
    /** Features per step (or per sequence) that the next layer reads. */
    int width;
    /** Whether what the next layer reads has a time axis. */
    boolean sequences = true;
    /** Whether the next layer reads the model's token ids (an Embedding must). */
    boolean tokens;
    /** Whether a mask reaches the LSTMs (Masking, Embedding(mask_zero), a mask input): Keras's masked equations apply. */
    boolean masked;

    MappingContext(String source, int kerasMajor, KerasWeights weights, KerasImportOptions options, int inputWidth) {
        this.source = source;
        this.kerasMajor = kerasMajor;
        this.weights = weights;
        this.options = options;
        this.width = inputWidth;
    }

    /** {@code file: layer 'x' (Class)}, the start of every message about a layer. */
    String where(KerasLayer l) {
        return source + ": " + l.where();
    }

    KerasImportException refuse(KerasLayer l, String why) {
        return new KerasImportException(where(l) + " " + why);
    }

    /** The layer's weights, after checking their sizes against the limits (nothing is read before that). */
    List<float[]> read(KerasLayer l, List<KerasWeights.Group> groups) {
        for (KerasWeights.Group g : groups) {
            for (KerasWeights.Spec s : g.weights()) {
                long n = s.elements();
                if (n > options.maxTensorElements()) {
                    throw refuse(l, "needs a weight " + s + " of " + n + " elements, more than the limit of "
                            + options.maxTensorElements() + " (KerasImportOptions.maxTensorElements)");
                }
                totalElements += n;
                if (totalElements > options.maxTotalElements()) {
                    throw refuse(l, "brings the model's weights to " + totalElements + " elements, more than the limit of "
                            + options.maxTotalElements() + " (KerasImportOptions.maxTotalElements)");
                }
            }
        }
        return weights.read(l, groups);
    }

    /** A positive size from the configuration, small enough to index an array after multiplying by {@code factor}. */
    int size(KerasLayer l, String key, int factor) {
        JsonNode v = l.config().get(key);
        if (v == null || !v.canConvertToLong()) {
            throw refuse(l, "has no integer '" + key + "' in its configuration");
        }
        long n = v.asLong();
        if (n < 1 || n * factor > options.maxTensorElements()) {
            throw refuse(l, "has " + key + "=" + n + ", outside 1.." + options.maxTensorElements() / factor
                    + " (KerasImportOptions.maxTensorElements)");
        }
        return (int) n;
    }

    static boolean flag(KerasLayer l, String key, boolean absent) {
        JsonNode v = l.config().get(key);
        return v == null || v.isNull() ? absent : v.asBoolean();
    }

    static double number(KerasLayer l, String key, double absent) {
        JsonNode v = l.config().get(key);
        return v == null || v.isNull() ? absent : v.asDouble();
    }

    /**
     * Refuses a layer that computes in another precision than float32 (mixed precision, quantized
     * policies): lstm4j computes in float32 and the outputs would differ from Keras's. float64 is
     * accepted (lstm4j's float32 is within the tolerance of it).
     */
    void requireFloat32(KerasLayer l) {
        JsonNode d = l.config().get("dtype");
        if (d == null || d.isNull()) {
            return;
        }
        String name = d.isTextual() ? d.asText() : d.path("config").path("name").asText(d.path("class_name").asText("?"));
        if (!name.equals("float32") && !name.equals("float64")) {
            throw refuse(l, "computes with dtype policy '" + name + "'; lstm4j computes in float32, so it imports float32 (or "
                    + "float64) layers only: save the model with the default float32 policy");
        }
    }
}
