package org.lstm4j.model;

import java.util.Objects;
import java.util.OptionalInt;
import org.lstm4j.tensor.IntTensor;
import org.lstm4j.weights.EmbeddingWeights;

/**
 * A token embedding: the first layer of a model over token ids ({@link org.lstm4j.tensor.IntTensor}
 * {@code [batch, time]}), turning id {@code i} into row {@code i} of its table (Keras {@code Embedding},
 * PyTorch {@code nn.Embedding}, ONNX {@code Gather} on axis 0). Ids outside {@code [0, vocabulary)}
 * are refused with an {@link IllegalArgumentException} naming the row, step and id.
 *
 * <p>{@link #masksZero()} is Keras's {@code mask_zero=True}: a step whose id is 0 is masked (see
 * {@link org.lstm4j.predict.StepMask}). {@link #paddingIndex()} is PyTorch's {@code padding_idx}: it
 * only stops that row's gradient in training, so its row is used as stored; it is kept so that
 * nothing an importer read is lost. Immutable.
 */
public final class EmbeddingLayer implements Layer {
    private final String name;
    private final EmbeddingWeights weights;
    private final boolean maskZero;
    private final int paddingIndex;

    private EmbeddingLayer(String name, EmbeddingWeights weights, boolean maskZero, int paddingIndex) {
        this.name = name;
        this.weights = weights;
        this.maskZero = maskZero;
        this.paddingIndex = paddingIndex;
    }

    /** An embedding without a mask or padding index. */
    public static EmbeddingLayer of(String name, EmbeddingWeights weights) {
        return new EmbeddingLayer(Objects.requireNonNull(name, "name"),
                Objects.requireNonNull(weights, "weights of embedding layer '" + name + "'"), false, -1);
    }

    /** The same layer with Keras's {@code mask_zero}: steps whose id is 0 are masked. */
    public EmbeddingLayer withMaskZero(boolean maskZero) {
        return new EmbeddingLayer(name, weights, maskZero, paddingIndex);
    }

    /** The same layer recording PyTorch's {@code padding_idx} (-1 for none); the row is still used as stored. */
    public EmbeddingLayer withPaddingIndex(int paddingIndex) {
        if (paddingIndex < -1 || paddingIndex >= weights.vocabularySize()) {
            throw new IllegalArgumentException("embedding layer '" + name + "': padding index " + paddingIndex + " is outside [0, "
                    + weights.vocabularySize() + ") (-1 for none)");
        }
        return new EmbeddingLayer(name, weights, maskZero, paddingIndex);
    }

    /**
     * Checks that every id lies in {@code [0, vocabulary)}: ids {@code [batch, time]}, or one per stream {@code [streams]}.
     *
     * @throws IllegalArgumentException naming the first bad id, its row and its step, and this layer
     */
    public void requireInVocabulary(IntTensor ids) {
        int time = ids.rank() == 2 ? ids.dim(1) : 1;
        int vocabulary = vocabularySize();
        for (int k = 0; k < ids.size(); k++) {
            int id = ids.get(k);
            if (id < 0 || id >= vocabulary) {
                throw new IllegalArgumentException("token id " + id + " at row " + k / time + ", step " + k % time
                        + " is outside the vocabulary [0, " + vocabulary + ") of embedding layer '" + name + "'");
            }
        }
    }

    @Override
    public String name() {
        return name;
    }

    public EmbeddingWeights weights() {
        return weights;
    }

    public int vocabularySize() {
        return weights.vocabularySize();
    }

    /** Keras {@code mask_zero}: id 0 marks a masked step. */
    public boolean masksZero() {
        return maskZero;
    }

    /** PyTorch's {@code padding_idx}, if any (informational: the row is used as stored). */
    public OptionalInt paddingIndex() {
        return paddingIndex < 0 ? OptionalInt.empty() : OptionalInt.of(paddingIndex);
    }

    /** The ids it reads lie in {@code [0, inputSize())}: the vocabulary size. */
    @Override
    public int inputSize() {
        return weights.vocabularySize();
    }

    /** The embedding dimension. */
    @Override
    public int outputSize() {
        return weights.dimension();
    }

    @Override
    public long parameterCount() {
        return weights.parameterCount();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EmbeddingLayer e && name.equals(e.name) && weights.equals(e.weights) && maskZero == e.maskZero
                && paddingIndex == e.paddingIndex;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, weights, maskZero, paddingIndex);
    }

    @Override
    public String toString() {
        return "Embedding '" + name + "' " + vocabularySize() + " ids -> " + outputSize() + (maskZero ? ", id 0 masks the step" : "")
                + (paddingIndex >= 0 ? ", padding index " + paddingIndex : "");
    }
}
