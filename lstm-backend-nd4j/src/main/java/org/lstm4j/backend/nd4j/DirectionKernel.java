package org.lstm4j.backend.nd4j;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One direction of one LSTM layer, run forward in time over {@code x [batch, time, input]}
 * (batch-major, ND4J's NTS). Backward directions get their input already reversed per sequence.
 * Implementations hold the direction's weights in ND4J's layout, made once at compile time;
 * {@link #run} only reads them, so one kernel may run on several threads at once.
 */
interface DirectionKernel extends AutoCloseable {

    /**
     * @param x      {@code [B, T, I]}
     * @param seqLen int32 {@code [B]} valid lengths, or null when every sequence fills the time axis
     * @param masks  per step, {@code [B, 1]} of 1 (step valid) or 0, or null with {@code seqLen}
     * @param h0     initial hidden state {@code [B, H]}
     * @param c0     initial cell state {@code [B, H]}
     * @return {@code y [B, T, H]} (zero past each sequence's end) and the state after each
     *         sequence's last valid step
     */
    Output run(INDArray x, INDArray seqLen, INDArray[] masks, INDArray h0, INDArray c0);

    /** Releases the weights' native memory. */
    @Override
    void close();

    /** What a direction produces. */
    record Output(INDArray y, INDArray hLast, INDArray cLast) {
    }
}
