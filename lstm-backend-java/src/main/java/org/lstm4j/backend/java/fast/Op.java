package org.lstm4j.backend.java.fast;

/** A compiled layer of the fast engine. */
abstract class Op {
    abstract int outWidth();

    int outSteps(int steps) {
        return steps;
    }

    /** Row-wise layers: {@code rows} rows of input to as many rows of output. */
    void run(Kernels k, float[] in, int rows, float[] out, Workspace ws) {
        throw new UnsupportedOperationException();
    }
}
