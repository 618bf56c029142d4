package org.lstm4j.cli;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.lstm4j.backend.Availability;
import org.lstm4j.backend.BackendProvider;
import org.lstm4j.backend.Capability;
import org.lstm4j.backend.java.ReferenceBackendProvider;
import org.lstm4j.model.Layer;
import org.lstm4j.model.LstmLayer;
import org.lstm4j.model.SequenceModel;
import org.lstm4j.predict.AbstractPredictor;
import org.lstm4j.predict.Prediction;
import org.lstm4j.predict.Predictor;
import org.lstm4j.predict.PredictorOptions;
import org.lstm4j.predict.SequenceBatch;
import org.lstm4j.weights.LstmWeights;

/**
 * A backend with a real engine's kind of defect: it drops the LSTM recurrent bias (Rb), as an
 * engine with one bias input would if its loader forgot to add Rb to Wb. Registered only by
 * {@link CorpusAgreementTest}, on an extra class-path entry of a child JVM.
 */
public final class BrokenBackend implements BackendProvider {

    @Override
    public String name() {
        return "broken";
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
        return EnumSet.allOf(Capability.class);
    }

    @Override
    public Predictor compile(SequenceModel model, PredictorOptions options) {
        SequenceModel.Builder b = SequenceModel.builder(model.inputSize()).name(model.name());
        for (Layer l : model.layers()) {
            if (l instanceof LstmLayer lstm) {
                List<LstmWeights> w = new ArrayList<>();
                for (LstmWeights x : lstm.weights()) {
                    w.add(LstmWeights.of(x.inputSize(), x.hiddenSize(), x.inputKernel(), x.recurrentKernel(), x.inputBias(), null, x.peepholes()));
                }
                b.add(lstm.toBuilder().weights(w).build());
            } else {
                b.add(l);
            }
        }
        Predictor inner = new ReferenceBackendProvider().compile(b.ports(model.ports()).build(), options);
        return new AbstractPredictor("broken", model, options) {
            @Override
            protected Prediction run(SequenceBatch batch) {
                return inner.predict(batch);
            }

            @Override
            protected void release() {
                inner.close();
            }
        };
    }
}
