package org.lstm4j.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.lstm4j.backend.BackendProvider;
import org.lstm4j.backend.Backends;
import org.lstm4j.predict.Predictor;
import org.lstm4j.tensor.FloatTensor;
import org.lstm4j.testing.TensorAssertions;
import org.lstm4j.testing.Tolerance;

/**
 * The text example's model, rebuilt in Java from Keras's arrays, tokenizes and pads as Keras's
 * {@code pad_sequences} did and gives Keras's own probabilities (text.json, written by
 * tools/demo/train_text.py) on every backend on this class path.
 */
class TextClassificationExampleTest {

    private static final TextClassificationExample.TextModel MODEL = TextClassificationExample.load();

    @Test
    void tokenizesAndPrePadsAsKerasPadSequencesDid() {
        for (JsonNode s : MODEL.record().get("samples")) {
            int[] expected = new int[s.get("ids").size()];
            for (int k = 0; k < expected.length; k++) {
                expected[k] = s.get("ids").get(k).asInt();
            }
            assertArrayEquals(expected, MODEL.encode(s.get("text").asText()), s.get("text").asText());
        }
    }

    @Test
    void everyBackendGivesKerassProbabilities() {
        List<String> texts = new ArrayList<>();
        List<float[]> keras = new ArrayList<>();
        for (JsonNode s : MODEL.record().get("samples")) {
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
            try (Predictor p = b.compile(MODEL.model())) {
                TensorAssertions.assertClose(expected, p.predict(MODEL.encode(texts)).output(), Tolerance.DEFAULT, "backend " + b.name() + " vs Keras");
                ran++;
            }
        }
        assertTrue(ran == 5, "every backend ran: " + ran);
    }

    @Test
    void theExampleRunsAndStreams() {
        PrintStream saved = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            TextClassificationExample.main(new String[] {"java-fast", "was the soup good"});
        } finally {
            System.setOut(saved);
        }
        String out = buffer.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("question") && out.contains("(yours)") && out.contains("streaming"), out);
    }
}
