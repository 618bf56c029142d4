package org.lstm4j.onnx;

import java.util.LinkedHashMap;
import java.util.Map;
import org.lstm4j.backend.java.ReferenceBackendProvider;
import org.lstm4j.model.SequenceModel;
import org.lstm4j.predict.PortBinding;
import org.lstm4j.predict.Prediction;
import org.lstm4j.predict.Predictor;
import org.lstm4j.predict.SequenceBatch;
import org.lstm4j.tensor.FloatTensor;
import org.lstm4j.tensor.IntTensor;

/** Runs imported models on the reference engine, by graph names. */
final class Oracle {
    private Oracle() {
    }

    /**
     * Named float inputs and integer ones (token ids, lengths, masks) in, named outputs (as the
     * model's ports declare them) out.
     */
    static Map<String, FloatTensor> run(SequenceModel model, Map<String, FloatTensor> feeds, Map<String, IntTensor> integers) {
        SequenceBatch batch = PortBinding.batchOf(model, feeds, integers);
        try (Predictor p = new ReferenceBackendProvider().compile(model)) {
            Prediction pr = p.predict(batch);
            return PortBinding.toOutputs(model, pr);
        }
    }

    static Map<String, FloatTensor> map(Object... kv) {
        Map<String, FloatTensor> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], (FloatTensor) kv[i + 1]);
        }
        return m;
    }
}
