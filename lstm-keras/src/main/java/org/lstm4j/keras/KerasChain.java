package org.lstm4j.keras;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.lstm4j.keras.KerasLayer.TensorRef;

/**
 * A model's graph, checked to be what lstm4j runs: one sequence input through a chain of layers,
 * each reading the previous one's output, plus inputs that are an LSTM's initial state and extra
 * outputs of chain layers (an LSTM's final states, a bidirectional layer's two halves). Anything
 * else is refused here, naming the layer: a branch, a layer merging several tensors, a shared
 * layer, an input that is not an initial state.
 *
 * @param inputName   the sequence input's name (its port name)
 * @param inputShape  its declared batch shape, {@code [batch, time, features]}
 * @param layers      the chain after the input, in order (input layers excluded)
 * @param stateInputs inputs fed to a chain layer's {@code initial_state}
 * @param maskInput   the name of an input given to the LSTMs as their {@code mask} (1 valid, 0 masked), or null
 * @param outputs     the model's outputs, in order
 */
record KerasChain(String inputName, JsonNode inputShape, List<KerasLayer> layers, List<StateInput> stateInputs,
                  String maskInput, List<Output> outputs) {

    /** An input that is an RNN layer's initial state; {@code position} is its index in the {@code initial_state} list. */
    record StateInput(String name, KerasLayer rnn, int position) {
    }

    /** Output {@code tensor} of a chain layer (0: its main output). */
    record Output(KerasLayer layer, int tensor) {
    }

    static KerasChain of(KerasConfig cfg, String source) {
        return cfg.sequential() ? sequential(cfg, source) : functional(cfg, source);
    }

    private static KerasChain sequential(KerasConfig cfg, String source) {
        List<KerasLayer> all = cfg.layers();
        KerasLayer first = all.get(0);
        List<KerasLayer> chain = new ArrayList<>(all.subList(first.isInput() ? 1 : 0, all.size()));
        if (chain.isEmpty()) {
            throw new KerasImportException(source + ": the Sequential model has no layers after its input");
        }
        for (KerasLayer l : chain) {
            if (l.isInput()) {
                throw new KerasImportException(source + ": " + l.where() + " appears in the middle of the Sequential model");
            }
        }
        // Keras 2 Sequential models built without an Input carry the shape on their first layer, and name the input '<first>_input'.
        String inputName = first.isInput() ? first.name() : first.name() + "_input";
        return new KerasChain(inputName, batchShape(first), List.copyOf(chain), List.of(), null,
                List.of(new Output(chain.get(chain.size() - 1), 0)));
    }

    private static KerasChain functional(KerasConfig cfg, String source) {
        Map<String, List<KerasLayer>> mainConsumers = new LinkedHashMap<>();
        Map<String, List<KerasLayer>> stateConsumers = new LinkedHashMap<>();
        Map<String, List<KerasLayer>> maskConsumers = new LinkedHashMap<>();
        for (KerasLayer l : cfg.layers()) {
            if (l.mask() != null) {
                maskConsumers.computeIfAbsent(key(l.mask()), k -> new ArrayList<>()).add(l);
            }
            if (l.isOp()) {
                continue;  // a traced mask computation, checked below where an LSTM reads it
            }
            if (l.calls() > 1) {
                throw new KerasImportException(source + ": " + l.where() + " is called " + l.calls() + " times (a shared layer); "
                        + "lstm4j imports chains in which each layer runs once");
            }
            for (TensorRef t : l.inputs()) {
                mainConsumers.computeIfAbsent(key(t), k -> new ArrayList<>()).add(l);
            }
            for (TensorRef t : l.initialState()) {
                stateConsumers.computeIfAbsent(key(t), k -> new ArrayList<>()).add(l);
            }
        }
        KerasLayer sequenceInput = null;
        String maskInput = null;
        List<StateInput> stateInputs = new ArrayList<>();
        for (TensorRef in : cfg.inputs()) {
            KerasLayer l = cfg.layer(in.layer(), source);
            if (!l.isInput()) {
                throw new KerasImportException(source + ": model input " + in + " is not an input layer");
            }
            List<KerasLayer> asState = stateConsumers.getOrDefault(key(in), List.of());
            boolean read = mainConsumers.containsKey(key(in));
            if (!asState.isEmpty() && !read && asState.size() == 1) {
                stateInputs.add(new StateInput(l.name(), asState.get(0), asState.get(0).initialState().indexOf(in)));
            } else if (asState.isEmpty() && !read && maskConsumers.containsKey(key(in)) && maskInput == null) {
                maskInput = l.name();
            } else if (sequenceInput == null) {
                sequenceInput = l;
            } else {
                throw new KerasImportException(source + ": the model has " + cfg.inputs().size() + " inputs " + names(cfg.inputs())
                        + "; lstm4j imports models with one sequence input (plus the initial states of an LSTM)");
            }
        }
        if (sequenceInput == null) {
            throw new KerasImportException(source + ": the model has no sequence input (every input is an initial state)");
        }
        List<KerasLayer> chain = new ArrayList<>();
        KerasLayer current = sequenceInput;
        while (true) {
            List<KerasLayer> next = mainConsumers.getOrDefault(current.name() + "#0", List.of());
            if (next.isEmpty()) {
                break;
            }
            if (next.size() > 1) {
                throw new KerasImportException(source + ": the output of " + current.where() + " feeds " + next.size() + " layers "
                        + next.stream().map(KerasLayer::name).toList() + ": a branching graph; lstm4j imports chains of layers");
            }
            KerasLayer l = next.get(0);
            if (l == sequenceInput || chain.contains(l)) {
                throw new KerasImportException(source + ": " + l.where() + " reads its own output (a cycle in the graph); "
                        + "the model configuration is corrupt");
            }
            if (l.inputs().size() != 1) {
                throw new KerasImportException(source + ": " + l.where() + " merges " + l.inputs().size() + " tensors "
                        + l.inputs() + "; lstm4j imports chains in which each layer reads one tensor");
            }
            if (l.inputs().get(0).node() != 0) {
                throw new KerasImportException(source + ": " + l.where() + " reads a second call of " + current.where()
                        + " (a shared layer); lstm4j imports chains in which each layer runs once");
            }
            chain.add(l);
            current = l;
        }
        if (chain.isEmpty()) {
            throw new KerasImportException(source + ": no layer reads the model input '" + sequenceInput.name() + "'");
        }
        for (KerasLayer l : cfg.layers()) {
            if (!l.isInput() && !l.isOp() && !chain.contains(l)) {
                throw new KerasImportException(source + ": " + l.where() + " is not on the chain from input '" + sequenceInput.name()
                        + "' to the output (reads " + l.inputs() + "): a branching graph; lstm4j imports chains of layers");
            }
        }
        for (KerasLayer l : chain) {
            if (!l.initialState().isEmpty() && stateInputs.stream().filter(s -> s.rnn() == l).count() != l.initialState().size()) {
                throw new KerasImportException(source + ": " + l.where() + " takes its initial state " + l.initialState()
                        + " from other layers; lstm4j imports initial states that are model inputs");
            }
        }
        for (Map.Entry<String, List<KerasLayer>> e : mainConsumers.entrySet()) {
            if (!e.getKey().endsWith("#0")) {
                throw new KerasImportException(source + ": " + e.getValue().get(0).where() + " reads output "
                        + e.getKey().substring(e.getKey().indexOf('#') + 1) + " of layer '" + e.getKey().substring(0, e.getKey().indexOf('#'))
                        + "' (a state or one direction): a branching graph; lstm4j imports chains of layers");
            }
        }
        checkMask(cfg, sequenceInput, chain, maskInput, source);
        List<Output> outputs = new ArrayList<>();
        KerasLayer end = chain.get(chain.size() - 1);
        for (TensorRef o : cfg.outputs()) {
            KerasLayer l = cfg.layer(o.layer(), source);
            if (!chain.contains(l) || o.node() != 0) {
                throw new KerasImportException(source + ": model output " + o + " is not computed by the chain of layers");
            }
            if (o.tensor() == 0 && l != end) {
                throw new KerasImportException(source + ": the model returns the output of " + l.where() + " and also feeds it on to '"
                        + chain.get(chain.indexOf(l) + 1).name() + "': a branching graph; lstm4j imports chains of layers");
            }
            if (outputs.contains(new Output(l, o.tensor()))) {
                throw new KerasImportException(source + ": the model returns " + o + " twice");
            }
            outputs.add(new Output(l, o.tensor()));
        }
        return new KerasChain(sequenceInput.name(), batchShape(sequenceInput), List.copyOf(chain), List.copyOf(stateInputs),
                maskInput, List.copyOf(outputs));
    }

    /**
     * The mask the chain's LSTMs read, as Keras 3 writes it into a functional model: an input of the
     * model, or the mask Keras traced from a {@code Masking} layer ({@code any(not_equal(x, mask_value),
     * axis=-1)}) or from {@code Embedding(mask_zero=True)} ({@code not_equal(ids, 0)}). lstm4j applies
     * a model's mask to every LSTM layer, so every LSTM of the chain must read the same one; a mask
     * computed any other way is refused. So is a Keras 3 model whose Masking or mask_zero reaches no
     * LSTM (Keras 3.15 drops the mask of an LSTM called with {@code initial_state}): lstm4j would mask.
     */
    private static void checkMask(KerasConfig cfg, KerasLayer input, List<KerasLayer> chain, String maskInput, String source) {
        TensorRef mask = null;
        for (KerasLayer l : chain) {
            if (l.mask() != null && mask != null && !l.mask().equals(mask)) {
                throw new KerasImportException(source + ": " + l.where() + " reads the mask " + l.mask() + " where the layers before "
                        + "it read " + mask + "; lstm4j applies one mask to every LSTM layer");
            }
            mask = l.mask() != null ? l.mask() : mask;
        }
        if (mask == null) {
            requireNoDroppedMask(cfg, chain, source);
            return;
        }
        for (KerasLayer l : chain) {
            boolean recurrent = l.className().equals("LSTM") || l.className().equals("Bidirectional");
            if (recurrent && l.mask() == null) {
                throw new KerasImportException(source + ": " + l.where() + " reads no mask while other layers read " + mask
                        + "; lstm4j applies one mask to every LSTM layer");
            }
        }
        if (mask.layer().equals(maskInput)) {
            return;
        }
        KerasLayer op = cfg.layer(mask.layer(), source);
        KerasLayer first = chain.get(0);
        boolean anyOverFeatures = op.className().equals("Any") && op.config().path("axis").asInt(0) == -1
                && !op.config().path("keepdims").asBoolean(false) && op.inputs().size() == 1;
        KerasLayer notEqual = anyOverFeatures ? cfg.layer(op.inputs().get(0).layer(), source) : op;
        JsonNode args = notEqual.call() == null ? null : notEqual.call().path("args");
        boolean comparesInput = notEqual.isOp() && notEqual.className().equals("NotEqual") && notEqual.inputs().size() == 1
                && notEqual.inputs().get(0).layer().equals(input.name()) && args != null && args.size() == 2 && args.get(1).isNumber();
        boolean masking = comparesInput && anyOverFeatures && first.className().equals("Masking")
                && args.get(1).asDouble() == first.config().path("mask_value").asDouble(0);
        boolean maskZero = comparesInput && !anyOverFeatures && first.className().equals("Embedding")
                && first.config().path("mask_zero").asBoolean(false) && args.get(1).asDouble() == 0;
        if (!masking && !maskZero) {
            throw new KerasImportException(source + ": the LSTMs read a mask computed by layer '" + op.name() + "' (" + op.className()
                    + "), which is not the mask of a Masking layer, of Embedding(mask_zero=True) or an input of the model; "
                    + "lstm4j cannot import that mask");
        }
    }

    private static void requireNoDroppedMask(KerasConfig cfg, List<KerasLayer> chain, String source) {
        if (cfg.kerasMajor() < 3) {
            return;  // Keras 2 writes no masks into the configuration: they reach every LSTM after the layer that makes them
        }
        for (KerasLayer l : chain) {
            boolean masks = l.className().equals("Masking")
                    || l.className().equals("Embedding") && l.config().path("mask_zero").asBoolean(false);
            if (masks) {
                throw new KerasImportException(source + ": " + l.where() + " makes a mask that no LSTM of the model reads (Keras 3 "
                        + "drops it when an LSTM is called with initial_state), so Keras ignores it where lstm4j would mask; pass "
                        + "the mask explicitly (lstm(x, mask=..., initial_state=...)) or remove the layer's masking");
            }
        }
    }

    /** Keras 3's {@code batch_shape}, Keras 2's {@code batch_input_shape}. */
    private static JsonNode batchShape(KerasLayer l) {
        JsonNode c = l.config();
        return c.has("batch_shape") ? c.get("batch_shape") : c.path("batch_input_shape");
    }

    private static String key(TensorRef t) {
        return t.layer() + "#" + t.tensor();
    }

    private static List<String> names(List<TensorRef> refs) {
        return refs.stream().map(TensorRef::layer).toList();
    }
}
