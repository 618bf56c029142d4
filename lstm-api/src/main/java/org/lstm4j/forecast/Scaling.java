package org.lstm4j.forecast;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The affine scaling a model was trained with: {@code scaled = (value - offset) / factor}. Min-max
 * scaling has offset = min and factor = max - min; standard scaling has offset = mean and factor =
 * standard deviation. A model file records it in its metadata (ONNX {@code metadata_props}) under
 * {@link #KIND}, {@link #OFFSET} and {@link #FACTOR}, so that forecasts come back in the series' units.
 */
public record Scaling(String kind, double offset, double factor) {

    public static final String KIND = "lstm4j.scale.kind";
    public static final String OFFSET = "lstm4j.scale.offset";
    public static final String FACTOR = "lstm4j.scale.factor";

    public Scaling {
        if (!Double.isFinite(offset) || !Double.isFinite(factor) || factor == 0) {
            throw new IllegalArgumentException("scaling needs a finite offset and a finite non-zero factor, got " + offset + ", " + factor);
        }
    }

    public static Scaling identity() {
        return new Scaling("none", 0, 1);
    }

    /** The scaling recorded in model metadata, if any; malformed entries are an error naming the key. */
    public static Optional<Scaling> fromMetadata(Map<String, String> metadata) {
        if (!metadata.containsKey(OFFSET) && !metadata.containsKey(FACTOR)) {
            return Optional.empty();
        }
        return Optional.of(new Scaling(metadata.getOrDefault(KIND, "affine").toLowerCase(Locale.ROOT),
                number(metadata, OFFSET), number(metadata, FACTOR)));
    }

    private static double number(Map<String, String> metadata, String key) {
        String v = metadata.get(key);
        if (v == null) {
            throw new IllegalArgumentException("model metadata has no '" + key + "' (both " + OFFSET + " and " + FACTOR + " are needed)");
        }
        try {
            return Double.parseDouble(v.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("model metadata '" + key + "' is not a number: '" + v + "'");
        }
    }

    public double scale(double value) {
        return (value - offset) / factor;
    }

    public double unscale(double scaled) {
        return scaled * factor + offset;
    }
}
