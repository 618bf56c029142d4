package org.lstm4j.keras;

import com.fasterxml.jackson.databind.JsonNode;
import org.lstm4j.model.Activation;

/**
 * Keras activation names as lstm4j activations, as the Keras that wrote the file computes them.
 * Keras 3's {@code hard_sigmoid} is {@code relu6(x + 3) / 6} (slope 1/6); Keras 2's is
 * {@code clip(0.2 x + 0.5, 0, 1)} (slope 0.2): the file's Keras version decides, since that is the
 * function the model was trained with.
 */
final class KerasActivations {
    private KerasActivations() {
    }

    /** An LSTM's {@code activation} or {@code recurrent_activation}: elementwise, identity as {@code Affine(1, 0)}. */
    static Activation forLstm(JsonNode value, int kerasMajor, String where, String key) {
        String name = name(value, where, key);
        if (name.equals("linear")) {
            return Activation.affine(1f, 0f);
        }
        if (name.equals("softmax") || name.equals("log_softmax")) {
            throw refuse(where, key, name, name + " is not elementwise, so it cannot be an LSTM activation");
        }
        return common(name, kerasMajor, where, key);
    }

    /** A Dense layer's or an Activation layer's activation (softmax and log_softmax over the last axis included). */
    static Activation forDense(JsonNode value, int kerasMajor, String where, String key) {
        String name = name(value, where, key);
        switch (name) {
            case "linear": return Activation.linear();
            case "softmax": return Activation.softmax();
            case "log_softmax": return Activation.logSoftmax();  // Keras: over the last axis, as lstm4j's
            default: return common(name, kerasMajor, where, key);
        }
    }

    private static Activation common(String name, int kerasMajor, String where, String key) {
        switch (name) {
            case "sigmoid": return Activation.sigmoid();
            case "tanh": return Activation.tanh();
            case "relu": return Activation.relu();
            case "hard_sigmoid": return kerasMajor >= 3 ? Activation.kerasHardSigmoid() : Activation.hardSigmoid();
            case "elu": return Activation.elu(1f);
            case "softsign": return Activation.softsign();
            case "softplus": return Activation.softplus();
            // Keras 3's keras.activations.leaky_relu defaults to negative_slope=0.2 (Keras 2 has no such activation name).
            case "leaky_relu": return Activation.leakyRelu(0.2f);
            default:
                throw refuse(where, key, name, "lstm4j has no equivalent (it runs linear, sigmoid, tanh, relu, hard_sigmoid, elu, "
                        + "softsign, softplus, leaky_relu, and softmax and log_softmax on dense layers)");
        }
    }

    private static String name(JsonNode value, String where, String key) {
        if (value == null || value.isNull()) {
            return "linear";  // Keras: activation=None is the identity
        }
        if (value.isTextual()) {
            return value.asText();
        }
        // Keras 3 may serialize a built-in activation as {"class_name": "function", "config": "tanh", ...}.
        JsonNode cfg = value.path("config");
        if (value.isObject() && cfg.isTextual() && !value.path("registered_name").asText("").contains(">")) {
            return cfg.asText();
        }
        throw new KerasImportException(where + ": " + key + " " + KerasConfig.clip(value)
                + " is a custom activation (Python code), which lstm4j cannot import; use a built-in Keras activation");
    }

    private static KerasImportException refuse(String where, String key, String name, String why) {
        return new KerasImportException(where + ": " + key + "='" + name + "' cannot be imported: " + why);
    }
}
