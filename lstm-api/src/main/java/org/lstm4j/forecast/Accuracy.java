package org.lstm4j.forecast;

/**
 * Forecast accuracy over a held-out tail: root mean squared error, mean absolute error, and mean
 * absolute percentage error (in percent; steps whose actual value is 0 are left out of MAPE, as
 * it is undefined there).
 */
public record Accuracy(double rmse, double mae, double mape, int steps) {

    public static Accuracy of(double[] actual, double[] forecast) {
        int n = Math.min(actual.length, forecast.length);
        if (n == 0) {
            throw new IllegalArgumentException("no overlapping steps to score");
        }
        double se = 0;
        double ae = 0;
        double ape = 0;
        int apeCount = 0;
        for (int i = 0; i < n; i++) {
            double e = forecast[i] - actual[i];
            se += e * e;
            ae += Math.abs(e);
            if (actual[i] != 0) {
                ape += Math.abs(e / actual[i]);
                apeCount++;
            }
        }
        return new Accuracy(Math.sqrt(se / n), ae / n, apeCount == 0 ? Double.NaN : 100 * ape / apeCount, n);
    }
}
