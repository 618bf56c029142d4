package org.lstm4j.keras;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
import org.lstm4j.tensor.Npy;
import org.lstm4j.tensor.NpyArray;

/**
 * Every Keras-file golden (groups keras3 and keras2, written by tools/keras/make_keras_goldens.py
 * with Keras 3.15.1 and tf.keras 2.15.0) imported from each of its files (.keras, .h5) and run on
 * the reference engine: the outputs must match Keras's own (expected/*.npy, model(x, training=False))
 * within atol = rtol = 1e-5, under the port names Keras's outputs get; refusals must name their cause.
 * The kit runs the same goldens on every backend ({@code BackendConformanceKit}).
 */
class KerasGoldensTest {

    static final Path FIXTURES = Path.of("../lstm-conformance/src/main/resources/org/lstm4j/conformance/fixtures");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TestFactory
    Stream<DynamicTest> everyKerasFileImportsAndMatchesKerasOrIsRefused() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (String group : List.of("keras3", "keras2")) {
            for (String name : Files.readAllLines(FIXTURES.resolve(group).resolve("index.txt"))) {
                if (name.isBlank()) {
                    continue;
                }
                Path dir = FIXTURES.resolve(group).resolve(name.strip());
                JsonNode f = JSON.readTree(dir.resolve("fixture.json").toFile());
                for (JsonNode file : f.get("model_files")) {
                    Path model = dir.resolve(file.asText());
                    tests.add(DynamicTest.dynamicTest(group + "/" + name + "/" + file.asText(), () -> check(f, dir, model)));
                }
            }
        }
        assertTrue(tests.size() > 40, "too few goldens: " + tests.size());
        return tests.stream();
    }

    private static void check(JsonNode f, Path dir, Path model) throws IOException {
        if (f.get("expect").asText().equals("refuse")) {
            String phrase = f.get("refusal").asText();
            KerasImportException e = assertThrows(KerasImportException.class, () -> KerasImporter.importModel(model));
            String why = e.getMessage().substring(model.toString().length());  // the file's path may contain the phrase
            assertTrue(why.contains(phrase), () -> "message should contain '" + phrase + "': " + e.getMessage());
            assertEquals(-1, e.getMessage().indexOf('\n'), "one line");
            System.out.println(dir.getFileName() + ": refused: " + e.getMessage());
            return;
        }
        SequenceModel m = KerasImporter.importModel(model);
        Map<String, FloatTensor> feeds = new LinkedHashMap<>();
        for (JsonNode in : f.get("inputs")) {
            NpyArray a = Npy.read(dir.resolve("inputs").resolve(in.asText() + ".npy"));
            feeds.put(in.asText(), a.toFloatTensor());
        }
        Map<String, FloatTensor> got;
        try (Predictor p = new ReferenceBackendProvider().compile(m)) {
            got = PortBinding.toOutputs(m, p.predict(PortBinding.toBatch(m, feeds, Map.of())));
        }
        List<String> names = new ArrayList<>();
        f.get("outputs").forEach(n -> names.add(n.asText()));
        assertEquals(names, new ArrayList<>(got.keySet()), "output port names");
        double worst = 0;
        for (String n : names) {
            FloatTensor expected = Npy.read(dir.resolve("expected").resolve(n + ".npy")).toFloatTensor();
            worst = Math.max(worst, assertClose(model.getFileName() + " output '" + n + "'", expected, got.get(n)));
        }
        System.out.println(dir.getFileName() + "/" + model.getFileName() + ": max |diff| to Keras " + worst);
    }

    /** |got - expected| <= 1e-5 + 1e-5 |expected| elementwise; returns the largest difference. */
    static double assertClose(String what, FloatTensor expected, FloatTensor got) {
        assertArrayEquals(expected.shape(), got.shape(), what + ": shape");
        double worst = 0;
        for (int i = 0; i < expected.size(); i++) {
            double d = Math.abs((double) got.get(i) - expected.get(i));
            worst = Math.max(worst, d);
            if (!(d <= 1e-5 + 1e-5 * Math.abs(expected.get(i)))) {
                throw new AssertionError(what + ": element " + i + " is " + got.get(i) + ", Keras gives " + expected.get(i));
            }
        }
        return worst;
    }
}
