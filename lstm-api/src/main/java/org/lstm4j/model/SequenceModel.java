package org.lstm4j.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A sequential model of LSTM and dense layers over inputs of {@link #inputSize()} features per
 * step, or over token ids when its first layer is an {@link EmbeddingLayer}, with the graph inputs
 * and outputs it was imported with. Immutable; built with {@link #builder(int)}, which checks that
 * each layer reads what the previous one writes.
 *
 * <p>A predictor takes {@code [batch, time, inputSize]} (or token ids {@code [batch, time]} in
 * {@code [0, inputSize)}) and returns {@code [batch, time, outputSize]} when the last LSTM outputs
 * sequences and every later layer keeps them, else {@code [batch, outputSize]}. Before the first LSTM
 * there may be an embedding (first) and a {@link MaskingLayer}; nothing else.
 */
public final class SequenceModel {

    private final String name;
    private final int inputSize;
    private final List<Layer> layers;
    private final List<Port> ports;
    private final Map<String, String> metadata;

    private SequenceModel(Builder b) {
        this.name = b.name;
        this.inputSize = b.inputSize;
        this.layers = List.copyOf(b.layers);
        this.ports = List.copyOf(b.ports);
        this.metadata = Map.copyOf(b.metadata);
    }

    /**
     * A builder for a model over {@code inputSize} features per step; for a model over token ids, the
     * vocabulary size of its first layer, an {@link EmbeddingLayer}.
     */
    public static Builder builder(int inputSize) {
        return new Builder(inputSize);
    }

    /** A builder holding this model's settings, to derive a variant. */
    public Builder toBuilder() {
        Builder b = new Builder(inputSize).name(name);
        b.layers.addAll(layers);
        b.ports.addAll(ports);
        b.metadata.putAll(metadata);
        return b;
    }

    public String name() {
        return name;
    }

    /** Features per input step; for a model over token ids ({@link #readsTokens()}), the vocabulary size. */
    public int inputSize() {
        return inputSize;
    }

    /** Whether the input is token ids ({@link org.lstm4j.tensor.IntTensor}): the first layer is an {@link EmbeddingLayer}. */
    public boolean readsTokens() {
        return layers.get(0) instanceof EmbeddingLayer;
    }

    /** The embedding layer, for a model over token ids. */
    public Optional<EmbeddingLayer> embedding() {
        return readsTokens() ? Optional.of((EmbeddingLayer) layers.get(0)) : Optional.empty();
    }

    /**
     * Whether the model makes a mask from its input: a {@link MaskingLayer}, or an embedding with
     * {@link EmbeddingLayer#masksZero() mask_zero}.
     */
    public boolean masksInput() {
        return layers.stream().anyMatch(l -> l instanceof MaskingLayer || l instanceof EmbeddingLayer e && e.masksZero());
    }

    public List<Layer> layers() {
        return layers;
    }

    /** The LSTM layers in order; state tensors and {@link Port#lstmLayers()} index this list. */
    public List<LstmLayer> lstmLayers() {
        return layers.stream().filter(l -> l instanceof LstmLayer).map(l -> (LstmLayer) l).collect(Collectors.toList());
    }

    /** Graph inputs and outputs in declaration order. */
    public List<Port> ports() {
        return ports;
    }

    public List<Port> inputPorts() {
        return ports.stream().filter(p -> p.role().isInput()).collect(Collectors.toList());
    }

    public List<Port> outputPorts() {
        return ports.stream().filter(p -> !p.role().isInput()).collect(Collectors.toList());
    }

    /** Free-form key/value pairs carried from the model file (ONNX metadata_props), such as forecasting scales. */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** Features of the final output per step (or per sequence). */
    public int outputSize() {
        return layers.get(layers.size() - 1).outputSize();
    }

    /** Whether the output has a time axis. */
    public boolean outputsSequences() {
        boolean seq = true;
        for (Layer l : layers) {
            if (l instanceof LstmLayer lstm) {
                seq = lstm.outputMode() == OutputMode.SEQUENCES;
            }
        }
        return seq;
    }

    /** Whether every LSTM reads forward, so that the model can run one step at a time. */
    public boolean isStreamable() {
        return lstmLayers().stream().allMatch(l -> l.direction() == Direction.FORWARD);
    }

    public long parameterCount() {
        return layers.stream().mapToLong(Layer::parameterCount).sum();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SequenceModel m && name.equals(m.name) && inputSize == m.inputSize
                && layers.equals(m.layers) && ports.equals(m.ports) && metadata.equals(m.metadata);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, inputSize, layers, ports);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("SequenceModel '").append(name).append("' (input ")
                .append(readsTokens() ? "token ids below " + inputSize : inputSize + " features").append(", ")
                .append(parameterCount()).append(" parameters)");
        for (Layer l : layers) {
            sb.append("\n  ").append(l);
        }
        return sb.toString();
    }

    /** Builds a {@link SequenceModel}; {@link #build()} checks sizes, order and ports. */
    public static final class Builder {
        private String name = "model";
        private final int inputSize;
        private final List<Layer> layers = new ArrayList<>();
        private final List<Port> ports = new ArrayList<>();
        private final Map<String, String> metadata = new LinkedHashMap<>();

        private Builder(int inputSize) {
            this.inputSize = inputSize;
        }

        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        public Builder add(Layer layer) {
            layers.add(Objects.requireNonNull(layer, "layer"));
            return this;
        }

        /** Replaces the default ports ({@code input} and {@code output}, batch-major). */
        public Builder ports(List<Port> ports) {
            this.ports.clear();
            this.ports.addAll(ports);
            return this;
        }

        public Builder metadata(String key, String value) {
            metadata.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value of " + key));
            return this;
        }

        public SequenceModel build() {
            if (inputSize < 1) {
                throw new IllegalArgumentException("model '" + name + "': input size must be at least 1, got " + inputSize);
            }
            if (layers.isEmpty()) {
                throw new IllegalArgumentException("model '" + name + "' has no layers");
            }
            if (layers.stream().noneMatch(l -> l instanceof LstmLayer)) {
                throw new IllegalArgumentException("model '" + name + "' has no LSTM layer");
            }
            int width = inputSize;
            boolean sequences = true;
            boolean seenLstm = false;
            String previous = "the model input";
            for (Layer l : layers) {
                if (l instanceof EmbeddingLayer && l != layers.get(0)) {
                    throw new IllegalArgumentException("model '" + name + "': embedding layer '" + l.name()
                            + "' must be the first layer (it reads the token ids)");
                }
                if (!seenLstm && !(l instanceof LstmLayer || l instanceof EmbeddingLayer || l instanceof MaskingLayer)) {
                    throw new IllegalArgumentException("model '" + name + "': layer '" + l.name() + "' comes before the first LSTM, "
                            + "where only an embedding and a masking layer may be, got " + l);
                }
                if (seenLstm && l instanceof MaskingLayer) {
                    throw new IllegalArgumentException("model '" + name + "': masking layer '" + l.name()
                            + "' must come before the first LSTM layer");
                }
                seenLstm |= l instanceof LstmLayer;
                if (l instanceof EmbeddingLayer && l.inputSize() != width) {
                    throw new IllegalArgumentException("model '" + name + "': embedding layer '" + l.name() + "' has a vocabulary of "
                            + l.inputSize() + " ids but the model was built for " + width + " (SequenceModel.builder(vocabulary))");
                }
                if (l.inputSize() != width) {
                    throw new IllegalArgumentException("model '" + name + "': layer '" + l.name() + "' reads " + l.inputSize()
                            + " features but " + previous + " gives " + width);
                }
                if (l instanceof LstmLayer lstm) {
                    if (!sequences) {
                        throw new IllegalArgumentException("model '" + name + "': LSTM layer '" + l.name() + "' needs a sequence but "
                                + previous + " outputs one vector per sequence (set its output mode to SEQUENCES)");
                    }
                    sequences = lstm.outputMode() == OutputMode.SEQUENCES;
                }
                width = l.outputSize();
                previous = "layer '" + l.name() + "'";
            }
            if (ports.isEmpty()) {
                ports.add(Port.input("input"));
                ports.add(Port.output("output"));
            }
            checkPorts();
            return new SequenceModel(this);
        }

        private void checkPorts() {
            int lstmCount = (int) layers.stream().filter(l -> l instanceof LstmLayer).count();
            List<String> names = new ArrayList<>();
            int sequenceInputs = 0;
            int outputs = 0;
            for (Port p : ports) {
                if (names.contains(p.name())) {
                    throw new IllegalArgumentException("model '" + name + "': two ports are named '" + p.name() + "'");
                }
                names.add(p.name());
                if (p.role() == Port.Role.SEQUENCE_INPUT) {
                    sequenceInputs++;
                }
                if (p.role() == Port.Role.OUTPUT) {
                    outputs++;
                }
                for (int i : p.lstmLayers()) {
                    if (i < 0 || i >= lstmCount) {
                        throw new IllegalArgumentException("model '" + name + "': port '" + p.name() + "' names LSTM layer " + i
                                + " but the model has " + lstmCount);
                    }
                }
                if (p.layout() == Port.Layout.SQUEEZED) {
                    LstmLayer l = (LstmLayer) layers.stream().filter(x -> x instanceof LstmLayer).toList().get(p.lstmLayers().get(0));
                    if (l.directionCount() != 1) {
                        throw new IllegalArgumentException("model '" + name + "': port '" + p.name()
                                + "' is a squeezed state but LSTM layer '" + l.name() + "' has two directions");
                    }
                }
            }
            if (sequenceInputs != 1) {
                throw new IllegalArgumentException("model '" + name + "': exactly one sequence input port is needed, got " + sequenceInputs);
            }
            if (outputs > 1) {
                throw new IllegalArgumentException("model '" + name + "': at most one output port is supported, got " + outputs);
            }
        }
    }
}
