package org.lstm4j.keras;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The layer handlers by Keras class name, and the refusal of every other layer with the reason
 * that fits it (Python code, a custom class, another recurrent family, a nested model, or simply a
 * layer outside what lstm4j runs). A new family is a new handler registered here.
 */
final class LayerHandlers {
    private LayerHandlers() {
    }

    private static final Map<String, LayerHandler> HANDLERS = new HashMap<>();

    static {
        HANDLERS.put("LSTM", LstmLayers.LSTM);
        HANDLERS.put("Bidirectional", LstmLayers.BIDIRECTIONAL);
        HANDLERS.put("Dense", DenseLayers.DENSE);
        HANDLERS.put("TimeDistributed", DenseLayers.TIME_DISTRIBUTED);
        HANDLERS.put("Embedding", InputLayers.EMBEDDING);
        HANDLERS.put("Masking", InputLayers.MASKING);
        HANDLERS.putAll(ActivationLayers.ELEMENTWISE);
    }

    private static final List<String> OTHER_RECURRENT = List.of("GRU", "SimpleRNN", "RNN", "ConvLSTM1D", "ConvLSTM2D", "ConvLSTM3D",
            "LSTMCell", "GRUCell", "CuDNNLSTM", "CuDNNGRU");
    private static final List<String> MODELS = List.of("Sequential", "Functional", "Model");

    static final String SUPPORTED = "InputLayer, Embedding, Masking, LSTM, Bidirectional(LSTM), Dense, TimeDistributed(Dense), "
            + "Activation, ReLU, LeakyReLU, ELU, Softmax, Dropout and the other noise layers";

    /** The handler for {@code l}, or a refusal that names the layer, its class and why. */
    static LayerHandler of(KerasLayer l, MappingContext ctx) {
        LayerHandler h = HANDLERS.get(l.className());
        if (h != null && !l.isCustom()) {
            return h;
        }
        String cls = l.className();
        if (cls.equals("Lambda")) {
            throw ctx.refuse(l, "holds Python code, which lstm4j cannot import: replace it with built-in layers (Activation, Dense, "
                    + "...) or apply it to the inputs or outputs outside the model");
        }
        if (l.isCustom()) {
            throw ctx.refuse(l, "is a custom layer (a Python class of its own"
                    + (l.registeredName() != null ? ", registered as '" + l.registeredName() + "'" : "") + "), which lstm4j cannot "
                    + "import: it imports built-in Keras layers (" + SUPPORTED + ")");
        }
        if (OTHER_RECURRENT.contains(cls)) {
            throw ctx.refuse(l, "is outside the LSTM family lstm4j runs (" + SUPPORTED + ")");
        }
        if (MODELS.contains(cls)) {
            throw ctx.refuse(l, "is a nested model; lstm4j imports a flat chain of layers: rebuild it without nesting");
        }
        throw ctx.refuse(l, "is not a layer lstm4j imports (" + SUPPORTED + ")");
    }
}
