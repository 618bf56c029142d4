package org.lstm4j.keras;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.lstm4j.backend.java.ReferenceBackendProvider;
import org.lstm4j.model.SequenceModel;
import org.lstm4j.predict.PortBinding;
import org.lstm4j.predict.Predictor;
import org.lstm4j.tensor.FloatTensor;
import org.lstm4j.testing.Fixture;
import org.lstm4j.testing.TensorAssertions;

/**
 * Every Keras-file golden (groups keras3 and keras2, written by tools/keras/make_keras_goldens.py
 * with Keras 3.15.1 and tf.keras 2.15.0) imported from each of its files (.keras, .h5) and run on
 * the reference engine: the outputs must match Keras's own (expected/*.npy, model(x, training=False))
 * within the fixture's tolerance (atol = rtol = 1e-5), under the port names Keras's outputs get;
 * refusals must name their cause in one line. The kit runs the same goldens on every backend.
 */
class KerasGoldensTest {

    static final Path FIXTURES = Path.of("../lstm-conformance/src/main/resources/org/lstm4j/conformance/fixtures");

    @TestFactory
    Stream<DynamicTest> everyKerasFileImportsAndMatchesKerasOrIsRefused() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Fixture f : Fixture.all(FIXTURES)) {
            if (f.group().equals("keras3") || f.group().equals("keras2")) {
                for (String file : f.modelFiles()) {
                    tests.add(DynamicTest.dynamicTest(f.id() + "/" + file, () -> check(f, FIXTURES.resolve(f.id()).resolve(file))));
                }
            }
        }
        assertTrue(tests.size() > 90, "too few goldens: " + tests.size());
        return tests.stream();
    }

    private static void check(Fixture f, Path model) {
        if (!f.expectsMatch()) {
            String phrase = f.refusal().orElseThrow();
            KerasImportException e = assertThrows(KerasImportException.class, () -> KerasImporter.importModel(model));
            String why = e.getMessage().substring(model.toString().length());  // the file's path may contain the phrase
            assertTrue(why.contains(phrase), () -> "message should contain '" + phrase + "': " + e.getMessage());
            assertEquals(-1, e.getMessage().indexOf('\n'), "one line");
            System.out.println(f.id() + ": refused: " + e.getMessage());
            return;
        }
        SequenceModel m = KerasImporter.importModel(model);
        Map<String, FloatTensor> got;
        try (Predictor p = new ReferenceBackendProvider().compile(m)) {
            got = PortBinding.toOutputs(m, p.predict(PortBinding.toBatch(m, f.floatInputs(), f.lengthInputs())));
        }
        assertEquals(f.outputNames(), new ArrayList<>(got.keySet()), "output port names");
        double worst = 0;
        for (Map.Entry<String, FloatTensor> e : f.expected().entrySet()) {
            worst = Math.max(worst, TensorAssertions.assertClose(e.getValue(), got.get(e.getKey()), f.tolerance(),
                    model.getFileName() + " output '" + e.getKey() + "' vs " + f.source()));
        }
        System.out.println(f.id() + "/" + model.getFileName() + ": max |diff| to Keras " + worst);
    }
}
