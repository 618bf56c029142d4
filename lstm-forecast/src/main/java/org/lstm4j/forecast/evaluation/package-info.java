/**
 * Forecasts scored as forecasters score them: {@link org.lstm4j.forecast.evaluation.RollingOrigin} evaluation (MASE,
 * sMAPE, RMSE, MAE, MAPE over many origins) of any {@link org.lstm4j.forecast.evaluation.ForecastMethod}, and the
 * classical line-up every LSTM is compared with ({@link org.lstm4j.forecast.evaluation.ClassicalMethods}).
 */
package org.lstm4j.forecast.evaluation;
