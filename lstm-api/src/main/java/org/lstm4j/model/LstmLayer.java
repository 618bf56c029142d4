package org.lstm4j.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.lstm4j.weights.LstmWeights;

/**
 * An LSTM layer: sizes, direction, what it outputs, its activations and options, and the
 * canonical weights of each direction (see {@link LstmWeights} for the equations). Immutable;
 * built with {@link #builder(int, int)} and checked on construction.
 */
public final class LstmLayer implements Layer {

    private final String name;
    private final int inputSize;
    private final int hiddenSize;
    private final Direction direction;
    private final MergeMode mergeMode;
    private final OutputMode outputMode;
    private final boolean reversedOutputOrder;
    private final Activation gateActivation;
    private final Activation cellActivation;
    private final Activation hiddenActivation;
    private final float cellClip;
    private final boolean coupledInputForget;
    private final MaskedOutput maskedOutput;
    private final List<LstmWeights> weights;

    private LstmLayer(Builder b) {
        this.name = b.name;
        this.inputSize = b.inputSize;
        this.hiddenSize = b.hiddenSize;
        this.direction = b.direction;
        this.mergeMode = b.mergeMode;
        this.outputMode = b.outputMode;
        this.reversedOutputOrder = b.reversedOutputOrder;
        this.gateActivation = b.gateActivation;
        this.cellActivation = b.cellActivation;
        this.hiddenActivation = b.hiddenActivation;
        this.cellClip = b.cellClip;
        this.coupledInputForget = b.coupledInputForget;
        this.maskedOutput = b.maskedOutput;
        this.weights = List.copyOf(b.weights);
    }

    public static Builder builder(int inputSize, int hiddenSize) {
        return new Builder(inputSize, hiddenSize);
    }

    /** A builder starting from this layer's settings. */
    public Builder toBuilder() {
        Builder b = new Builder(inputSize, hiddenSize);
        b.name = name;
        b.direction = direction;
        b.mergeMode = mergeMode;
        b.outputMode = outputMode;
        b.reversedOutputOrder = reversedOutputOrder;
        b.gateActivation = gateActivation;
        b.cellActivation = cellActivation;
        b.hiddenActivation = hiddenActivation;
        b.cellClip = cellClip;
        b.coupledInputForget = coupledInputForget;
        b.maskedOutput = maskedOutput;
        b.weights.addAll(weights);
        return b;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int inputSize() {
        return inputSize;
    }

    public int hiddenSize() {
        return hiddenSize;
    }

    public Direction direction() {
        return direction;
    }

    /** How the two directions merge; {@link MergeMode#CONCAT} for one direction (where it has no effect). */
    public MergeMode mergeMode() {
        return mergeMode;
    }

    public OutputMode outputMode() {
        return outputMode;
    }

    /** Keras {@code go_backwards=True} with {@code return_sequences=True}: the sequence output comes out reversed in time. */
    public boolean reversedOutputOrder() {
        return reversedOutputOrder;
    }

    /** f in the equations (sigmoid by default). */
    public Activation gateActivation() {
        return gateActivation;
    }

    /** g in the equations (tanh by default). */
    public Activation cellActivation() {
        return cellActivation;
    }

    /** h in the equations (tanh by default). */
    public Activation hiddenActivation() {
        return hiddenActivation;
    }

    public boolean hasCellClip() {
        return !Float.isNaN(cellClip);
    }

    /** The clip threshold, or NaN for none. */
    public float cellClip() {
        return cellClip;
    }

    /** ONNX {@code input_forget=1}: f_t = 1 - i_t. */
    public boolean coupledInputForget() {
        return coupledInputForget;
    }

    public boolean hasPeepholes() {
        return weights.get(0).hasPeepholes();
    }

    /** What a sequence output holds at masked steps ({@link MaskedOutput#ZERO} unless an importer says otherwise). */
    public MaskedOutput maskedOutput() {
        return maskedOutput;
    }

    /** The weights of each direction: forward first, then backward. */
    public List<LstmWeights> weights() {
        return weights;
    }

    public int directionCount() {
        return direction.count();
    }

    /** Features per step after merging the directions. */
    @Override
    public int outputSize() {
        return direction == Direction.BIDIRECTIONAL ? mergeMode.width(hiddenSize) : hiddenSize;
    }

    /** Whether the default activations (sigmoid, tanh, tanh) are in use. */
    public boolean hasDefaultActivations() {
        return gateActivation.equals(Activation.sigmoid()) && cellActivation.equals(Activation.tanh())
                && hiddenActivation.equals(Activation.tanh());
    }

    @Override
    public long parameterCount() {
        long n = 0;
        for (LstmWeights w : weights) {
            n += w.parameterCount();
        }
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LstmLayer l && name.equals(l.name) && inputSize == l.inputSize && hiddenSize == l.hiddenSize
                && direction == l.direction && mergeMode == l.mergeMode && outputMode == l.outputMode
                && reversedOutputOrder == l.reversedOutputOrder && gateActivation.equals(l.gateActivation)
                && cellActivation.equals(l.cellActivation) && hiddenActivation.equals(l.hiddenActivation)
                && Float.compare(cellClip, l.cellClip) == 0 && coupledInputForget == l.coupledInputForget
                && maskedOutput == l.maskedOutput && weights.equals(l.weights);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, inputSize, hiddenSize, direction, outputMode, weights);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("LSTM '").append(name).append("' ").append(inputSize).append(" -> ").append(hiddenSize);
        sb.append(", ").append(direction.name().toLowerCase());
        if (direction == Direction.BIDIRECTIONAL) {
            sb.append(" (merge ").append(mergeMode.name().toLowerCase()).append(')');
        }
        sb.append(", output ").append(outputMode.name().toLowerCase());
        if (reversedOutputOrder) {
            sb.append(" (reversed in time, as Keras go_backwards)");
        }
        if (!hasDefaultActivations()) {
            sb.append(", activations ").append(gateActivation).append('/').append(cellActivation).append('/').append(hiddenActivation);
        }
        if (hasCellClip()) {
            sb.append(", clip ").append(cellClip);
        }
        if (coupledInputForget) {
            sb.append(", coupled input-forget");
        }
        if (hasPeepholes()) {
            sb.append(", peepholes");
        }
        if (maskedOutput == MaskedOutput.PREVIOUS) {
            sb.append(", masked steps repeat the previous output");
        }
        return sb.toString();
    }

