/**
 * The ONNX Runtime backend, {@code onnx}: each model exported to an ONNX graph once and run by an ONNX Runtime
 * session; {@code OnnxRuntimeBackendProvider.openRaw} runs an {@code .onnx} file as it is, by its graph's names.
 */
package org.lstm4j.backend.onnx;
