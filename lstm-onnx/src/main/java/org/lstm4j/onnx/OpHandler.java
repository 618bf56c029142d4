package org.lstm4j.onnx;

/**
 * Maps one ONNX node: reads its inputs' values from the {@link Node}, writes its outputs' values
 * back, and throws a {@link Refusal} saying why when the node is not something lstm4j can map.
 * Handlers are registered by op type (and opset range) in {@link OpRegistry}. Package-private.
 */
@FunctionalInterface
interface OpHandler {
    void map(Node node);
}
