package org.lstm4j.backend.nd4j;

import org.lstm4j.model.EmbeddingLayer;
import org.lstm4j.tensor.IntTensor;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.shape.Gather;
import org.nd4j.linalg.factory.Nd4j;

/** An embedding: libnd4j's gather of the table's rows, one per token id. The table is made once, outside any workspace. */
final class EmbeddingKernel implements AutoCloseable {
    private final INDArray table;

    EmbeddingKernel(EmbeddingLayer layer) {
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            this.table = Nd4j.create(layer.weights().table(), new long[] {layer.vocabularySize(), layer.outputSize()}, 'c');
        }
    }

    /** Ids {@code [B, T]} (checked against the vocabulary before a run) to features {@code [B, T, dimension]}. */
    INDArray apply(IntTensor ids) {
        INDArray rows = Nd4j.exec(new Gather(table, Nd4j.createFromArray(ids.toArray()), 0))[0];
        return rows.reshape('c', ids.dim(0), ids.dim(1), table.size(1));
    }

    @Override
    public void close() {
        Nd4jWeights.close(table);
    }
}
