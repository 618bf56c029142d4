package org.lstm4j.keras;

/**
 * Limits for {@link KerasImporter}. They bound the work and memory an import may take, so that a
 * hostile or corrupt file (a zip bomb, an HDF5 dataset declaring billions of elements, a deeply
 * nested configuration) fails with a {@link KerasImportException} instead of exhausting the heap or
 * the disk. The defaults fit any LSTM model of reasonable size (hundreds of megabytes of weights).
 */
public final class KerasImportOptions {

    private final long maxFileBytes;
    private final long maxConfigBytes;
    private final int maxArchiveEntries;
    private final long maxTensorElements;
    private final long maxTotalElements;
    private final int maxLayers;

    private KerasImportOptions(Builder b) {
        this.maxFileBytes = b.maxFileBytes;
        this.maxConfigBytes = b.maxConfigBytes;
        this.maxArchiveEntries = b.maxArchiveEntries;
        this.maxTensorElements = b.maxTensorElements;
        this.maxTotalElements = b.maxTotalElements;
        this.maxLayers = b.maxLayers;
    }

    public static KerasImportOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The largest model file, and the largest weights file inside a {@code .keras} archive once uncompressed. */
    public long maxFileBytes() {
        return maxFileBytes;
    }

    /** The largest {@code config.json} / {@code metadata.json} / {@code model_config} text. */
    public long maxConfigBytes() {
        return maxConfigBytes;
    }

    /** The most entries a {@code .keras} archive may hold (Keras writes three, plus assets). */
    public int maxArchiveEntries() {
        return maxArchiveEntries;
    }

    /** The most elements one weight array may hold. */
    public long maxTensorElements() {
        return maxTensorElements;
    }

    /** The most elements all weight arrays of a model may hold together. */
    public long maxTotalElements() {
        return maxTotalElements;
    }

    /** The most layers a model configuration may list. */
    public int maxLayers() {
        return maxLayers;
    }

    /** Builds {@link KerasImportOptions}. */
    public static final class Builder {
        private long maxFileBytes = 1L << 30;
        private long maxConfigBytes = 16L << 20;
        private int maxArchiveEntries = 1000;
        private long maxTensorElements = 1L << 27;
        private long maxTotalElements = 1L << 28;
        private int maxLayers = 10_000;

        private Builder() {
        }

        /** At most 2 GiB - 1: a weights file is read as one mapped buffer. */
        public Builder maxFileBytes(long n) {
            this.maxFileBytes = Math.min(positive("maxFileBytes", n), Integer.MAX_VALUE);
            return this;
        }

        public Builder maxConfigBytes(long n) {
            this.maxConfigBytes = Math.min(positive("maxConfigBytes", n), Integer.MAX_VALUE - 8);
            return this;
        }

        public Builder maxArchiveEntries(int n) {
            this.maxArchiveEntries = (int) positive("maxArchiveEntries", n);
            return this;
        }

        public Builder maxTensorElements(long n) {
            this.maxTensorElements = Math.min(positive("maxTensorElements", n), Integer.MAX_VALUE - 8);
            return this;
        }

        public Builder maxTotalElements(long n) {
            this.maxTotalElements = positive("maxTotalElements", n);
            return this;
        }

        public Builder maxLayers(int n) {
            this.maxLayers = (int) positive("maxLayers", n);
            return this;
        }

        private static long positive(String what, long n) {
            if (n < 1) {
                throw new IllegalArgumentException(what + " must be at least 1, got " + n);
            }
            return n;
        }

        public KerasImportOptions build() {
            return new KerasImportOptions(this);
        }
    }
}
