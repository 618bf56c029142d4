package org.lstm4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.lstm4j.backend.Backends;
import org.lstm4j.testing.Tolerance;

/**
 * {@code lstm forecast --demo NAME} on each backend: its LSTM forecasts from every origin equal
 * Keras's own (NAME.json, written by tools/demo/train_demo.py with Keras 3.15.1) within the kit's
 * tolerance in the model's scaled units; its verdict is true by its printed table; its Holt-Winters
 * rows agree with statsmodels' under the same evaluation; it writes a CSV and a PNG chart.
 */
class ForecastDemoTest {

    static JsonNode demo(String name) throws IOException {
        try (InputStream in = ForecastDemoTest.class.getResourceAsStream("/org/lstm4j/examples/demo/" + name + ".json")) {
            return new ObjectMapper().readTree(in);
        }
    }

    static Stream<Arguments> demosOnEveryBackend() {
        return Stream.of("co2", "sunspots").flatMap(d -> Stream.of("java", "java-fast", "onnx", "tf", "nd4j").map(b -> Arguments.of(d, b)));
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("demosOnEveryBackend")
    void theDemoForecastsEqualKerasFromEveryOrigin(String name, String backend, @TempDir Path dir) throws Exception {
        Path csv = dir.resolve("forecast.csv");
        Path png = dir.resolve("forecast.png");
        String[] r = BackendsCommandTest.run("forecast", "--demo", name, "--backend", backend, "--output", csv.toString(), "--chart",
                png.toString());
        assertEquals("0", r[0], r[1] + r[2]);

        JsonNode demo = demo(name);
        String kind = demo.get("variant").get("kind").asText();
        double offset = demo.get("scale").get("offset").asDouble();
        double factor = demo.get("scale").get("factor").asDouble();
        boolean logRatio = "hybrid".equals(kind) && "multiplicative".equals(demo.get("smoothing").get("season").asText());
        Map<String, double[]> lstm = forecasts(Files.readAllLines(csv), demo.get("dataset").get("column").asText(), "LSTM");
        JsonNode origins = demo.get("evaluation").get("per_origin");
        assertEquals(origins.size(), lstm.size(), "one LSTM forecast per origin");
        double worst = 0;
        for (JsonNode o : origins) {
            double[] got = lstm.get(o.get("after").asText());
            JsonNode keras = o.get("keras_scaled");
            assertEquals(keras.size(), got.length);
            for (int h = 0; h < got.length; h++) {
                // compared in the units the model computes in, where float32 tolerances mean something
                double scaled;
                if ("hybrid".equals(kind)) {
                    double f = o.get("smoothing_forecast").get(h).asDouble();
                    scaled = ((logRatio ? Math.log(got[h] / f) : got[h] - f) - offset) / factor;
                } else {
                    scaled = (got[h] - offset) / factor;
                }
                assertTrue(Tolerance.DEFAULT.accepts(keras.get(h).asDouble(), scaled),
                        "origin after " + o.get("after").asText() + ", step " + (h + 1) + ": " + scaled + " vs Keras " + keras.get(h));
                worst = Math.max(worst, Math.abs(scaled - keras.get(h).asDouble()));
            }
        }
        System.out.printf("demo %s on %s: max |difference| from Keras %.3g (model units) over %d origins%n", name, backend, worst,
                origins.size());
        BufferedImage image = ImageIO.read(png.toFile());
        assertTrue(image.getWidth() >= 800 && image.getHeight() >= 400, "chart size " + image.getWidth() + "x" + image.getHeight());
    }

    @ParameterizedTest
    @ValueSource(strings = {"co2", "sunspots"})
    void theVerdictIsTrueByThePrintedTableAndTheClassicalRowsAgreeWithStatsmodels(String name, @TempDir Path dir) throws Exception {
        String[] r = BackendsCommandTest.run("forecast", "--demo", name, "--output", dir.resolve("f.csv").toString(), "--chart",
                dir.resolve("f.png").toString());
        assertEquals("0", r[0], r[1] + r[2]);
        String out = r[1];
        if (System.getenv(Backends.ENVIRONMENT_VARIABLE) == null && System.getProperty(Backends.PROPERTY) == null) {
            assertTrue(out.contains("; backend java-fast\n"), "the demo runs on the embedded default: " + out);
        }
        Map<String, Double> mase = new HashMap<>();
        Matcher row = Pattern.compile("(?m)^  (\\S.*?)\\s+(\\d+\\.\\d{3}) ± (\\d+\\.\\d{3})").matcher(out);
        while (row.find()) {
            mase.put(row.group(1).replace(" *", ""), Double.parseDouble(row.group(2)));
        }
        String lstmRow = mase.keySet().stream().filter(k -> k.startsWith("LSTM")).findFirst().orElseThrow(() -> new AssertionError(out));
        String best = mase.entrySet().stream().filter(e -> !e.getKey().startsWith("LSTM")).min(Map.Entry.comparingByValue()).orElseThrow()
                .getKey();
        Matcher verdict = Pattern.compile("Verdict: the LSTM's MASE is (\\d+\\.\\d\\d)x that of the best classical forecaster, (.+) "
                + "\\((\\d+\\.\\d{3}) vs (\\d+\\.\\d{3})\\): (.+)\\.").matcher(out);
        assertTrue(verdict.find(), out);
        assertEquals(best, verdict.group(2), out);
        double ratio = mase.get(lstmRow) / mase.get(best);
        assertEquals(String.format("%.2f", ratio), verdict.group(1), out);
        assertEquals(ratio < 1 ? "the LSTM wins" : best + " wins", verdict.group(5), out);

        // the SARIMA row is statsmodels' own, recorded at training time, and says so
        assertTrue(out.contains("SARIMA(1,1,1)(0,1,1)") && out.contains(" *") && out.contains("not computed by lstm4j"), out);
        // our Holt-Winters, fitted by our optimiser, scores as statsmodels' fit does under the same evaluation. The two fits'
        // SSEs agree within 0.2% (StatsmodelsAgreementTest), but within that flat valley the parameters differ enough to move
        // 12-step forecasts: the multiplicative CO2 fit's MASE differs by 3.6%. 5% still catches a wrong origin or scale.
        JsonNode metrics = demo(name).get("metrics");
        for (String hw : List.of("Holt-Winters additive", "Holt-Winters multiplicative")) {
            if (!metrics.has(hw)) {
                continue;  // a series with zeros has no multiplicative season
            }
            double theirs = metrics.get(hw).get("mase").asDouble();
            assertEquals(theirs, mase.get(hw), 0.05 * theirs, hw + ": " + out);
        }
    }

    /** The CSV's forecasts of one forecaster (name prefix), by origin label, in step order. */
    static Map<String, double[]> forecasts(List<String> lines, String column, String forecaster) {
        assertEquals("forecaster,origin,step,date," + column + "_forecast," + column + "_actual", lines.get(0));
        Map<String, List<Double>> rows = new LinkedHashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",", -1);
            if (f[0].startsWith(forecaster)) {
                rows.computeIfAbsent(f[1], k -> new ArrayList<>()).add(Double.parseDouble(f[4]));
            }
        }
        Map<String, double[]> out = new LinkedHashMap<>();
        rows.forEach((k, v) -> out.put(k, v.stream().mapToDouble(Double::doubleValue).toArray()));
        return out;
    }
}
