package org.lstm4j.forecast.evaluation;

/**
 * A way to forecast a univariate series in its own units: the naive forecasts, exponential
 * smoothing, an LSTM. A method with parameters has them already (fitted or trained on the data
 * before the first forecast origin); asked at an origin, it sees the observations up to it only.
 */
public interface ForecastMethod {

    /** What to call it in a table: "Holt-Winters additive", "LSTM", ... */
    String name();

    /** The {@code horizon} steps after {@code history}. */
    double[] forecast(double[] history, int horizon);

    /**
     * The {@code horizon} steps after each origin, from {@code series[0 .. origin)}: row {@code i} is
     * the forecast from {@code origins[i]}. Methods that can forecast many origins in one batch (a
     * model on a backend) override this.
     */
    default double[][] forecast(double[] series, int[] origins, int horizon) {
        double[][] out = new double[origins.length][];
        for (int i = 0; i < origins.length; i++) {
            out[i] = forecast(java.util.Arrays.copyOf(series, origins[i]), horizon);
        }
        return out;
    }
}
