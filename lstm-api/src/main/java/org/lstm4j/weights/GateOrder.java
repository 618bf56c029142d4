package org.lstm4j.weights;

import java.util.List;

/**
 * The order in which a framework stacks the four gate blocks of its LSTM weights. This class is
 * the one place where each framework's order is written down; the converters in
 * {@link LstmWeights} use it and nothing else does.
 */
public enum GateOrder {
    /** lstm4j's own order; also Keras (kernel columns) and TensorFlow's BlockLSTM: i, f, c, o. */
    CANONICAL(Gate.INPUT, Gate.FORGET, Gate.CELL, Gate.OUTPUT),
    /** Keras {@code LSTM}: i, f, c, o (keras/src/layers/rnn/lstm.py splits the kernel in that order). */
    KERAS(Gate.INPUT, Gate.FORGET, Gate.CELL, Gate.OUTPUT),
    /** PyTorch {@code nn.LSTM}: i, f, g, o (torch.nn.LSTM documentation, weight_ih_l[k]). */
    PYTORCH(Gate.INPUT, Gate.FORGET, Gate.CELL, Gate.OUTPUT),
    /** The ONNX {@code LSTM} operator: i, o, f, c for W, R and B (operator specification). */
    ONNX(Gate.INPUT, Gate.OUTPUT, Gate.FORGET, Gate.CELL),
    /** TensorFlow's older {@code LSTMBlockCell}: i, c, f, o. */
    TF_LSTM_BLOCK_CELL(Gate.INPUT, Gate.CELL, Gate.FORGET, Gate.OUTPUT);

    // Where each gate sits in lstm4j's canonical weights (CANONICAL: i, f, c, o): block k is rows k*H..(k+1)*H of
    // W [4H][I] and R [4H][H] and elements k*H..(k+1)*H of each bias [4H]. Engines index gates with these.
    /** Block index of the input gate, i, in canonical stacked weights. */
    public static final int INPUT_GATE = 0;
    /** Block index of the forget gate, f. */
    public static final int FORGET_GATE = 1;
    /** Block index of the cell candidate, c (PyTorch's g). */
    public static final int CELL_GATE = 2;
    /** Block index of the output gate, o. */
    public static final int OUTPUT_GATE = 3;

    // Canonical peepholes P [3H] are i, f, o (the ONNX operator stores i, o, f; LstmWeights.fromOnnx reorders).
    /** Block index of the input gate's peephole weights in canonical P. */
    public static final int PEEPHOLE_INPUT = 0;
    /** Block index of the forget gate's peephole weights. */
    public static final int PEEPHOLE_FORGET = 1;
    /** Block index of the output gate's peephole weights. */
    public static final int PEEPHOLE_OUTPUT = 2;

    private final List<Gate> gates;

    GateOrder(Gate... gates) {
        this.gates = List.of(gates);
    }

    /** The gates in this framework's stacking order. */
    public List<Gate> gates() {
        return gates;
    }

    /** The block index at which this framework stores {@code gate}. */
    public int blockOf(Gate gate) {
        return gates.indexOf(gate);
    }

    /**
     * Reorders the four blocks of a gate-stacked matrix (rows {@code [4H][cols]}, row-major)
     * from this order into {@code target}'s.
     */
    public float[] reorderRows(float[] stacked, int hidden, int cols, GateOrder target) {
        int block = hidden * cols;
        if (stacked.length != 4 * block) {
            throw new IllegalArgumentException("expected 4 x " + hidden + " x " + cols + " = " + 4 * block
                    + " values, got " + stacked.length);
        }
        float[] out = new float[stacked.length];
        for (Gate g : Gate.values()) {
            System.arraycopy(stacked, blockOf(g) * block, out, target.blockOf(g) * block, block);
        }
        return out;
    }
}
