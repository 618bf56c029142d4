/**
 * LSTMs as forecast methods: a plain windowed LSTM ({@link org.lstm4j.forecast.lstm.LstmMethod}) and the ES hybrid
 * ({@link org.lstm4j.forecast.lstm.HybridMethod}: exponential smoothing normalises the series, the LSTM forecasts the
 * normalised values), with the smoothing settings a model file records in its metadata.
 */
package org.lstm4j.forecast.lstm;
