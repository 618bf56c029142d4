package org.lstm4j.backend;

import java.util.Set;
import org.lstm4j.model.SequenceModel;
import org.lstm4j.predict.Predictor;
import org.lstm4j.predict.PredictorOptions;

/**
 * The service interface a backend implements and registers in
 * {@code META-INF/services/org.lstm4j.backend.BackendProvider}. An implementation has a public
 * no-argument constructor that does no heavy work: loading natives belongs in
 * {@link #availability()} (called once, lazily) or {@link #compile}. Extend
 * {@link AbstractBackendProvider} to get compile's checks (capabilities, availability) for free.
 */
public interface BackendProvider {

    /** A short, lower-case name users select it by: {@code java}, {@code onnx}, {@code tf}, {@code nd4j}. */
    String name();

    /** Higher wins when several are available and none is named; the reference engine has the lowest. */
    int priority();

    /**
     * The Maven coordinates users add to get this backend, for messages: lstm4j's own backends name their
     * artifact (several backends may share one); another backend names the jar its provider came from unless it
     * overrides this.
     */
    default String artifact() {
        return KnownBackends.artifactOf(this);
    }

    /**
     * Whether the backend can run here (this may load its natives); must not throw. Callers ask
     * {@link Backends#availability(BackendProvider)}, which asks this once and remembers the answer (and
     * guards the call: a check that throws, an {@link UnsatisfiedLinkError} from natives that do not load
     * say, counts as unavailable with that error as the cause, and automatic selection skips it).
     */
    Availability availability();

    /** The features this backend implements. */
    Set<Capability> capabilities();

    /**
     * Compiles a model into a predictor, translating weights into the engine's layout once.
     *
     * @throws UnsupportedModelException when the model needs a capability this backend lacks
     */
    Predictor compile(SequenceModel model, PredictorOptions options);

    /** Compiles with default options. */
    default Predictor compile(SequenceModel model) {
        return compile(model, PredictorOptions.defaults());
    }
}
