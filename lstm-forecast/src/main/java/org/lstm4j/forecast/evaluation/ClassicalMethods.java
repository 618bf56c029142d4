package org.lstm4j.forecast.evaluation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.lstm4j.forecast.NaiveForecasts;
import org.lstm4j.forecast.smoothing.ExponentialSmoothing;
import org.lstm4j.forecast.smoothing.SmoothedSeries;
import org.lstm4j.forecast.smoothing.SmoothingParameters;

/** The classical forecasts an LSTM is measured against, fitted on a training stretch. */
public final class ClassicalMethods {
    private ClassicalMethods() {
    }

    /**
     * Naive and seasonal naive, simple exponential smoothing, and additive and multiplicative
     * Holt-Winters, each fitted (by least squares on one-step errors) to {@code training}. Seasonal
     * methods need {@code season >= 2}; Holt-Winters needs two seasons of training data, and the
     * multiplicative form a positive series: methods that do not apply are left out.
     */
    public static List<ForecastMethod> fitted(double[] training, int season) {
        List<ForecastMethod> out = new ArrayList<>();
        out.add(naive());
        if (season >= 2 && training.length >= season) {
            out.add(seasonalNaive(season));
        }
        List<ExponentialSmoothing> smoothing = new ArrayList<>(List.of(ExponentialSmoothing.simple()));
        if (season >= 2) {
            smoothing.add(ExponentialSmoothing.holtWintersAdditive(season));
            if (Arrays.stream(training).allMatch(v -> v > 0)) {
                smoothing.add(ExponentialSmoothing.holtWintersMultiplicative(season));
            }
        }
        for (ExponentialSmoothing model : smoothing) {
            if (training.length >= model.minimumLength()) {
                out.add(smoothing(model.fit(training)));
            }
        }
        return out;
    }

    public static ForecastMethod naive() {
        return method("naive (last value)", NaiveForecasts::lastValue);
    }

    public static ForecastMethod seasonalNaive(int season) {
        return method("seasonal naive (season " + season + ")", (history, horizon) -> NaiveForecasts.seasonal(history, season, horizon));
    }

    /** Forecasts with the fitted model's parameters, running its recursions over each history. */
    public static ForecastMethod smoothing(SmoothedSeries fit) {
        ExponentialSmoothing model = fit.model();
        SmoothingParameters parameters = fit.parameters();
        return method(model.name(), (history, horizon) -> model.run(parameters, history).forecast(horizon));
    }

    private interface Rule {
        double[] forecast(double[] history, int horizon);
    }

    private static ForecastMethod method(String name, Rule rule) {
        return new ForecastMethod() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public double[] forecast(double[] history, int horizon) {
                return rule.forecast(history, horizon);
            }

            @Override
            public String toString() {
                return name;
            }
        };
    }
}
