package org.lstm4j.conformance;

import java.util.List;
import org.junit.jupiter.api.Assertions;
import org.lstm4j.backend.BackendProvider;
import org.lstm4j.model.SequenceModel;
import org.lstm4j.predict.SequenceBatch;
import org.lstm4j.tensor.FloatTensor;
import org.lstm4j.testing.Tolerance;

/**
 * For users' own tests: assert that every backend on the class path gives the same answer for
 * their model, within a tolerance.
 *
 * <pre>{@code
 * SequenceModel model = OnnxImporter.importModel(Path.of("my-model.onnx"));
 * AgreementAssertions.assertBackendsAgree(model, input);
 * }</pre>
 */
public final class AgreementAssertions {
    private AgreementAssertions() {
    }

    /** All available backends agree on {@code input} within {@link Tolerance#DEFAULT}. */
    public static Agreement.Report assertBackendsAgree(SequenceModel model, FloatTensor input) {
        return assertBackendsAgree(model, SequenceBatch.of(input), Agreement.availableBackends(), Tolerance.DEFAULT);
    }

    /** The given backends agree on {@code batch} within {@code tolerance}; at least two must run the model. */
    public static Agreement.Report assertBackendsAgree(SequenceModel model, SequenceBatch batch, List<BackendProvider> backends,
                                                       Tolerance tolerance) {
        Agreement.Report r = Agreement.check(model, batch, backends, tolerance);
        long ran = r.runs().stream().filter(Agreement.Run::ran).count();
        Assertions.assertTrue(ran >= 2, () -> "only " + ran + " backend(s) could run model '" + model.name()
                + "'; put at least two on the test class path\n" + r.matrix());
        Assertions.assertTrue(r.agrees(), () -> "backends disagree on model '" + model.name() + "'\n" + r.matrix());
        return r;
    }
}
