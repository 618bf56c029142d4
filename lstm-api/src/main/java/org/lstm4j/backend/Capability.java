package org.lstm4j.backend;

/**
 * Features of the neutral model that a backend may lack. A backend declares what it supports;
 * {@link BackendProvider#compile} refuses a model that needs more, and the conformance kit skips
 * (never passes) the rules of undeclared features.
 */
public enum Capability {
    /** Reverse and bidirectional layers, every merge mode. */
    BIDIRECTIONAL,
    /** Per-sequence lengths (ONNX {@code sequence_lens}). */
    SEQUENCE_LENGTHS,
    /** Initial hidden and cell states. */
    INITIAL_STATE,
    /** Peephole connections. */
    PEEPHOLES,
    /** Cell clip. */
    CELL_CLIP,
    /** Coupled input and forget gates (ONNX {@code input_forget}). */
    COUPLED_INPUT_FORGET,
    /** Activations other than sigmoid, tanh, tanh. */
    CUSTOM_ACTIVATIONS,
    /** A streaming predictor. */
    STREAMING,
    /** Predictors that may be called from several threads at once. */
    THREAD_SAFE_PREDICT
}
