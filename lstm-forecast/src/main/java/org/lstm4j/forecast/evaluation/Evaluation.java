package org.lstm4j.forecast.evaluation;

import java.util.List;
import java.util.function.ToDoubleFunction;
import org.lstm4j.forecast.Accuracy;

/**
 * One method's forecasts from every origin of a {@link RollingOrigin} and their scores, with the
 * mean and the standard deviation of each measure over the origins.
 *
 * @param forecasts row {@code i}: the forecast from origin {@code i}
 * @param scores    the accuracy of each row
 */
public record Evaluation(String method, RollingOrigin design, double[][] forecasts, List<Accuracy> scores) {

    public Evaluation {
        scores = List.copyOf(scores);
    }

    /** The mean of a measure over the origins (NaN values, an undefined MAPE, left out). */
    public double mean(ToDoubleFunction<Accuracy> measure) {
        double sum = 0;
        int n = 0;
        for (Accuracy a : scores) {
            double v = measure.applyAsDouble(a);
            if (!Double.isNaN(v)) {
                sum += v;
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    /** The sample standard deviation of a measure over the origins; 0 for one origin. */
    public double sd(ToDoubleFunction<Accuracy> measure) {
        double mean = mean(measure);
        double sum = 0;
        int n = 0;
        for (Accuracy a : scores) {
            double v = measure.applyAsDouble(a);
            if (!Double.isNaN(v)) {
                sum += (v - mean) * (v - mean);
                n++;
            }
        }
        return n < 2 ? 0 : Math.sqrt(sum / (n - 1));
    }

    /** The forecast from the given origin. */
    public double[] forecastFrom(int origin) {
        int[] origins = design.origins();
        for (int i = 0; i < origins.length; i++) {
            if (origins[i] == origin) {
                return forecasts[i].clone();
            }
        }
        throw new IllegalArgumentException("no forecast from origin " + origin);
    }
}
