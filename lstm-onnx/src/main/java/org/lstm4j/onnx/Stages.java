package org.lstm4j.onnx;

import java.util.ArrayList;
import java.util.List;
import org.lstm4j.model.Activation;
import org.lstm4j.model.Direction;
import org.lstm4j.model.MergeMode;
import org.lstm4j.model.OutputMode;
import org.lstm4j.model.Port;
import org.lstm4j.weights.LstmWeights;

/**
 * The layers found in a graph, each knowing the stream it read: following those links back from
 * the graph output gives the model's chain of layers. Package-private.
 */
final class Stages {
    private Stages() {
    }

    /**
     * How a layer (or the graph output) reads the previous stage: the axis roles of the tensor it
     * sees, and for an LSTM stage which of its outputs (every step, the last step, the final
     * state), merged how.
     */
    record Stream(Stage stage, Values.Role[] roles, Values.Dim[] dims, OutputMode mode, MergeMode merge,
                  boolean reversed, Port.Layout rawLayout) {
        int width() {
            return (int) dims[dims.length - 1].value;
        }

        boolean hasTime() {
            for (Values.Role r : roles) {
                if (r == Values.Role.TIME) {
                    return true;
                }
            }
            return false;
        }
    }

    abstract static class Stage {
        final String name;
        Stream prev;

        Stage(String name) {
            this.name = name;
        }
    }

    /** The graph's sequence input. */
    static final class InputStage extends Stage {
        final Values.Source source;
        /** Decided by the first LSTM that reads it. */
        Port.Layout layout;

        InputStage(String name, Values.Source source) {
            super(name);
            this.source = source;
        }

        @Override
        public String toString() {
            return "graph input '" + name + "'";
        }
    }

    /** A token embedding: the rows of {@code table} [vocabulary, dimension] that the ids of a graph input pick. */
    static final class EmbeddingStage extends Stage {
        final int vocabulary;
        final int dimension;
        final float[] table;

        EmbeddingStage(String name, int vocabulary, int dimension, float[] table) {
            super(name);
            this.vocabulary = vocabulary;
            this.dimension = dimension;
            this.table = table;
        }

        @Override
        public String toString() {
            return "embedding (Gather node '" + name + "')";
        }
    }

    /** Where an LSTM's initial state comes from: rows of a graph input. */
    record StateFeed(String port, Port.Role role, Port.Layout layout, long rowLo, int rows) {
    }

    static final class LstmStage extends Stage {
        final String opType = "LSTM";
        int inputSize;
        int hiddenSize;
        Direction direction;
        int layout;
        Activation f;
        Activation g;
        Activation h;
        float clip = Float.NaN;
        boolean inputForget;
        List<LstmWeights> weights = new ArrayList<>();
        String seqLensPort;
        /**
         * A forward ONNX LSTM over a time-reversed input (Keras go_backwards as Keras and tf2onnx write it): the
         * stage is a reverse layer whose Y is in processing order, so that one reversal is the stage's own and
         * belongs to its reversed output order, not to a layer that reads Y.
         */
        boolean overReversedInput;
        /** The source of Y_h, for Keras's bidirectional final output built from Y's last forward and first backward step. */
        Values.Source yh;
        final List<StateFeed> feeds = new ArrayList<>();

        LstmStage(String name) {
            super(name);
        }

        int directions() {
            return direction.count();
        }

        @Override
        public String toString() {
            return "LSTM node '" + name + "'";
        }
    }

    static final class DenseStage extends Stage {
        final String opType;
        final int inputSize;
        final int units;
        /** Null for a standalone activation (an activation node with no MatMul/Gemm of its own): no weights at all. */
        final float[] kernel;
        final float[] bias;
        final Activation activation;
        final Values.Source source;
        /**
         * For a dense layer applied to one time step of a sequence (Keras TimeDistributed unrolled by tf2onnx):
         * the step's index on the sequence read, the number of steps, and the whole sequence as a stream.
         */
        int step = -1;
        int steps;
        boolean stepReversed;

        DenseStage(String name, String opType, Stream prev, int inputSize, int units, float[] kernel, float[] bias,
                   Activation activation, Values.Role[] roles, Values.Dim[] inDims) {
            super(name);
            this.opType = opType;
            this.prev = prev;
            this.inputSize = inputSize;
            this.units = units;
            this.kernel = kernel;
            this.bias = bias;
            this.activation = activation;
            Values.Dim[] dims = inDims.clone();
            dims[dims.length - 1] = Values.Dim.of(units);
            this.source = new Values.Source(Values.Kind.DENSE, this, null, dims, roles.clone());
        }

        /** An elementwise activation (or softmax) over {@code width} features that keeps the width: an ActivationLayer. */
        static DenseStage standaloneActivation(String name, String opType, Stream prev, int width, Activation activation,
                                               Values.Role[] roles, Values.Dim[] inDims) {
            return new DenseStage(name, opType, prev, width, width, null, null, activation, roles, inDims);
        }

        DenseStage withBias(String nodeName, float[] b) {
            return perStep(new DenseStage(nodeName, opType, prev, inputSize, units, kernel, b, activation, source.roles, inDims()));
        }

        DenseStage withActivation(String nodeName, Activation a) {
            return perStep(new DenseStage(nodeName, opType, prev, inputSize, units, kernel, bias, a, source.roles, inDims()));
        }

        private Values.Dim[] inDims() {
            Values.Dim[] d = source.dims.clone();
            d[d.length - 1] = Values.Dim.of(inputSize);
            return d;
        }

        private DenseStage perStep(DenseStage d) {
            d.step = step;
            d.steps = steps;
            d.stepReversed = stepReversed;
            return d;
        }

        /** Same weights and activation, reading the same stage. */
        boolean sameLayerAs(DenseStage o) {
            return o.units == units && o.inputSize == inputSize && java.util.Arrays.equals(o.kernel, kernel)
                    && java.util.Arrays.equals(o.bias, bias) && java.util.Objects.equals(o.activation, activation)
                    && o.prev.stage() == prev.stage() && o.prev.merge() == prev.merge();
        }

        @Override
        public String toString() {
            return opType + " node '" + name + "'";
        }
    }
}
