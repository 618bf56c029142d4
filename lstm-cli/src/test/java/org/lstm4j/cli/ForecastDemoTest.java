package org.lstm4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.lstm4j.conformance.Tolerance;

/**
 * {@code lstm forecast --demo} on each backend: its 36-step recursive forecast equals Keras's own
 * (demo.json, written by tools/demo/train_demo.py with Keras 3.15.1) within the kit's tolerance in
 * the model's scaled units, it beats the naive baseline, and it writes a CSV and a PNG chart.
 */
class ForecastDemoTest {

    @ParameterizedTest
    @ValueSource(strings = {"java", "onnx", "tf", "nd4j"})
    void theDemoForecastEqualsKerasAndBeatsTheNaiveBaseline(String backend, @TempDir Path dir) throws Exception {
        Path csv = dir.resolve("forecast.csv");
        Path png = dir.resolve("forecast.png");
        String[] r = BackendsCommandTest.run("forecast", "--demo", "--backend", backend, "--output", csv.toString(), "--chart", png.toString());
        assertEquals("0", r[0], r[1] + r[2]);
        assertTrue(r[1].contains("the LSTM wins"), r[1]);

        JsonNode demo;
        try (InputStream in = ForecastDemoTest.class.getResourceAsStream("/org/lstm4j/examples/demo/demo.json")) {
            demo = new ObjectMapper().readTree(in);
        }
        double offset = demo.get("scale").get("offset").asDouble();
        double factor = demo.get("scale").get("factor").asDouble();
        JsonNode keras = demo.get("forecast").get("recursive").get("keras");
        List<String> lines = Files.readAllLines(csv);
        assertEquals(keras.size() + 1, lines.size(), "header and one row per step");
        for (int i = 0; i < keras.size(); i++) {
            double got = Double.parseDouble(lines.get(i + 1).split(",")[1]);
            double expected = keras.get(i).asDouble();
            // compared in the units the model computes in (scaled), where float32 tolerances mean something
            assertTrue(Tolerance.DEFAULT.accepts((expected - offset) / factor, (got - offset) / factor),
                    "step " + i + ": " + got + " vs Keras " + expected);
        }
        BufferedImage image = ImageIO.read(png.toFile());
        assertTrue(image.getWidth() >= 800 && image.getHeight() >= 400, "chart size " + image.getWidth() + "x" + image.getHeight());
    }
}
