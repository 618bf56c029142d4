package org.lstm4j.forecast;

/** The baselines a model has to beat: repeat the last value, or repeat the last season. */
public final class NaiveForecasts {
    private NaiveForecasts() {
    }

    /** Every step equals the last observed value. */
    public static double[] lastValue(double[] history, int horizon) {
        double[] out = new double[horizon];
        java.util.Arrays.fill(out, history[history.length - 1]);
        return out;
    }

    /** Step k equals the value one season before it: {@code y[T + k] = y[T + k - season]}, repeating the last season. */
    public static double[] seasonal(double[] history, int season, int horizon) {
        if (season < 1 || season > history.length) {
            throw new IllegalArgumentException("season " + season + " must be between 1 and the history length " + history.length);
        }
        double[] out = new double[horizon];
        for (int k = 0; k < horizon; k++) {
            out[k] = history[history.length - season + (k % season)];
        }
        return out;
    }
}
