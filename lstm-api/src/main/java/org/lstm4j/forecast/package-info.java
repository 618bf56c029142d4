/**
 * Forecasting a series with a compiled predictor: {@link org.lstm4j.forecast.Forecaster} (sliding window or
 * stateful, autoregressive), the scaling a model was trained with ({@link org.lstm4j.forecast.Scaling}), and
 * accuracy against naive baselines ({@link org.lstm4j.forecast.Accuracy}, {@link org.lstm4j.forecast.NaiveForecasts}).
 */
package org.lstm4j.forecast;
