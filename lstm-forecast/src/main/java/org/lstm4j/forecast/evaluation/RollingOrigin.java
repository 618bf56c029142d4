package org.lstm4j.forecast.evaluation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.lstm4j.forecast.Accuracy;

/**
 * Rolling-origin evaluation (Tashman 2000): forecasts of {@code horizon} steps from several origins
 * over a held-out tail, each scored against what happened, instead of one split. An origin is the
 * number of observations a forecast may see. Parameters are not re-estimated between origins:
 * every method is fitted once, on the data before the first origin, so that all of them, the LSTM
 * trained on that same stretch included, know the same when they forecast.
 *
 * @param origins increasing origins
 * @param horizon steps forecast from each
 */
public record RollingOrigin(int[] origins, int horizon) {

    public RollingOrigin {
        origins = origins.clone();
        if (origins.length == 0 || horizon < 1) {
            throw new IllegalArgumentException("rolling-origin evaluation needs at least one origin and a horizon of at least 1, got "
                    + origins.length + " origins and horizon " + horizon);
        }
        for (int i = 1; i < origins.length; i++) {
            if (origins[i] <= origins[i - 1]) {
                throw new IllegalArgumentException("origins must increase: " + Arrays.toString(origins));
            }
        }
    }

    /**
     * {@code count} origins spread evenly over a tail of {@code holdout} steps of a series of
     * {@code length}: the first at {@code length - holdout}, the last at {@code length - horizon} so
     * that its whole forecast is scored (one origin: the first).
     */
    public static RollingOrigin overTail(int length, int holdout, int horizon, int count) {
        int first = length - holdout;
        int last = length - horizon;
        if (holdout > length || horizon > holdout || first < 1) {
            throw new IllegalArgumentException("a tail of " + holdout + " steps of a series of " + length + " cannot hold forecasts of "
                    + horizon + " steps after at least one observation");
        }
        if (count < 1 || count > last - first + 1) {
            throw new IllegalArgumentException(count + " origins do not fit: forecasts of " + horizon + " steps inside a tail of " + holdout
                    + " steps start at one of " + (last - first + 1) + " origins");
        }
        int[] origins = new int[count];
        for (int i = 0; i < count; i++) {
            origins[i] = count == 1 ? first : first + (int) Math.round((double) i * (last - first) / (count - 1));
        }
        return new RollingOrigin(origins, horizon);
    }

    @Override
    public int[] origins() {
        return origins.clone();
    }

    /** The number of observations before the first origin: what the methods are fitted on. */
    public int trainingLength() {
        return origins[0];
    }

    /** Forecasts from every origin with {@code method} and scores them; MASE scaled by the seasonal naive error up to each origin. */
    public Evaluation evaluate(double[] series, ForecastMethod method, int season) {
        checkFits(series);
        return score(series, method.name(), method.forecast(series, origins, horizon), season);
    }

    /** Scores forecasts made from these origins (row {@code i} from origin {@code i}) against {@code series}. */
    public Evaluation score(double[] series, String method, double[][] forecasts, int season) {
        checkFits(series);
        if (forecasts.length != origins.length) {
            throw new IllegalArgumentException(method + ": " + forecasts.length + " forecasts for " + origins.length + " origins");
        }
        List<Accuracy> scores = new ArrayList<>();
        for (int i = 0; i < origins.length; i++) {
            if (forecasts[i].length != horizon) {
                throw new IllegalArgumentException(method + " gave " + forecasts[i].length + " steps for a horizon of " + horizon);
            }
            double[] actual = Arrays.copyOfRange(series, origins[i], origins[i] + horizon);
            scores.add(Accuracy.of(actual, forecasts[i], Accuracy.maseScale(Arrays.copyOf(series, origins[i]), season)));
        }
        return new Evaluation(method, this, forecasts, scores);
    }

    private void checkFits(double[] series) {
        if (origins[origins.length - 1] + horizon > series.length) {
            throw new IllegalArgumentException("the last origin " + origins[origins.length - 1] + " plus the horizon " + horizon
                    + " runs past the series' " + series.length + " steps");
        }
    }

    /**
     * The origins whose forecasts tile the tail without overlapping, the first included: what a
     * chart can draw as one line per method.
     */
    public int[] tiling() {
        List<Integer> out = new ArrayList<>();
        int next = Integer.MIN_VALUE;
        for (int o : origins) {
            if (o >= next) {
                out.add(o);
                next = o + horizon;
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }
}
