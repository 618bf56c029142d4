package org.lstm4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.lstm4j.backend.BackendProvider;
import org.lstm4j.backend.Backends;
import org.lstm4j.keras.KerasImporter;
import org.lstm4j.model.SequenceModel;
import org.lstm4j.predict.Predictor;
import org.lstm4j.tensor.FloatTensor;
import org.lstm4j.testing.TensorAssertions;
import org.lstm4j.testing.Tolerance;

/**
 * The text example's trained Keras model, read straight from the {@code model.keras} that
 * tools/demo/train_text.py saved (Keras 3.15.1, Sequential Embedding(mask_zero=True) -> LSTM ->
 * Dense(softmax)), gives Keras's own probabilities (text.json) on every backend, and is the model
 * the example rebuilds by hand from Keras's arrays.
 */
class TextModelKerasFileTest {

    private static final TextClassificationExample.TextModel TEXT = TextClassificationExample.load();

    private static SequenceModel fromKerasFile() throws IOException {
        try (InputStream in = TextModelKerasFileTest.class.getResourceAsStream("/org/lstm4j/examples/text/model.keras")) {
            return KerasImporter.importModel(in.readAllBytes(), "text/model.keras");
        }
    }

    @Test
    void theKerasFileImportsAsTheModelTheExampleBuilds() throws IOException {
        assertEquals(TEXT.model().layers(), fromKerasFile().layers());
    }

    @Test
    void theKerasFileGivesKerassProbabilitiesOnEveryBackend() throws IOException {
        SequenceModel model = fromKerasFile();
        List<String> texts = new ArrayList<>();
        List<float[]> keras = new ArrayList<>();
        for (JsonNode s : TEXT.record().get("samples")) {
            texts.add(s.get("text").asText());
            float[] p = new float[s.get("keras_probabilities").size()];
            for (int k = 0; k < p.length; k++) {
                p[k] = (float) s.get("keras_probabilities").get(k).asDouble();
            }
            keras.add(p);
        }
        FloatTensor expected = FloatTensor.of(keras.toArray(new float[0][]));
        int ran = 0;
        for (Backends.Candidate c : Backends.discover(getClass().getClassLoader())) {
            BackendProvider b = c.provider().orElseThrow();
            try (Predictor p = b.compile(model)) {
                TensorAssertions.assertClose(expected, p.predict(TEXT.encode(texts)).output(), Tolerance.DEFAULT,
                        "model.keras on backend " + b.name() + " vs Keras");
                ran++;
            }
        }
        assertTrue(ran == 5, "every backend ran: " + ran);
    }
}
