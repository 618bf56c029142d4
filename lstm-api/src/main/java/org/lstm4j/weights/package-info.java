/**
 * LSTM and dense weights in lstm4j's one canonical layout, and the converters from and to each framework's
 * ({@code LstmWeights.fromKeras}, {@code fromPyTorch}, {@code fromOnnx} and back). {@link org.lstm4j.weights.GateOrder}
 * is the one place where gate orders and the canonical gate offsets are written down.
 */
package org.lstm4j.weights;
