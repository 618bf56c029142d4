/**
 * Exponential smoothing in Java: simple, and Holt-Winters with additive or multiplicative season
 * ({@link org.lstm4j.forecast.smoothing.ExponentialSmoothing}), fitted by least squares
 * ({@link org.lstm4j.forecast.smoothing.SmoothingFit}) and checked against statsmodels.
 */
package org.lstm4j.forecast.smoothing;
