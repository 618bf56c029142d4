package org.lstm4j.backend.tf;

import java.util.EnumSet;
import java.util.Set;
import org.lstm4j.backend.AbstractBackendProvider;
import org.lstm4j.backend.Availability;
import org.lstm4j.backend.Capability;
import org.lstm4j.model.SequenceModel;
import org.lstm4j.predict.Predictor;
import org.lstm4j.predict.PredictorOptions;
import org.tensorflow.TensorFlow;

/**
 * The TensorFlow Java backend ({@code tf}): each model becomes one TensorFlow graph run by one
 * session (see {@link ModelGraph} for which ops serve which feature). Priority 80: chosen over the
 * reference engine, under ONNX Runtime when both are on the class path.
 *
 * <p>TensorFlow's natives load on the first {@link #availability()} or {@link #compile} call, not
 * when the provider is constructed; a platform without them reports itself unavailable with the
 * cause rather than failing discovery.
 */
public final class TensorFlowBackendProvider extends AbstractBackendProvider {

    public static final String NAME = "tf";

    /**
     * Everything but masks with holes (neither BlockLSTM nor the loop knows per-step masks, only lengths: contiguous
     * masks reach them rotated into right-padded lengths). Each is compared with the reference engine in this
     * module's tests and by the conformance kit.
     */
    static final Set<Capability> CAPABILITIES = EnumSet.complementOf(EnumSet.of(Capability.ARBITRARY_MASKS));

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return 80;
    }

    /** Loads the natives (TensorFlow's static initializer does) and asks their version. */
    @Override
    public Availability availability() {
        try {
            return new Availability(true, "TensorFlow " + TensorFlow.version() + " (TensorFlow Java)", null);
        } catch (LinkageError | RuntimeException e) {
            // UnsatisfiedLinkError (no natives for this platform, or a missing system library),
            // ExceptionInInitializerError, NoClassDefFoundError (natives jar absent).
            return Availability.unavailable("TensorFlow natives failed to load on " + System.getProperty("os.name") + "/"
                    + System.getProperty("os.arch") + ": " + e + ". Add org.tensorflow:tensorflow-core-native with this "
                    + "platform's classifier, or tensorflow-core-platform (see lstm-backend-tf's README)", e);
        }
    }

    @Override
    public Set<Capability> capabilities() {
        return EnumSet.copyOf(CAPABILITIES);
    }

    @Override
    protected Predictor open(SequenceModel model, PredictorOptions options) {
        return new TensorFlowPredictor(model, options);
    }
}
