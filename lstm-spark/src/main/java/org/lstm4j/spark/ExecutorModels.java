package org.lstm4j.spark;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.lstm4j.backend.BackendProvider;
import org.lstm4j.backend.Backends;
import org.lstm4j.model.SequenceModel;
import org.lstm4j.predict.NanPolicy;
import org.lstm4j.predict.Predictor;
import org.lstm4j.predict.PredictorOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The models of one executor JVM: each (model, backend) is imported and compiled once, whatever the number of
 * tasks, partitions and {@code transform} calls, and shared by Spark's task threads as its predictor allows: one
 * predictor for all when it {@link Predictor#isThreadSafe() is thread-safe}, else one per concurrent task from a
 * pool. Predictors are closed when the JVM shuts down, or when more than {@link #CAPACITY} models are held and theirs
 * is the least recently used idle one.
 */
final class ExecutorModels {
    /** How many models one JVM keeps compiled. */
    static final int CAPACITY = 8;
    private static final Logger LOG = LoggerFactory.getLogger(ExecutorModels.class);

    /** Access order: the eldest entry is the least recently used. */
    private static final Map<Key, Entry> ENTRIES = new LinkedHashMap<>(16, 0.75f, true);
    private static final AtomicLong LOADS = new AtomicLong();
    private static final AtomicLong COMPILES = new AtomicLong();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ExecutorModels::closeAll, "lstm4j-close-predictors"));
    }

    private ExecutorModels() {
    }

    /** A model on a backend ({@code null}: the executor's default backend) with a NaN policy. */
    record Key(String sha256, String backend, NanPolicy nanPolicy) implements java.io.Serializable {
    }

    /**
     * Borrows a predictor for {@code key}, importing the model with {@code model} and compiling it the first time.
     * Close the lease when done (the task completion listener does).
     */
    static Lease acquire(Key key, Supplier<SequenceModel> model) {
        Entry entry;
        synchronized (ENTRIES) {
            entry = ENTRIES.computeIfAbsent(key, Entry::new);
            entry.users++;
            evictIdle();
        }
        try {
            return new Lease(entry, entry.borrow(model));
        } catch (RuntimeException | Error e) {
            synchronized (ENTRIES) {
                entry.users--;
            }
            throw e;
        }
    }

    /** Model imports so far in this JVM (tests check that a model is imported once). */
    static long loads() {
        return LOADS.get();
    }

    /** Predictors compiled so far in this JVM. */
    static long compiles() {
        return COMPILES.get();
    }

    private static void evictIdle() {
        List<Entry> idle = new ArrayList<>();
        var it = ENTRIES.values().iterator();
        int excess = ENTRIES.size() - CAPACITY;
        while (excess > 0 && it.hasNext()) {
            Entry e = it.next();
            if (e.users == 0) {
                it.remove();
                idle.add(e);
                excess--;
            }
        }
        idle.forEach(Entry::close);
    }

    private static void closeAll() {
        List<Entry> all;
        synchronized (ENTRIES) {
            all = new ArrayList<>(ENTRIES.values());
            ENTRIES.clear();
        }
        all.forEach(Entry::close);
    }

    /** A borrowed predictor; closing returns it (idempotent). */
    static final class Lease implements AutoCloseable {
        private final Entry entry;
        private final Predictor predictor;
        private boolean closed;

        private Lease(Entry entry, Predictor predictor) {
            this.entry = entry;
            this.predictor = predictor;
        }

        Predictor predictor() {
            return predictor;
        }

        @Override
        public void close() {
            synchronized (this) {
                if (closed) {
                    return;
                }
                closed = true;
            }
            entry.giveBack(predictor);
            synchronized (ENTRIES) {
                entry.users--;
            }
        }
    }

    /** One model on one backend: the imported model and its predictors. */
    private static final class Entry {
        private final Key key;
        /** Guarded by ENTRIES. */
        private int users;
        private SequenceModel model;
        private BackendProvider backend;
        private Predictor shared;
        private final Deque<Predictor> idle = new ArrayDeque<>();
        private final List<Predictor> all = new ArrayList<>();
        private boolean closed;

        Entry(Key key) {
            this.key = key;
        }

        synchronized Predictor borrow(Supplier<SequenceModel> loader) {
            if (closed) {
                throw new IllegalStateException("lstm4j's predictor for model " + key.sha256() + " was closed (JVM shutting down)");
            }
            if (shared != null) {
                return shared;
            }
            if (!idle.isEmpty()) {
                return idle.pop();
            }
            if (model == null) {
                // Both or neither: a task that failed here leaves nothing half-set for the next task to trip over.
                BackendProvider selected = Backends.select(key.backend());
                SequenceModel loaded = loader.get();
                LOADS.incrementAndGet();
                backend = selected;
                model = loaded;
            }
            Predictor p = backend.compile(model, PredictorOptions.builder().nanPolicy(key.nanPolicy()).build());
            COMPILES.incrementAndGet();
            all.add(p);
            if (p.isThreadSafe()) {
                shared = p;
            }
            LOG.info("lstm4j compiled model '{}' ({}) on backend '{}' (thread-safe: {})", model.name(), key.sha256(),
                    p.backendName(), p.isThreadSafe());
            return p;
        }

        synchronized void giveBack(Predictor p) {
            if (p != shared && !closed) {
                idle.push(p);
            }
        }

        synchronized void close() {
            closed = true;
            for (Predictor p : all) {
                try {
                    p.close();
                } catch (RuntimeException e) {
                    LOG.warn("lstm4j: closing a predictor of model {} failed", key.sha256(), e);
                }
            }
            all.clear();
            idle.clear();
            shared = null;
        }
    }
}
