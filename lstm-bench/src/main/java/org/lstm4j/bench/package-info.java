/**
 * Benchmarks (not published): JMH benchmarks of streaming steps and whole sequences on every backend, and the
 * side-by-side runner that {@code tools/bench/run.sh} drives against PyTorch, Keras and ONNX Runtime for Python.
 */
package org.lstm4j.bench;
