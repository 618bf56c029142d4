package org.lstm4j.keras;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One layer of a Keras model configuration, as either dialect writes it.
 *
 * @param className     the Keras class ({@code LSTM}, {@code Dense}, ...)
 * @param name          the layer's name (unique in the model)
 * @param config        the layer's {@code config} object
 * @param registeredName Keras 3's {@code registered_name} ({@code package>Class} for a registered custom class), or null
 * @param module        Keras 3's {@code module} ({@code keras.layers} for built-ins), or null
 * @param inputs        the tensors of its call's main argument, in order (empty for an input layer)
 * @param initialState  the tensors passed as an RNN's {@code initial_state}, in order
 * @param mask          the tensor passed as its {@code mask} argument (Keras 3 writes the masks it propagates so), or null
 * @param call          its (first) call as Keras 3 writes it, {@code {"args": [...], "kwargs": {...}}}, or null: the
 *                      constants of an op node ({@code not_equal(x, 0.0)}) are there
 * @param calls         how many times the model calls it (more than one is a shared layer)
 */
record KerasLayer(String className, String name, JsonNode config, String registeredName, String module,
                  List<TensorRef> inputs, List<TensorRef> initialState, TensorRef mask, JsonNode call, int calls) {

    /** A layer as a wrapper holds it: a configuration and nothing of a graph. */
    static KerasLayer wrapped(String className, String name, JsonNode config) {
        return new KerasLayer(className, name, config, null, null, List.of(), List.of(), null, null, 1);
    }

    /** A tensor a layer writes: Keras's {@code keras_history} {@code [layer, node index, tensor index]}. */
    record TensorRef(String layer, int node, int tensor) {
        @Override
        public String toString() {
            return tensor == 0 ? "'" + layer + "'" : "'" + layer + "' output " + tensor;
        }
    }

    /** {@code layer 'lstm' (LSTM)}, for messages. */
    String where() {
        return "layer '" + name + "' (" + className + ")";
    }

    boolean isInput() {
        return className.equals("InputLayer");
    }

    /** A Keras 3 op node ({@code keras.src.ops}), such as the {@code NotEqual} and {@code Any} of a traced mask. */
    boolean isOp() {
        return module != null && (module.startsWith("keras.src.ops") || module.startsWith("keras.ops"));
    }

    /** A user's own Python class rather than a built-in Keras layer. */
    boolean isCustom() {
        if (className.contains(">") || (registeredName != null && registeredName.contains(">"))) {
            return true;  // 'package>Class': registered with keras.saving.register_keras_serializable
        }
        return module != null ? !module.startsWith("keras") : registeredName != null && !registeredName.equals(className);
    }
}
