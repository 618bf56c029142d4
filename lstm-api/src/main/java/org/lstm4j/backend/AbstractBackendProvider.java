package org.lstm4j.backend;

import java.util.Objects;
import org.lstm4j.model.SequenceModel;
import org.lstm4j.predict.Predictor;
import org.lstm4j.predict.PredictorOptions;

/**
 * The base of lstm4j's backends: {@link #compile} makes the checks every backend owes its callers, once
 * and in the same words, then asks the engine to {@link #open} the predictor.
 */
public abstract class AbstractBackendProvider implements BackendProvider {

    /**
     * Refuses a model that needs a capability this backend lacks ({@link UnsupportedModelException}, naming
     * it) and an unavailable backend ({@link IllegalStateException} with the reason and the native cause),
     * before any engine code runs; then opens the predictor.
     */
    @Override
    public final Predictor compile(SequenceModel model, PredictorOptions options) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(options, "options");
        Capabilities.requireSupported(this, model);
        Availability a = Backends.availability(this);
        if (!a.available()) {
            throw new IllegalStateException("backend '" + name() + "' is unavailable: " + a.reason(), a.cause());
        }
        return open(model, options);
    }

    /** Translates a model this backend supports into its engine's form, on an engine that started. */
    protected abstract Predictor open(SequenceModel model, PredictorOptions options);
}
