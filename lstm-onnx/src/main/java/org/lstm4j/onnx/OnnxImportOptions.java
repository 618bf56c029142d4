package org.lstm4j.onnx;

/**
 * Limits and switches for {@link OnnxImporter}. The limits bound the work and memory an import
 * may take, so that a hostile or corrupt file fails with an {@link OnnxImportException} instead of
 * exhausting the heap or the stack. The defaults fit any LSTM model of reasonable size (hundreds
 * of megabytes of weights) with room to spare.
 */
public final class OnnxImportOptions {

    private final long maxFileBytes;
    private final long maxTensorElements;
    private final long maxTotalElements;
    private final int maxNodes;
    private final int maxInitializers;
    private final int maxRank;
    private final int maxNesting;
    private final boolean allowExternalData;

    private OnnxImportOptions(Builder b) {
        this.maxFileBytes = b.maxFileBytes;
        this.maxTensorElements = b.maxTensorElements;
        this.maxTotalElements = b.maxTotalElements;
        this.maxNodes = b.maxNodes;
        this.maxInitializers = b.maxInitializers;
        this.maxRank = b.maxRank;
        this.maxNesting = b.maxNesting;
        this.allowExternalData = b.allowExternalData;
    }

    public static OnnxImportOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The largest model file read (and the largest external data file). */
    public long maxFileBytes() {
        return maxFileBytes;
    }

    /** The most elements one tensor (initializer, constant or folded value) may hold. */
    public long maxTensorElements() {
        return maxTensorElements;
    }

    /** The most elements all constant tensors of a model may hold together. */
    public long maxTotalElements() {
        return maxTotalElements;
    }

    public int maxNodes() {
        return maxNodes;
    }

    public int maxInitializers() {
        return maxInitializers;
    }

    /** The highest tensor rank accepted anywhere (LSTM graphs need 4). */
    public int maxRank() {
        return maxRank;
    }

    /** How deeply protobuf messages may nest (subgraphs inside attributes); protobuf's own limit is 100. */
    public int maxNesting() {
        return maxNesting;
    }

    /**
     * Whether tensors stored outside the model file (ONNX external data, which PyTorch's dynamo
     * exporter writes for larger weights) are read. Only files inside the model's own folder are
     * ever read, and only when importing from a path.
     */
    public boolean allowExternalData() {
        return allowExternalData;
    }

    /** Builds {@link OnnxImportOptions}. */
    public static final class Builder {
        private long maxFileBytes = 1L << 30;
        private long maxTensorElements = 1L << 27;
        private long maxTotalElements = 1L << 28;
        private int maxNodes = 100_000;
        private int maxInitializers = 100_000;
        private int maxRank = 8;
        private int maxNesting = 32;
        private boolean allowExternalData = true;

        private Builder() {
        }

        public Builder maxFileBytes(long n) {
            this.maxFileBytes = positive("maxFileBytes", n);
            return this;
        }

        public Builder maxTensorElements(long n) {
            this.maxTensorElements = positive("maxTensorElements", Math.min(n, Integer.MAX_VALUE - 8));
            return this;
        }

        public Builder maxTotalElements(long n) {
            this.maxTotalElements = positive("maxTotalElements", n);
            return this;
        }

        public Builder maxNodes(int n) {
            this.maxNodes = (int) positive("maxNodes", n);
            return this;
        }

        public Builder maxInitializers(int n) {
            this.maxInitializers = (int) positive("maxInitializers", n);
            return this;
        }

        public Builder maxRank(int n) {
            this.maxRank = (int) positive("maxRank", n);
            return this;
        }

        public Builder maxNesting(int n) {
            this.maxNesting = (int) positive("maxNesting", n);
            return this;
        }

        public Builder allowExternalData(boolean allow) {
            this.allowExternalData = allow;
            return this;
        }

        private static long positive(String what, long n) {
            if (n < 1) {
                throw new IllegalArgumentException(what + " must be at least 1, got " + n);
            }
            return n;
        }

        public OnnxImportOptions build() {
            return new OnnxImportOptions(this);
        }
    }
}
