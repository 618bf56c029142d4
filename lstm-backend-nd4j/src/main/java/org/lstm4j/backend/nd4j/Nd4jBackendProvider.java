package org.lstm4j.backend.nd4j;

import java.util.EnumSet;
import java.util.Set;
import org.lstm4j.backend.AbstractBackendProvider;
import org.lstm4j.backend.Availability;
import org.lstm4j.backend.Capability;
import org.lstm4j.model.SequenceModel;
import org.lstm4j.predict.Predictor;
import org.lstm4j.predict.PredictorOptions;

/**
 * The ND4J backend: libnd4j's fused {@code lstmLayer} op where it computes the neutral model's
 * equations, and the same equations composed from ND4J ops (mmul, sigmoid, tanh, ...) where it
 * does not (ONNX's gate clip, coupled input-forget, hard sigmoid with other coefficients).
 *
 * <p>Every capability is implemented and checked against the reference engine by this module's
 * tests. The constructor loads nothing; {@link #availability()} starts ND4J's natives.
 */
public final class Nd4jBackendProvider extends AbstractBackendProvider {

    public static final String NAME = "nd4j";

    @Override
    public String name() {
        return NAME;
    }

    /** Above the reference engine (0); below the ONNX Runtime backend, which is faster per step. */
    @Override
    public int priority() {
        return 60;
    }

    @Override
    public Availability availability() {
        return Nd4jRuntime.availability();
    }

    /**
     * Everything but masks with holes: libnd4j's lstmLayer takes sequence lengths, so contiguous masks reach it
     * rotated into right-padded lengths and a mask with a hole is refused naming {@link Capability#ARBITRARY_MASKS}.
     */
    static final Set<Capability> CAPABILITIES = EnumSet.complementOf(EnumSet.of(Capability.ARBITRARY_MASKS));

    @Override
    public Set<Capability> capabilities() {
        return EnumSet.copyOf(CAPABILITIES);
    }

    @Override
    protected Predictor open(SequenceModel model, PredictorOptions options) {
        Nd4jRuntime.applyThreads(options);
        return new Nd4jPredictor(model, options);
    }
}
