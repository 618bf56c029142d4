package org.lstm4j.backend.java;

import java.util.EnumSet;
import java.util.Set;
import org.lstm4j.backend.AbstractBackendProvider;
import org.lstm4j.backend.Availability;
import org.lstm4j.backend.Capability;
import org.lstm4j.model.SequenceModel;
import org.lstm4j.predict.Predictor;
import org.lstm4j.predict.PredictorOptions;

/**
 * The reference engine: plain Java, no native code, every feature lstm4j can describe. It has
 * the lowest priority, so any native backend on the class path wins unless this one is named.
 */
public final class ReferenceBackendProvider extends AbstractBackendProvider {

    public static final String NAME = "java";

    /** Everything lstm4j can describe. */
    static final Set<Capability> CAPABILITIES = EnumSet.allOf(Capability.class);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return 0;
    }

    @Override
    public Availability availability() {
        return Availability.ok();
    }

    @Override
    public Set<Capability> capabilities() {
        return EnumSet.copyOf(CAPABILITIES);
    }

    @Override
    protected Predictor open(SequenceModel model, PredictorOptions options) {
        return new ReferencePredictor(model, options);
    }
}
