/**
 * ONNX models to and from the neutral {@link org.lstm4j.model.SequenceModel}.
 *
 * <p>The protobuf classes for {@code onnx.proto} (package {@code org.lstm4j.onnx.proto}) are generated at build time.
 */
package org.lstm4j.onnx;
