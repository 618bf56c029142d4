package org.lstm4j.spark;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.lstm4j.backend.Availability;
import org.lstm4j.backend.BackendProvider;
import org.lstm4j.backend.Backends;
import org.lstm4j.backend.Capability;
import org.lstm4j.model.SequenceModel;
import org.lstm4j.predict.Prediction;
import org.lstm4j.predict.Predictor;
import org.lstm4j.predict.PredictorOptions;
import org.lstm4j.predict.SequenceBatch;

/**
 * A real backend for the tests ({@code recording}): java-fast's engine, whose predictors say they are NOT
 * thread-safe, fail if two threads use one at once, and record the size of every batch they run. Selected by
 * name only (lowest priority).
 */
public final class RecordingBackend implements BackendProvider {
    static final String NAME = "recording";
    /** Every batch size run, in call order, by every recording predictor in this JVM. */
    static final List<Integer> BATCHES = new CopyOnWriteArrayList<>();

    /** Looked up on first use: selecting inside the constructor would re-enter the discovery that constructs this. */
    private BackendProvider engine() {
        return Backends.select("java-fast");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return -100;
    }

    @Override
    public Availability availability() {
        return Backends.availability(engine());
    }

    @Override
    public Set<Capability> capabilities() {
        return engine().capabilities();
    }

    @Override
    public Predictor compile(SequenceModel model, PredictorOptions options) {
        return new Recording(engine().compile(model, options));
    }

    private static final class Recording implements Predictor {
        private final Predictor engine;
        private final AtomicBoolean busy = new AtomicBoolean();

        Recording(Predictor engine) {
            this.engine = engine;
        }

        @Override
        public SequenceModel model() {
            return engine.model();
        }

        @Override
        public String backendName() {
            return NAME;
        }

        @Override
        public Prediction predict(SequenceBatch batch) {
            if (!busy.compareAndSet(false, true)) {
                throw new IllegalStateException("a predictor that is not thread-safe was called by two threads at once");
            }
            try {
                BATCHES.add(batch.batchSize());
                return engine.predict(batch);
            } finally {
                busy.set(false);
            }
        }

        @Override
        public boolean isThreadSafe() {
            return false;
        }

        @Override
        public void close() {
            engine.close();
        }
    }
}
