/**
 * Runnable examples ({@code lstm example NAME}): a model defined in Java with Keras-layout weights, streaming with
 * snapshot and restore, forecasting a series, and importing a Keras model through ONNX.
 */
package org.lstm4j.examples;
