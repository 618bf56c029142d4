package org.lstm4j.forecast;

/**
 * Forecast accuracy over a held-out stretch, in the measures forecasters use (the M4 competition's
 * definitions): root mean squared error, mean absolute error, mean absolute percentage error and
 * symmetric MAPE {@code 200/h sum |y - f| / (|y| + |f|)} (both in percent), and the mean absolute
 * scaled error: MAE divided by the in-sample MAE of the seasonal naive forecast ({@link #maseScale}),
 * so that below 1 means better than repeating last season was on the history. Steps where a
 * percentage is undefined (actual 0, or actual and forecast both 0) are left out of it; MASE is NaN
 * when no scale was given.
 */
public record Accuracy(double rmse, double mae, double mape, double smape, double mase, int steps) {

    /** The scale-dependent and percentage measures; MASE is NaN. */
    public static Accuracy of(double[] actual, double[] forecast) {
        return of(actual, forecast, Double.NaN);
    }

    /** All measures, MASE scaled by {@code maseScale} (see {@link #maseScale}). */
    public static Accuracy of(double[] actual, double[] forecast, double maseScale) {
        int n = Math.min(actual.length, forecast.length);
        if (n == 0) {
            throw new IllegalArgumentException("no overlapping steps to score");
        }
        double se = 0;
        double ae = 0;
        double ape = 0;
        int apeCount = 0;
        double sape = 0;
        int sapeCount = 0;
        for (int i = 0; i < n; i++) {
            double e = forecast[i] - actual[i];
            se += e * e;
            ae += Math.abs(e);
            if (actual[i] != 0) {
                ape += Math.abs(e / actual[i]);
                apeCount++;
            }
            double denominator = Math.abs(actual[i]) + Math.abs(forecast[i]);
            if (denominator != 0) {
                sape += 2 * Math.abs(e) / denominator;
                sapeCount++;
            }
        }
        double mae = ae / n;
        return new Accuracy(Math.sqrt(se / n), mae, apeCount == 0 ? Double.NaN : 100 * ape / apeCount,
                sapeCount == 0 ? Double.NaN : 100 * sape / sapeCount, mae / maseScale, n);
    }

    /**
     * MASE's denominator: the mean absolute error of the seasonal naive forecast over the history,
     * {@code mean |y[t] - y[t - season]|} for {@code t >= season} (season 1: the naive forecast).
     */
    public static double maseScale(double[] history, int season) {
        if (season < 1 || season >= history.length) {
            throw new IllegalArgumentException("MASE needs a season between 1 and " + (history.length - 1) + " (the history length - 1), got "
                    + season);
        }
        double sum = 0;
        for (int t = season; t < history.length; t++) {
            sum += Math.abs(history[t] - history[t - season]);
        }
        return sum / (history.length - season);
    }
}
