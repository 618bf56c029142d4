package org.lstm4j.model;

import java.util.Objects;

/**
 * Keras's {@code Masking(mask_value)}: a step is masked when every one of its features equals
 * {@link #maskValue()} (see {@link org.lstm4j.predict.StepMask} for what a mask does). It passes its
 * input on unchanged: Keras also zeroes the masked steps, but no LSTM reads a masked step, so that
 * changes no output. It comes before the first LSTM layer. Immutable.
 */
public final class MaskingLayer implements Layer {
    private final String name;
    private final int size;
    private final float maskValue;

    private MaskingLayer(String name, int size, float maskValue) {
        this.name = name;
        this.size = size;
        this.maskValue = maskValue;
    }

    public static MaskingLayer of(String name, int size, float maskValue) {
        Objects.requireNonNull(name, "name");
        if (size < 1) {
            throw new IllegalArgumentException("masking layer '" + name + "': size must be at least 1, got " + size);
        }
        if (Float.isNaN(maskValue)) {
            throw new IllegalArgumentException("masking layer '" + name + "': the mask value is NaN, which equals nothing");
        }
        return new MaskingLayer(name, size, maskValue);
    }

    @Override
    public String name() {
        return name;
    }

    public float maskValue() {
        return maskValue;
    }

    /** Whether a step of {@code size()} features starting at {@code offset} is masked. */
    public boolean masks(float[] steps, int offset) {
        for (int f = 0; f < size; f++) {
            if (steps[offset + f] != maskValue) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int inputSize() {
        return size;
    }

    @Override
    public int outputSize() {
        return size;
    }

    @Override
    public long parameterCount() {
        return 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MaskingLayer m && name.equals(m.name) && size == m.size && Float.compare(maskValue, m.maskValue) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, size, maskValue);
    }

    @Override
    public String toString() {
        return "Masking '" + name + "' on " + size + " features, mask value " + maskValue;
    }
}
