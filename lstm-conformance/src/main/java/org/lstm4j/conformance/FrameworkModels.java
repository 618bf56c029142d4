package org.lstm4j.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.lstm4j.model.Activation;
import org.lstm4j.model.ActivationLayer;
import org.lstm4j.model.DenseLayer;
import org.lstm4j.model.Direction;
import org.lstm4j.model.EmbeddingLayer;
import org.lstm4j.model.LstmLayer;
import org.lstm4j.model.MaskedOutput;
import org.lstm4j.model.MaskingLayer;
import org.lstm4j.model.MergeMode;
import org.lstm4j.model.OutputMode;
import org.lstm4j.model.Port;
import org.lstm4j.model.SequenceModel;
import org.lstm4j.predict.PortBinding;
import org.lstm4j.predict.SequenceBatch;
import org.lstm4j.testing.Fixture;
import org.lstm4j.weights.DenseWeights;
import org.lstm4j.weights.EmbeddingWeights;
import org.lstm4j.weights.LstmWeights;

/**
 * Builds a fixture's model from the framework's own weight arrays ({@code framework/*.npy}, as
 * PyTorch's {@code state_dict} or Keras's {@code get_weights()} hold them) through the layout
 * converters, without the ONNX importer. Comparing its predictions with the framework's outputs
 * checks each converter, and the model semantics, against the framework itself.
 */
public final class FrameworkModels {
    private FrameworkModels() {
    }

    /** A model and the batch its fixture's inputs make. */
    public record Built(SequenceModel model, SequenceBatch batch) {
    }

    /** The groups whose fixtures carry framework weight arrays and an "architecture" that {@link #build} reads. */
    private static final List<String> GROUPS = List.of("pytorch", "keras", "pytorch-text", "keras-masks");

    /** Whether {@link #build} knows the fixture's framework. */
    public static boolean supports(Fixture f) {
        return GROUPS.contains(f.group()) && f.json().path("architecture").size() > 0;
    }

    public static Built build(Fixture f) {
        SequenceModel m = f.group().startsWith("pytorch") ? pytorch(f) : keras(f);
        return new Built(m, PortBinding.batchOf(m, f.floatInputs(), f.integerInputs()));
    }

    // ------------------------------------------------------------------ PyTorch nn.LSTM (+ nn.ReLU, nn.Linear)

