package org.lstm4j.forecast.lstm;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.lstm4j.forecast.smoothing.ExponentialSmoothing;
import org.lstm4j.forecast.smoothing.SmoothingParameters;

/**
 * The exponential smoothing a hybrid model was trained with, as recorded in its metadata (ONNX
 * {@code metadata_props}) by the training script: the model form and its fixed parameters.
 *
 * <pre>
 * lstm4j.smoothing.trend            none | additive
 * lstm4j.smoothing.season           none | additive | multiplicative
 * lstm4j.smoothing.period           m (0 without a season)
 * lstm4j.smoothing.alpha, .beta, .gamma, .initial_level, .initial_trend
 * lstm4j.smoothing.initial_seasons  m numbers separated by commas: s(-m), ..., s(-1)
 * </pre>
 */
public record SmoothingMetadata(ExponentialSmoothing model, SmoothingParameters parameters) {

    public static final String PREFIX = "lstm4j.smoothing.";

    /** Whether the metadata describes a smoothing (a hybrid model). */
    public static boolean present(Map<String, String> metadata) {
        return metadata.keySet().stream().anyMatch(k -> k.startsWith(PREFIX));
    }

    /** Reads the smoothing; a missing or malformed key is an error naming it. */
    public static SmoothingMetadata read(Map<String, String> metadata) {
        ExponentialSmoothing.Trend trend = kind(ExponentialSmoothing.Trend.class, metadata, "trend");
        ExponentialSmoothing.Season season = kind(ExponentialSmoothing.Season.class, metadata, "season");
        int period = (int) number(metadata, "period");
        String seasons = text(metadata, "initial_seasons").strip();
        double[] s;
        try {
            s = seasons.isEmpty() ? new double[0] : Arrays.stream(seasons.split(",")).mapToDouble(v -> Double.parseDouble(v.strip())).toArray();
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("model metadata '" + PREFIX + "initial_seasons' is not a list of numbers: '" + seasons + "'");
        }
        ExponentialSmoothing model = new ExponentialSmoothing(trend, season, period);
        SmoothingParameters p = new SmoothingParameters(number(metadata, "alpha"), number(metadata, "beta"), number(metadata, "gamma"),
                number(metadata, "initial_level"), number(metadata, "initial_trend"), s);
        if (s.length != model.period()) {
            throw new IllegalArgumentException("model metadata '" + PREFIX + "initial_seasons' has " + s.length + " values for a period of "
                    + model.period());
        }
        return new SmoothingMetadata(model, p);
    }

    /** The metadata entries that {@link #read} reads back. */
    public Map<String, String> toMetadata() {
        Map<String, String> out = new LinkedHashMap<>();
        out.put(PREFIX + "trend", model.trend().name().toLowerCase(Locale.ROOT));
        out.put(PREFIX + "season", model.season().name().toLowerCase(Locale.ROOT));
        out.put(PREFIX + "period", Integer.toString(model.period()));
        out.put(PREFIX + "alpha", Double.toString(parameters.alpha()));
        out.put(PREFIX + "beta", Double.toString(parameters.beta()));
        out.put(PREFIX + "gamma", Double.toString(parameters.gamma()));
        out.put(PREFIX + "initial_level", Double.toString(parameters.initialLevel()));
        out.put(PREFIX + "initial_trend", Double.toString(parameters.initialTrend()));
        out.put(PREFIX + "initial_seasons", Arrays.stream(parameters.initialSeasons()).mapToObj(Double::toString).collect(Collectors.joining(",")));
        return out;
    }

    private static <E extends Enum<E>> E kind(Class<E> type, Map<String, String> metadata, String key) {
        String v = text(metadata, key);
        try {
            return Enum.valueOf(type, v.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("model metadata '" + PREFIX + key + "' is '" + v + "'; expected one of "
                    + Arrays.toString(type.getEnumConstants()).toLowerCase(Locale.ROOT));
        }
    }

    private static double number(Map<String, String> metadata, String key) {
        String v = text(metadata, key);
        try {
            return Double.parseDouble(v.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("model metadata '" + PREFIX + key + "' is not a number: '" + v + "'");
        }
    }

    private static String text(Map<String, String> metadata, String key) {
        String v = metadata.get(PREFIX + key);
        if (v == null) {
            throw new IllegalArgumentException("model metadata has no '" + PREFIX + key + "' (a hybrid model records its whole smoothing)");
        }
        return v;
    }
}
