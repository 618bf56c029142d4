package org.lstm4j.weights;

/** The four blocks of an LSTM's stacked weights, in lstm4j's canonical order i, f, c, o. */
public enum Gate {
    /** The input gate, i. */
    INPUT,
    /** The forget gate, f. */
    FORGET,
    /** The cell candidate, c (PyTorch calls it g). */
    CELL,
    /** The output gate, o. */
    OUTPUT
}