    private static SequenceModel pytorch(Fixture f) {
        JsonNode a = f.json().get("architecture");
        int in = a.get("input_size").asInt();
        int h = a.get("hidden_size").asInt();
        int layers = a.get("num_layers").asInt();
        boolean bidi = a.get("bidirectional").asBoolean();
        boolean batchFirst = a.get("batch_first").asBoolean();
        String head = a.path("head").isNull() ? "" : a.path("head").asText("");
        boolean lastStep = head.contains("last step");
        // The last layer's final state: h_n[-1] of one direction, or cat(h_n[-2], h_n[-1]) of both.
        boolean finalState = head.contains("h_n[-1]");
        if (finalState && bidi && !head.contains("cat(h_n[-2], h_n[-1])")) {
            throw new IllegalArgumentException(f.id() + ": h_n[-1] of a bidirectional LSTM is its backward direction alone");
        }
        boolean tokens = a.has("vocab");
        SequenceModel.Builder b = SequenceModel.builder(tokens ? a.get("vocab").asInt() : in).name(f.id());
        if (tokens) {
            int vocab = a.get("vocab").asInt();
            EmbeddingLayer e = EmbeddingLayer.of("embedding", EmbeddingWeights.fromPyTorch(vocab, a.get("embedding_dim").asInt(),
                    array(f, "embedding.weight")));
            b.add(a.path("padding_idx").isInt() ? e.withPaddingIndex(a.get("padding_idx").asInt()) : e);
        }
        int width = in;
        for (int k = 0; k < layers; k++) {
            List<LstmWeights> w = new ArrayList<>();
            for (String suffix : bidi ? List.of("", "_reverse") : List.of("")) {
                w.add(LstmWeights.fromPyTorch(width, h, array(f, "weight_ih_l" + k + suffix), array(f, "weight_hh_l" + k + suffix),
                        f.frameworkArray("bias_ih_l" + k + suffix).orElse(null), f.frameworkArray("bias_hh_l" + k + suffix).orElse(null)));
            }
            boolean last = k == layers - 1;
            b.add(LstmLayer.builder(width, h).name("lstm_l" + k).direction(bidi ? Direction.BIDIRECTIONAL : Direction.FORWARD)
                    .outputMode(last && lastStep ? OutputMode.LAST_STEP : last && finalState ? OutputMode.FINAL_STATE : OutputMode.SEQUENCES)
                    .weights(w).build());
            width = bidi ? 2 * h : h;
        }
        if (!head.isEmpty()) {
            if (a.path("relu_before_head").asBoolean()) {
                b.add(ActivationLayer.of("relu", width, Activation.relu()));
            }
            int units = a.get("head_units").asInt();
            b.add(DenseLayer.of("linear", DenseWeights.fromPyTorch(width, units, array(f, "linear.weight"),
                    f.frameworkArray("linear.bias").orElse(null)), pytorchActivation(a.path("head_activation").asText("none"))));
        }
        Port.Layout seq = batchFirst ? Port.Layout.BATCH_MAJOR : Port.Layout.TIME_MAJOR;
        List<Integer> all = new ArrayList<>();
        for (int k = 0; k < layers; k++) {
            all.add(k);
        }
        List<Port> ports = new ArrayList<>();
        ports.add(new Port(f.inputNames().get(0), Port.Role.SEQUENCE_INPUT, seq, List.of()));
        int next = 1;
        if (a.path("packed_sequence").asBoolean()) {
            // pack_padded_sequence over the lengths input: ONNX sequence_lens semantics
            ports.add(new Port(f.inputNames().get(next++), Port.Role.SEQUENCE_LENGTHS, Port.Layout.BATCH_MAJOR, List.of()));
        }
        if (a.path("initial_states_in").asBoolean()) {
            ports.add(Port.state(f.inputNames().get(next), Port.Role.INITIAL_HIDDEN, Port.Layout.STACKED, all));
            ports.add(Port.state(f.inputNames().get(next + 1), Port.Role.INITIAL_CELL, Port.Layout.STACKED, all));
        }
        ports.add(new Port(f.outputNames().get(0), Port.Role.OUTPUT, seq, List.of()));
        if (a.path("final_states_out").asBoolean()) {
            ports.add(Port.state(f.outputNames().get(1), Port.Role.FINAL_HIDDEN, Port.Layout.STACKED, all));
            ports.add(Port.state(f.outputNames().get(2), Port.Role.FINAL_CELL, Port.Layout.STACKED, all));
        }
        return b.ports(ports).build();
    }

    // ------------------------------------------------------------------ Keras 3

    private static SequenceModel keras(Fixture f) {
        JsonNode a = f.json().get("architecture");
        JsonNode shape = a.get("input_shapes").get(f.inputNames().get(0));
        JsonNode first = a.get("keras_layers").get(0);
        boolean tokens = "Embedding".equals(first.path("class").asText());
        int in = tokens ? first.get("input_dim").asInt() : shape.get(shape.size() - 1).asInt();
        SequenceModel.Builder b = SequenceModel.builder(in).name(f.id());
        int width = in;
        boolean returnsState = false;
        for (JsonNode l : a.get("keras_layers")) {
            String cls = l.get("class").asText();
            String name = l.path("name").asText(cls.toLowerCase());
            switch (cls) {
                case "Masking":
                    b.add(MaskingLayer.of(name, width, (float) l.path("mask_value").asDouble(0)));
                    break;
                case "Embedding": {
                    int dim = l.get("output_dim").asInt();
                    b.add(EmbeddingLayer.of(name, EmbeddingWeights.fromKeras(width, dim, array(f, name + "_embeddings")))
                            .withMaskZero(l.path("mask_zero").asBoolean()));
                    width = dim;
                    break;
                }
                case "LSTM": {
                    LstmLayer layer = kerasLstm(f, l, name, width, List.of(name)).build();
                    returnsState |= l.path("return_state").asBoolean();
                    b.add(layer);
                    width = layer.outputSize();
                    break;
                }
                case "Bidirectional": {
                    // Keras's Bidirectional sets zero_output_for_mask on its sublayers when they return sequences.
                    LstmLayer layer = kerasLstm(f, l.get("wrapped"), name, width, List.of(name + "_forward", name + "_backward"))
                            .direction(Direction.BIDIRECTIONAL).maskedOutput(MaskedOutput.ZERO)
                            .mergeMode(MergeMode.valueOf(l.get("merge_mode").asText().toUpperCase())).build();
                    b.add(layer);
                    width = layer.outputSize();
                    break;
                }
                case "Dense":
                case "TimeDistributed": {
                    JsonNode d = cls.equals("Dense") ? l : l.get("wrapped");
                    String prefix = cls.equals("Dense") ? name : name + "_dense";
                    int units = d.get("units").asInt();
                    b.add(DenseLayer.of(name, DenseWeights.fromKeras(width, units, array(f, prefix + "_kernel"),
                            f.frameworkArray(prefix + "_bias").orElse(null)), kerasActivation(d.get("activation").asText())));
                    width = units;
                    break;
                }
                default:
                    throw new IllegalArgumentException(f.id() + ": no framework mapping for Keras layer " + cls);
            }
        }
        List<Port> ports = new ArrayList<>();
        ports.add(Port.input(f.inputNames().get(0)));
        f.json().path("mask_inputs").forEach(n -> ports.add(new Port(n.asText(), Port.Role.STEP_MASK, Port.Layout.BATCH_MAJOR, List.of())));
        if (f.inputNames().containsAll(List.of("h0", "c0"))) {
            ports.add(Port.state("h0", Port.Role.INITIAL_HIDDEN, Port.Layout.SQUEEZED, List.of(0)));
            ports.add(Port.state("c0", Port.Role.INITIAL_CELL, Port.Layout.SQUEEZED, List.of(0)));
        }
        ports.add(Port.output(f.outputNames().get(0)));
        if (returnsState) {
            ports.add(Port.state(f.outputNames().get(1), Port.Role.FINAL_HIDDEN, Port.Layout.SQUEEZED, List.of(0)));
            ports.add(Port.state(f.outputNames().get(2), Port.Role.FINAL_CELL, Port.Layout.SQUEEZED, List.of(0)));
        }
        return b.ports(ports).build();
    }

