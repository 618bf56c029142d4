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
 * @param outputs     the model's outputs, in order
 */
record KerasChain(String inputName, JsonNode inputShape, List<KerasLayer> layers, List<StateInput> stateInputs,
                  List<Output> outputs) {

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
        return new KerasChain(inputName, batchShape(first), List.copyOf(chain), List.of(),
                List.of(new Output(chain.get(chain.size() - 1), 0)));
    }

    private static KerasChain functional(KerasConfig cfg, String source) {
        Map<String, List<KerasLayer>> mainConsumers = new LinkedHashMap<>();
        Map<String, List<KerasLayer>> stateConsumers = new LinkedHashMap<>();
        for (KerasLayer l : cfg.layers()) {
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
        List<StateInput> stateInputs = new ArrayList<>();
        for (TensorRef in : cfg.inputs()) {
            KerasLayer l = cfg.layer(in.layer(), source);
            if (!l.isInput()) {
                throw new KerasImportException(source + ": model input " + in + " is not an input layer");
            }
            List<KerasLayer> asState = stateConsumers.getOrDefault(key(in), List.of());
            if (!asState.isEmpty() && !mainConsumers.containsKey(key(in)) && asState.size() == 1) {
                stateInputs.add(new StateInput(l.name(), asState.get(0), asState.get(0).initialState().indexOf(in)));
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
            if (!l.isInput() && !chain.contains(l)) {
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
                List.copyOf(outputs));
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
