package org.lstm4j.conformance;

import java.util.EnumSet;
import java.util.Set;
import org.lstm4j.backend.Availability;
import org.lstm4j.backend.BackendProvider;
import org.lstm4j.backend.Capability;
import org.lstm4j.backend.java.ReferenceBackendProvider;
import org.lstm4j.model.SequenceModel;
import org.lstm4j.predict.AbstractPredictor;
import org.lstm4j.predict.Padding;
import org.lstm4j.predict.Prediction;
import org.lstm4j.predict.Predictor;
import org.lstm4j.predict.PredictorOptions;
import org.lstm4j.predict.SequenceBatch;

/**
 * The whole kit, Keras's pre- and post-padded goldens included, on an engine that knows only
 * right-padded sequence lengths: the reference engine behind an {@link AbstractPredictor} that does
 * not declare {@link Capability#ARBITRARY_MASKS}, so that every mask reaches it through the shared
 * rotation ({@code ContiguousMaskRun}) that the onnx, tf and nd4j backends use. This is the rule that
 * proves the rotation equal to Keras and to the reference engine's step-by-step masks.
 */
class RotatedMasksConformanceTest extends BackendConformanceKit {

    @Override
    protected BackendProvider provider() {
        BackendProvider reference = new ReferenceBackendProvider();
        Set<Capability> declared = EnumSet.allOf(Capability.class);
        declared.remove(Capability.ARBITRARY_MASKS);
        return new BackendProvider() {
            @Override
            public String name() {
                return "java-lengths-only";
            }

            @Override
            public int priority() {
                return -1;
            }

            @Override
            public Availability availability() {
                return Availability.ok();
            }

            @Override
            public Set<Capability> capabilities() {
                return EnumSet.copyOf(declared);
            }

            @Override
            public Predictor compile(SequenceModel model, PredictorOptions options) {
                Predictor inner = reference.compile(model, options);
                return new AbstractPredictor(name(), model, options, declared) {
                    @Override
                    protected Prediction run(SequenceBatch batch) {
                        if (batch.hasMask() || batch.padding() != Padding.RIGHT) {
                            throw new AssertionError("an engine without ARBITRARY_MASKS was given more than right-padded lengths: " + batch.mask());
                        }
                        return inner.predict(batch);
                    }

                    @Override
                    protected void release() {
                        inner.close();
                    }
                };
            }
        };
    }
}
