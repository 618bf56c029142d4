/**
 * Keras parity in a container: {@link org.lstm4j.conformance.keras.KerasContainerExporter} builds
 * {@code tools/keras/Dockerfile} and runs the Keras to ONNX export in it (Testcontainers, an optional
 * dependency), for machines without Python ({@code lstm keras-export}); {@link org.lstm4j.conformance.keras.KerasParityCheck}
 * checks lstm4j's backends against Keras's own outputs from that export.
 */
package org.lstm4j.conformance.keras;
