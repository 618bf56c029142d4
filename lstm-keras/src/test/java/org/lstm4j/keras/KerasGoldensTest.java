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
 *
 * <p>Also the Keras 3 models of the keras-masks group (written by tools/keras/make_keras_mask_fixtures.py for
 * the mask semantics, functional models whose Masking and mask_zero Keras 3.15 writes as traced NotEqual/Any
 * op nodes, and explicit mask inputs): their model.keras imports and matches Keras's outputs, compared in
 * output order (that group names its outputs y, hn, cn).
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
            Path maskModel = FIXTURES.resolve(f.id()).resolve("model.keras");
            if (f.group().equals("keras-masks") && java.nio.file.Files.exists(maskModel)) {
                tests.add(DynamicTest.dynamicTest(f.id() + "/model.keras", () -> check(f, maskModel)));
            }
        }
        assertTrue(tests.size() > 90, "too few goldens: " + tests.size());
        return tests.stream();
    }

    private static void check(Fixture f, Path model) {
        if (f.refusal().isPresent()) {
            String phrase = f.refusal().get();
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
            got = PortBinding.toOutputs(m, p.predict(PortBinding.batchOf(m, f.floatInputs(), f.integerInputs())));
        }
        boolean named = !f.group().equals("keras-masks");
        if (named) {
            assertEquals(f.outputNames(), new ArrayList<>(got.keySet()), "output port names");
        }
        List<FloatTensor> gotInOrder = new ArrayList<>(got.values());
        double worst = 0;
        int k = 0;
        for (Map.Entry<String, FloatTensor> e : f.expected().entrySet()) {
            FloatTensor mine = named ? got.get(e.getKey()) : gotInOrder.get(k++);
            worst = Math.max(worst, TensorAssertions.assertClose(e.getValue(), mine, f.tolerance(),
                    model.getFileName() + " output '" + e.getKey() + "' vs " + f.source()));
        }
        System.out.println(f.id() + "/" + model.getFileName() + ": max |diff| to Keras " + worst);
    }
}
