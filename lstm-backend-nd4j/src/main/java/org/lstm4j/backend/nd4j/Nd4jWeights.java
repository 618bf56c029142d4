package org.lstm4j.backend.nd4j;

import org.lstm4j.weights.LstmWeights;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One direction's weights in the layout of libnd4j's lstmLayer (and of our composed cell):
 * {@code Wx [I, 4H]}, {@code Wr [H, 4H]}, {@code b [4H]} (Wb + Rb), {@code Wp [3H]}, gate blocks
 * i, f, c, o and peepholes i, f, o, which is the canonical order transposed. Made once at compile
 * time, outside any workspace, so they outlive every call.
 */
record Nd4jWeights(INDArray wx, INDArray wr, INDArray bias, INDArray peepholes) {

    static Nd4jWeights of(LstmWeights w) {
        int h = w.hiddenSize();
        int in = w.inputSize();
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            INDArray wx = Nd4j.create(w.inputKernel(), new long[] {4L * h, in}, 'c').transpose().dup('c');
            INDArray wr = Nd4j.create(w.recurrentKernel(), new long[] {4L * h, h}, 'c').transpose().dup('c');
            INDArray bias = Nd4j.create(w.combinedBias(), new long[] {4L * h}, 'c');
            INDArray p = w.hasPeepholes() ? Nd4j.create(w.peepholes(), new long[] {3L * h}, 'c') : null;
            return new Nd4jWeights(wx, wr, bias, p);
        }
    }

    static void close(INDArray... arrays) {
        for (INDArray a : arrays) {
            if (a != null && a.closeable()) {
                a.close();
            }
        }
    }
}
