package org.lstm4j.weights;

import java.util.Arrays;

/**
 * The lookup table of an embedding layer in lstm4j's canonical layout: {@code [vocabulary][dimension]}
 * row-major, row {@code i} being the vector of token id {@code i}. Keras's {@code Embedding.embeddings}
 * ({@code [input_dim, output_dim]}), PyTorch's {@code nn.Embedding.weight} ({@code [num_embeddings,
 * embedding_dim]}) and the data of an ONNX {@code Gather} over axis 0 all use this layout; the named
 * converters exist so that an importer says where its array comes from, as with {@link LstmWeights}.
 * Immutable.
 */
public final class EmbeddingWeights {
    private final int vocabularySize;
    private final int dimension;
    private final float[] table;

    private EmbeddingWeights(int vocabularySize, int dimension, float[] table) {
        this.vocabularySize = vocabularySize;
        this.dimension = dimension;
        this.table = table;
    }

    /** The table {@code [vocabulary][dimension]} row-major; the array is copied. */
    public static EmbeddingWeights of(int vocabularySize, int dimension, float[] table) {
        if (vocabularySize < 1 || dimension < 1) {
            throw new IllegalArgumentException("embedding vocabulary and dimension must be at least 1, got " + vocabularySize
                    + " and " + dimension);
        }
        if (table == null || table.length != (long) vocabularySize * dimension) {
            throw new IllegalArgumentException("embedding table [" + vocabularySize + ", " + dimension + "] needs "
                    + (long) vocabularySize * dimension + " values, got " + (table == null ? "none" : table.length));
        }
        return new EmbeddingWeights(vocabularySize, dimension, table.clone());
    }

    /** From Keras {@code Embedding}: {@code embeddings [input_dim, output_dim]}. */
    public static EmbeddingWeights fromKeras(int inputDim, int outputDim, float[] embeddings) {
        return of(inputDim, outputDim, embeddings);
    }

    /** From PyTorch {@code nn.Embedding}: {@code weight [num_embeddings, embedding_dim]}. */
    public static EmbeddingWeights fromPyTorch(int numEmbeddings, int embeddingDim, float[] weight) {
        return of(numEmbeddings, embeddingDim, weight);
    }

    /** From the data input of an ONNX {@code Gather(data, ids, axis=0)}: {@code [vocabulary, dimension]}. */
    public static EmbeddingWeights fromOnnx(int vocabularySize, int dimension, float[] gatherData) {
        return of(vocabularySize, dimension, gatherData);
    }

    /** Keras's {@code embeddings}, PyTorch's {@code weight} and ONNX Gather's data: the table itself (a copy). */
    public float[] table() {
        return table.clone();
    }

    /** Copies row {@code id} into {@code target} at {@code offset}. */
    public void copyRow(int id, float[] target, int offset) {
        System.arraycopy(table, id * dimension, target, offset, dimension);
    }

    public int vocabularySize() {
        return vocabularySize;
    }

    public int dimension() {
        return dimension;
    }

    public long parameterCount() {
        return table.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EmbeddingWeights e && vocabularySize == e.vocabularySize && dimension == e.dimension
                && Arrays.equals(table, e.table);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * vocabularySize + dimension) + Arrays.hashCode(table);
    }
}