    private static LstmLayer.Builder kerasLstm(Fixture f, JsonNode l, String name, int in, List<String> prefixes) {
        int units = l.get("units").asInt();
        List<LstmWeights> w = new ArrayList<>();
        for (String p : prefixes) {
            w.add(LstmWeights.fromKeras(in, units, array(f, p + "_kernel"), array(f, p + "_recurrent_kernel"),
                    f.frameworkArray(p + "_bias").orElse(null)));
        }
        boolean sequences = l.path("return_sequences").asBoolean();
        boolean backwards = l.path("go_backwards").asBoolean();
        Activation act = kerasActivation(l.get("activation").asText());
        // Keras's default zero_output_for_mask=False: a masked step repeats the previous output.
        boolean zeroOutput = l.path("zero_output_for_mask").asBoolean(false);
        return LstmLayer.builder(in, units).name(name)
                .maskedOutput(zeroOutput ? MaskedOutput.ZERO : MaskedOutput.PREVIOUS)
                .direction(backwards ? Direction.REVERSE : Direction.FORWARD)
                .reversedOutputOrder(backwards && sequences)
                .outputMode(sequences ? OutputMode.SEQUENCES : OutputMode.FINAL_STATE)
                .activations(kerasActivation(l.get("recurrent_activation").asText()), act, act)
                .weights(w);
    }

    /** Keras activation names; Keras 3's hard_sigmoid is relu6(x + 3) / 6. */
    static Activation kerasActivation(String name) {
        switch (name) {
            case "sigmoid": return Activation.sigmoid();
            case "tanh": return Activation.tanh();
            case "relu": return Activation.relu();
            case "hard_sigmoid": return Activation.kerasHardSigmoid();
            case "linear": return Activation.linear();
            case "softmax": return Activation.softmax();
            case "log_softmax": return Activation.logSoftmax();
            default: throw new IllegalArgumentException("no mapping for Keras activation '" + name + "'");
        }
    }

    /** The activation a PyTorch text fixture applies after its Linear head. */
    private static Activation pytorchActivation(String name) {
        switch (name) {
            case "none": return Activation.linear();
            case "softmax": return Activation.softmax();
            case "log_softmax": return Activation.logSoftmax();
            case "sigmoid": return Activation.sigmoid();
            default: throw new IllegalArgumentException("no mapping for head activation '" + name + "'");
        }
    }

    private static float[] array(Fixture f, String name) {
        return f.frameworkArray(name).orElseThrow(() -> new IllegalStateException(f.id() + ": framework/" + name + ".npy is missing"));
    }
}
