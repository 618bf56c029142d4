package org.lstm4j.keras;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.lstm4j.keras.KerasLayer.TensorRef;

/**
 * A Keras model configuration reduced to what import needs: the layers, the tensors between them,
 * the model's inputs and outputs, and which Keras wrote it. Reads both dialects: Keras 3 (inbound
 * nodes as {@code {"args": [...], "kwargs": {...}}} with {@code __keras_tensor__} references) and
 * Keras 2 (inbound nodes as {@code [[layer, node, tensor, kwargs], ...]}), Sequential and
 * functional models alike. A Sequential is turned into the chain it is.
 *
 * @param name         the model's name
 * @param sequential   whether Keras built it as a {@code Sequential} (which matters for where its weights are saved)
 * @param layers       every layer in configuration order, the input layers included
 * @param inputs       the model's inputs
 * @param outputs      the model's outputs, in order
 * @param kerasMajor   2 or 3: which Keras wrote the file (its activations differ)
 */
record KerasConfig(String name, boolean sequential, List<KerasLayer> layers, List<TensorRef> inputs, List<TensorRef> outputs,
                   int kerasMajor) {

    /** RNN layers whose extra call inputs are initial states (Keras 2 writes them after the sequence). */
    private static final List<String> RNN_CLASSES = List.of("LSTM", "Bidirectional", "GRU", "SimpleRNN", "RNN");

    static KerasConfig parse(JsonNode root, String kerasVersion, String source, KerasImportOptions options) {
        String cls = root.path("class_name").asText("");
        JsonNode cfg = root.path("config");
        boolean sequential = cls.equals("Sequential");
        if (!sequential && !cls.equals("Functional") && !cls.equals("Model")) {
            throw new KerasImportException(source + ": the model is a '" + cls + "', not a Sequential or functional model"
                    + (cls.isEmpty() ? " (no class_name in the model configuration)" : " (a subclassed model holds Python code; "
                    + "rebuild it as a Sequential or functional model to import it)"));
        }
        JsonNode layerList = cfg.isArray() ? cfg : cfg.path("layers");
        if (!layerList.isArray() || layerList.isEmpty()) {
            throw new KerasImportException(source + ": the model configuration lists no layers");
        }
        if (layerList.size() > options.maxLayers()) {
            throw new KerasImportException(source + ": " + layerList.size() + " layers, more than the limit of " + options.maxLayers()
                    + " (KerasImportOptions.maxLayers)");
        }
        String name = cfg.path("name").asText("model");
        boolean keras3Dialect = false;
        List<KerasLayer> layers = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (JsonNode l : layerList) {
            String lcls = text(l, "class_name", source, "a layer");
            JsonNode lcfg = l.path("config");
            String lname = l.has("name") ? l.get("name").asText() : lcfg.path("name").asText(lcls.toLowerCase());
            if (!names.add(lname)) {
                throw new KerasImportException(source + ": the model configuration has two layers named '" + lname + "'");
            }
            List<TensorRef> main = new ArrayList<>();
            List<TensorRef> state = new ArrayList<>();
            List<TensorRef> mask = new ArrayList<>();
            JsonNode nodes = l.path("inbound_nodes");
            JsonNode call = null;
            if (nodes.size() > 0) {
                JsonNode node = nodes.get(0);
                if (node.isObject()) {
                    keras3Dialect = true;
                    call = node;
                    readKeras3Node(node, lname, lcls, main, state, mask, source);
                } else {
                    readKeras2Node(node, lcls, main, state, source, lname);
                }
            }
            keras3Dialect |= lcfg.path("dtype").isObject();  // Keras 3 writes a DTypePolicy, Keras 2 a string
            layers.add(new KerasLayer(lcls, lname, lcfg, textOrNull(l, "registered_name"), textOrNull(l, "module"),
                    List.copyOf(main), List.copyOf(state), mask.isEmpty() ? null : mask.get(0), call, nodes.size()));
        }
        List<TensorRef> inputs;
        List<TensorRef> outputs;
        if (sequential) {
            inputs = List.of();
            outputs = List.of();
        } else {
            inputs = refs(cfg.path("input_layers"), source, "input_layers");
            outputs = refs(cfg.path("output_layers"), source, "output_layers");
        }
        int major = majorVersion(kerasVersion, keras3Dialect);
        return new KerasConfig(name, sequential, List.copyOf(layers), inputs, outputs, major);
    }

    /** The layer of that name. */
    KerasLayer layer(String name, String source) {
        for (KerasLayer l : layers) {
            if (l.name().equals(name)) {
                return l;
            }
        }
        throw new KerasImportException(source + ": the model configuration refers to a layer '" + name + "' it does not list");
    }

    private static void readKeras3Node(JsonNode node, String lname, String lcls, List<TensorRef> main, List<TensorRef> state,
                                       List<TensorRef> mask, String source) {
        collectTensors(node.path("args"), main, source);
        node.path("kwargs").fields().forEachRemaining(e -> {
            List<TensorRef> tensors = new ArrayList<>();
            collectTensors(e.getValue(), tensors, source);
            if (tensors.isEmpty()) {
                return;  // training=..., mask=None and other plain arguments
            }
            if (e.getKey().equals("initial_state")) {
                state.addAll(tensors);
            } else if (e.getKey().equals("mask") && tensors.size() == 1) {
                mask.addAll(tensors);  // a mask Keras propagated (Masking, mask_zero) or one the model was given
            } else {
                throw new KerasImportException(source + ": layer '" + lname + "' (" + lcls + ") is called with a tensor as its '"
                        + e.getKey() + "' argument, which lstm4j does not import (only an RNN's initial_state and mask)");
            }
        });
    }

    private static void readKeras2Node(JsonNode node, String lcls, List<TensorRef> main, List<TensorRef> state, String source,
                                       String lname) {
        boolean rnn = RNN_CLASSES.contains(lcls);
        for (int i = 0; i < node.size(); i++) {
            JsonNode e = node.get(i);
            if (!e.isArray() || e.size() < 3 || !e.get(0).isTextual()) {
                throw new KerasImportException(source + ": layer '" + lname + "' has a malformed inbound node entry " + clip(e));
            }
            TensorRef ref = new TensorRef(e.get(0).asText(), e.get(1).asInt(), e.get(2).asInt());
            (rnn && i > 0 ? state : main).add(ref);
            if (e.size() > 3 && e.get(3).has("mask") && !e.get(3).get("mask").isNull()) {
                throw new KerasImportException(source + ": layer '" + lname + "' (" + lcls + ") is called with an explicit mask tensor, "
                        + "which lstm4j does not import");
            }
        }
    }

    /** Every {@code __keras_tensor__} under {@code n} (an argument may be one tensor or a list of them). */
    private static void collectTensors(JsonNode n, List<TensorRef> out, String source) {
        if (n.isArray()) {
            for (JsonNode e : n) {
                collectTensors(e, out, source);
            }
        } else if (n.isObject() && "__keras_tensor__".equals(n.path("class_name").asText())) {
            JsonNode h = n.path("config").path("keras_history");
            if (!h.isArray() || h.size() != 3 || !h.get(0).isTextual()) {
                throw new KerasImportException(source + ": a tensor reference has a malformed keras_history " + clip(h));
            }
            out.add(new TensorRef(h.get(0).asText(), h.get(1).asInt(), h.get(2).asInt()));
        }
    }

    /** {@code [["x", 0, 0], ...]}, or Keras 3's single {@code ["x", 0, 0]}. */
    private static List<TensorRef> refs(JsonNode n, String source, String what) {
        List<TensorRef> out = new ArrayList<>();
        if (n.isArray() && n.size() == 3 && n.get(0).isTextual()) {
            out.add(new TensorRef(n.get(0).asText(), n.get(1).asInt(), n.get(2).asInt()));
            return out;
        }
        if (!n.isArray() || n.isEmpty()) {
            throw new KerasImportException(source + ": the functional model's " + what + " is missing or empty");
        }
        for (JsonNode e : n) {
            if (!e.isArray() || e.size() != 3 || !e.get(0).isTextual()) {
                throw new KerasImportException(source + ": malformed entry in " + what + ": " + clip(e));
            }
            out.add(new TensorRef(e.get(0).asText(), e.get(1).asInt(), e.get(2).asInt()));
        }
        return out;
    }

    /** The major version the file names, else what its dialect says (Keras 3's call nodes and dtype policies). */
    private static int majorVersion(String version, boolean keras3Dialect) {
        if (version != null && !version.isEmpty() && Character.isDigit(version.charAt(0))) {
            return version.charAt(0) - '0';
        }
        return keras3Dialect ? 3 : 2;
    }

    private static String text(JsonNode n, String key, String source, String what) {
        JsonNode v = n.get(key);
        if (v == null || !v.isTextual()) {
            throw new KerasImportException(source + ": " + what + " in the model configuration has no '" + key + "'");
        }
        return v.asText();
    }

    private static String textOrNull(JsonNode n, String key) {
        JsonNode v = n.get(key);
        return v == null || v.isNull() ? null : v.asText();
    }

    static String clip(JsonNode n) {
        String s = String.valueOf(n);
        return s.length() > 120 ? s.substring(0, 120) + "..." : s;
    }
}
