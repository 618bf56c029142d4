package org.lstm4j.tensor;

/**
 * Fills a new tensor's values and hands them over without a copy. For engines and readers that
 * produce a fresh array: build, write, then {@link #build()} once.
 */
public final class TensorBuilder {
    private final int[] shape;
    private float[] values;

    public TensorBuilder(int... shape) {
        this.shape = shape.clone();
        this.values = new float[Math.toIntExact(FloatTensor.elementCount(this.shape))];
    }

    /** The array being filled; valid until {@link #build()}. */
    public float[] values() {
        if (values == null) {
            throw new IllegalStateException("already built");
        }
        return values;
    }

    public FloatTensor build() {
        float[] v = values();
        values = null;
        return FloatTensor.adopt(shape, v);
    }
}
