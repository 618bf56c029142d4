/**
 * The Keras to ONNX export in a Docker container ({@code tools/keras/Dockerfile} built and run through
 * Testcontainers), for machines without a Python environment: {@code lstm keras-export}.
 */
package org.lstm4j.cli.keras;
