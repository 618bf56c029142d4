package org.lstm4j.keras;

import java.util.Arrays;
import java.util.List;

/**
 * Where a model file keeps its weights, and how to find one layer's: a {@code .keras} archive's
 * {@code model.weights.h5} ({@link ArchiveWeights}) or a legacy {@code .h5} file's
 * {@code model_weights} group ({@link LegacyWeights}). Each weight's declared shape is checked
 * against what the configuration implies before its data is read.
 */
interface KerasWeights {

    /** One weight a layer must have: {@code kernel [3, 20]}. */
    record Spec(String name, int... shape) {
        long elements() {
            long n = 1;
            for (int d : shape) {
                n *= d;
            }
            return n;
        }

        @Override
        public String toString() {
            return name + " " + Arrays.toString(shape);
        }
    }

    /**
     * The weights of one saved object inside a layer, in Keras's order: {@code path} is where a
     * {@code .keras} archive keeps them below the layer ({@code ""} for the layer's own,
     * {@code "cell"} for an LSTM, {@code "forward_layer/cell"}, {@code "layer"} for a wrapper); the
     * legacy format lists all of a layer's weights in one sequence, groups in the given order.
     */
    record Group(String path, List<Spec> weights) {
    }

    /** The layer's weights, group after group, each exactly of its spec's shape. */
    List<float[]> read(KerasLayer layer, List<Group> groups);
}
