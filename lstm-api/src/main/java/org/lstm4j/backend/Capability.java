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
    THREAD_SAFE_PREDICT,
    /** Token-id inputs and {@link org.lstm4j.model.EmbeddingLayer}s (ids checked against the vocabulary before the engine runs). */
    TOKEN_INPUTS,
    /**
     * Per-step masks whose valid steps are contiguous in each row (pre-, post- and two-sided padding,
     * all-masked rows): masks given with the input, {@link org.lstm4j.model.MaskingLayer}s and
     * {@code mask_zero}, exactly as {@link org.lstm4j.predict.StepMask} defines them. An engine that
     * knows only sequence lengths gets them from {@link org.lstm4j.predict.AbstractPredictor}, which
     * rotates each row's valid steps to the front and puts the outputs back.
     */
    MASKS,
    /**
     * Masks of any shape, holes in the middle of a sequence included. A backend without it refuses
     * such a batch with an {@link IllegalArgumentException} naming this capability, the row and the step.
     */
    ARBITRARY_MASKS,
    /** The log-softmax head ({@link org.lstm4j.model.Activation#logSoftmax()}). */
    LOG_SOFTMAX
}