    /** Builds an {@link LstmLayer}; {@link #build()} checks that every size agrees. */
    public static final class Builder {
        private String name = "lstm";
        private final int inputSize;
        private final int hiddenSize;
        private Direction direction = Direction.FORWARD;
        private MergeMode mergeMode = MergeMode.CONCAT;
        private OutputMode outputMode = OutputMode.SEQUENCES;
        private boolean reversedOutputOrder;
        private Activation gateActivation = Activation.sigmoid();
        private Activation cellActivation = Activation.tanh();
        private Activation hiddenActivation = Activation.tanh();
        private float cellClip = Float.NaN;
        private boolean coupledInputForget;
        private MaskedOutput maskedOutput = MaskedOutput.ZERO;
        private final List<LstmWeights> weights = new ArrayList<>();

        private Builder(int inputSize, int hiddenSize) {
            this.inputSize = inputSize;
            this.hiddenSize = hiddenSize;
        }

        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        public Builder direction(Direction direction) {
            this.direction = Objects.requireNonNull(direction, "direction");
            return this;
        }

        public Builder mergeMode(MergeMode mergeMode) {
            this.mergeMode = Objects.requireNonNull(mergeMode, "mergeMode");
            return this;
        }

        public Builder outputMode(OutputMode outputMode) {
            this.outputMode = Objects.requireNonNull(outputMode, "outputMode");
            return this;
        }

        /** Keras {@code go_backwards}: a reverse layer whose sequence output stays in processing order. */
        public Builder reversedOutputOrder(boolean reversed) {
            this.reversedOutputOrder = reversed;
            return this;
        }

        public Builder activations(Activation gate, Activation cell, Activation hidden) {
            this.gateActivation = Objects.requireNonNull(gate, "gate activation");
            this.cellActivation = Objects.requireNonNull(cell, "cell activation");
            this.hiddenActivation = Objects.requireNonNull(hidden, "hidden activation");
            return this;
        }

        /** Clamp every gate pre-activation to {@code [-clip, clip]}; NaN for none. */
        public Builder cellClip(float clip) {
            this.cellClip = clip;
            return this;
        }

        public Builder coupledInputForget(boolean coupled) {
            this.coupledInputForget = coupled;
            return this;
        }

        /** What a sequence output holds at masked steps; {@link MaskedOutput#PREVIOUS} is Keras's default for a plain LSTM. */
        public Builder maskedOutput(MaskedOutput maskedOutput) {
            this.maskedOutput = Objects.requireNonNull(maskedOutput, "maskedOutput");
            return this;
        }

        /** The weights of each direction: one for forward or reverse, forward then backward for bidirectional. */
        public Builder weights(LstmWeights... perDirection) {
            this.weights.clear();
            this.weights.addAll(List.of(perDirection));
            return this;
        }

        public Builder weights(List<LstmWeights> perDirection) {
            this.weights.clear();
            this.weights.addAll(perDirection);
            return this;
        }

        public LstmLayer build() {
            String where = "LSTM layer '" + name + "'";
            if (inputSize < 1 || hiddenSize < 1) {
                throw new IllegalArgumentException(where + ": input size and hidden size must be at least 1, got "
                        + inputSize + " and " + hiddenSize);
            }
            if (weights.size() != direction.count()) {
                throw new IllegalArgumentException(where + ": direction " + direction + " needs weights for " + direction.count()
                        + " direction(s), got " + weights.size());
            }
            for (int d = 0; d < weights.size(); d++) {
                LstmWeights w = weights.get(d);
                if (w.inputSize() != inputSize || w.hiddenSize() != hiddenSize) {
                    throw new IllegalArgumentException(where + ": weights of direction " + d + " are for input size "
                            + w.inputSize() + " and hidden size " + w.hiddenSize() + ", the layer has " + inputSize + " and " + hiddenSize);
                }
                if (w.hasPeepholes() != weights.get(0).hasPeepholes()) {
                    throw new IllegalArgumentException(where + ": peepholes must be given for both directions or neither");
                }
            }
            for (Activation a : List.of(gateActivation, cellActivation, hiddenActivation)) {
                if (!a.kind().isElementwise() || a.kind() == Activation.Kind.LINEAR) {
                    throw new IllegalArgumentException(where + ": " + a + " is not an LSTM activation (use Affine(1, 0) for identity)");
                }
            }
            if (!Float.isNaN(cellClip) && !(cellClip > 0 && Float.isFinite(cellClip))) {
                throw new IllegalArgumentException(where + ": cell clip must be positive and finite, got " + cellClip);
            }
            if (maskedOutput == MaskedOutput.PREVIOUS && direction == Direction.BIDIRECTIONAL) {
                throw new IllegalArgumentException(where + ": masked steps can repeat the previous output in one direction only; "
                        + "a bidirectional layer outputs zeros there (Keras's Bidirectional does)");
            }
            if (reversedOutputOrder && direction != Direction.REVERSE) {
                throw new IllegalArgumentException(where + ": reversed output order (Keras go_backwards) needs direction REVERSE, got " + direction);
            }
            return new LstmLayer(this);
        }
    }
}
