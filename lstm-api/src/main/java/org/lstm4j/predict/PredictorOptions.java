package org.lstm4j.predict;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Options for compiling a predictor. Engine threads default to 1: on the small machines lstm4j
 * is measured on, every engine's default pool was slower than one thread for LSTM inference
 * (see the README's benchmark section); raise them for large batches on many cores.
 * Backend-specific settings go in {@link #properties()}, named {@code <backend>.<setting>}.
 */
public final class PredictorOptions {
    private final int intraOpThreads;
    private final int interOpThreads;
    private final NanPolicy nanPolicy;
    private final Map<String, String> properties;

    private PredictorOptions(Builder b) {
        this.intraOpThreads = b.intraOpThreads;
        this.interOpThreads = b.interOpThreads;
        this.nanPolicy = b.nanPolicy;
        this.properties = Map.copyOf(b.properties);
    }

    public static PredictorOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Threads an engine may use inside one operation. */
    public int intraOpThreads() {
        return intraOpThreads;
    }

    /** Threads an engine may use to run independent operations side by side. */
    public int interOpThreads() {
        return interOpThreads;
    }

    public NanPolicy nanPolicy() {
        return nanPolicy;
    }

    public Map<String, String> properties() {
        return properties;
    }

    public String property(String key, String fallback) {
        return properties.getOrDefault(key, fallback);
    }

    public static final class Builder {
        private int intraOpThreads = 1;
        private int interOpThreads = 1;
        private NanPolicy nanPolicy = NanPolicy.PROPAGATE;
        private final Map<String, String> properties = new LinkedHashMap<>();

        public Builder intraOpThreads(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("intra-op threads must be at least 1, got " + n);
            }
            this.intraOpThreads = n;
            return this;
        }

        public Builder interOpThreads(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("inter-op threads must be at least 1, got " + n);
            }
            this.interOpThreads = n;
            return this;
        }

        public Builder nanPolicy(NanPolicy policy) {
            this.nanPolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        public Builder property(String key, String value) {
            properties.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        public PredictorOptions build() {
            return new PredictorOptions(this);
        }
    }
}
