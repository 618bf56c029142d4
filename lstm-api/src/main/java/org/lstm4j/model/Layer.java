package org.lstm4j.model;

/**
 * One layer of a {@link SequenceModel}: an {@link LstmLayer}, a {@link DenseLayer}, a standalone
 * {@link ActivationLayer}, or before the first LSTM an {@link EmbeddingLayer} (first, over token ids)
 * and a {@link MaskingLayer}.
 */
public sealed interface Layer permits LstmLayer, DenseLayer, ActivationLayer, EmbeddingLayer, MaskingLayer {

    /** A name for messages (the node name from an imported graph, or one given by the builder). */
    String name();

    /** The feature count this layer reads. */
    int inputSize();

    /** The feature count this layer writes. */
    int outputSize();

    long parameterCount();
}
