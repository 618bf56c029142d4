package org.lstm4j.conformance.keras;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.lstm4j.backend.BackendProvider;
import org.lstm4j.conformance.Agreement;
import org.lstm4j.testing.Tolerance;
import org.lstm4j.model.SequenceModel;
import org.lstm4j.onnx.OnnxImporter;
import org.lstm4j.predict.PortBinding;
import org.lstm4j.tensor.FloatTensor;

/**
 * Framework parity for your own Keras model, in your own CI, without a local Python: real Keras runs in a
 * container ({@link KerasContainerExporter}) and computes the expected outputs for your inputs, and every backend
 * on the class path must reproduce them from the exported {@code .onnx} within the tolerance.
 *
 * <pre>{@code
 * @Test
 * void myModelMatchesKeras() {
 *     KerasParityCheck.assumeDocker();                 // skip without an engine (fail with LSTM4J_REQUIRE_DOCKER=true)
 *     KerasParityCheck.of(Path.of("src/test/resources/my.keras"))
 *             .run(Map.of("x", x))                     // one tensor per Keras input, by name
 *             .assertParity();
 * }
 * }</pre>
 *
 * Needs Testcontainers on the test class path ({@code org.testcontainers:testcontainers}). A backend that cannot
 * run the model (it lacks a capability) is reported as not run, never as agreeing; at least one must run.
 */
public final class KerasParityCheck {

    /** Set to {@code true} where the container tests must run (CI): {@link #assumeDocker()} then fails instead of skipping. */
    public static final String REQUIRE_DOCKER_VARIABLE = "LSTM4J_REQUIRE_DOCKER";
    /** The route through the ONNX file Keras's own tf2onnx export wrote. */
    public static final String ONNX_ROUTE = "onnx";

    private final Path kerasFile;
    private final KerasContainerExporter exporter;
    private final List<BackendProvider> backends;
    private final Tolerance tolerance;

    private KerasParityCheck(Path kerasFile, KerasContainerExporter exporter, List<BackendProvider> backends, Tolerance tolerance) {
        this.kerasFile = Objects.requireNonNull(kerasFile, "kerasFile");
        this.exporter = Objects.requireNonNull(exporter, "exporter");
        this.backends = List.copyOf(backends);
        this.tolerance = Objects.requireNonNull(tolerance, "tolerance");
    }

    /** A check of {@code kerasFile} on every available backend, {@link Tolerance#DEFAULT}, the exporter's options from the environment. */
    public static KerasParityCheck of(Path kerasFile) {
        return new KerasParityCheck(kerasFile, new KerasContainerExporter(), Agreement.availableBackends(), Tolerance.DEFAULT);
    }

    public KerasParityCheck withExporter(KerasContainerExporter exporter) {
        return new KerasParityCheck(kerasFile, exporter, backends, tolerance);
    }

    public KerasParityCheck withBackends(List<BackendProvider> backends) {
        return new KerasParityCheck(kerasFile, exporter, backends, tolerance);
    }

    public KerasParityCheck withTolerance(Tolerance tolerance) {
        return new KerasParityCheck(kerasFile, exporter, backends, tolerance);
    }

    /**
     * Skips the calling test when no Docker engine answers, or fails it when {@value #REQUIRE_DOCKER_VARIABLE} is
     * {@code true} (so that CI cannot pass by skipping).
     */
    public static void assumeDocker() {
        if (KerasContainerExporter.dockerAvailable()) {
            return;
        }
        String why = "no Docker engine answered (Testcontainers' probe; on Linux without Docker Hub: eval \"$(tools/docker/"
                + "local-engine.sh start)\")";
        if (Boolean.parseBoolean(System.getenv(REQUIRE_DOCKER_VARIABLE))) {
            Assertions.fail(why + ", and " + REQUIRE_DOCKER_VARIABLE + "=true requires one");
        }
        Assumptions.abort(why);
    }

    /** Runs Keras on {@code inputs} (one tensor per Keras input, by name) in the container, then every backend. */
    public Report run(Map<String, FloatTensor> inputs) {
        Path out = tempFolder();
        return compare(exporter.export(kerasFile, out, inputs));
    }

    /** Runs Keras on a seeded sample (batch 2; {@code timeSteps} 0 for the model's own time dimension), then every backend. */
    public Report run(int timeSteps) {
        Path out = tempFolder();
        return compare(exporter.export(kerasFile, out, timeSteps));
    }

    /** Compares every backend with an export already made (its {@code expected/} are Keras's outputs). */
    public Report compare(KerasExport export) {
        Map<String, FloatTensor> inputs = export.inputs();
        Map<String, FloatTensor> expected = export.expected();
        SequenceModel model = OnnxImporter.importModel(export.model());
        List<Result> results = new ArrayList<>();
        for (Agreement.Run run : Agreement.runs(model, PortBinding.toBatch(model, inputs, Map.of()), backends)) {
            if (!run.ran()) {
                results.add(new Result(ONNX_ROUTE, run.backend(), Map.of(), run.skipped()));
                continue;
            }
            Map<String, Tolerance.Comparison> byOutput = new LinkedHashMap<>();
            for (Map.Entry<String, FloatTensor> e : expected.entrySet()) {
                FloatTensor got = run.outputs().get(e.getKey());
                byOutput.put(e.getKey(), got == null
                        ? new Tolerance.Comparison(false, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, -1,
                                "no output '" + e.getKey() + "' (the model gives " + run.outputs().keySet() + ")")
                        : tolerance.compare(e.getValue(), got));
            }
            results.add(new Result(ONNX_ROUTE, run.backend(), byOutput, null));
        }
        return new Report(kerasFile, export, kerasVersion(export), tolerance, results);
    }

    private static String kerasVersion(KerasExport export) {
        try {
            return "Keras " + new ObjectMapper().readTree(export.folder().resolve("export.json").toFile())
                    .path("versions").path("keras").asText("?");
        } catch (IOException e) {
            return "Keras (version unknown: " + e.getMessage() + ")";
        }
    }

    private static Path tempFolder() {
        try {
            return Files.createTempDirectory("lstm4j-keras-parity");
        } catch (IOException e) {
            throw new KerasExportException(KerasExportException.Failure.BAD_REQUEST,
                    "cannot create a temporary folder for the export: " + e.getMessage(), e);
        }
    }

    /** One backend on one route: its comparison with Keras, output by output, or why it did not run. */
    public record Result(String route, String backend, Map<String, Tolerance.Comparison> outputs, String skipped) {
        public boolean ran() {
            return skipped == null;
        }

        public boolean passed() {
            return ran() && outputs.values().stream().allMatch(Tolerance.Comparison::passed);
        }
    }

    /** Every backend's comparison with Keras; {@link #export()} keeps the files (model, inputs, Keras's outputs). */
    public record Report(Path kerasFile, KerasExport export, String keras, Tolerance tolerance, List<Result> results) {

        /** At least one backend ran, and every one that ran reproduced every output of Keras. */
        public boolean passed() {
            return results.stream().anyMatch(Result::ran) && results.stream().filter(Result::ran).allMatch(Result::passed);
        }

        /** Throws an {@link AssertionError} with {@link #table()} unless {@link #passed()}. */
        public Report assertParity() {
            if (!passed()) {
                throw new AssertionError("backends do not reproduce " + keras + " on " + kerasFile + "\n" + table());
            }
            return this;
        }

        /** One line per backend and output: route, backend, output, largest |difference| from Keras, verdict. */
        public String table() {
            StringBuilder sb = new StringBuilder();
            sb.append("parity with ").append(keras).append(" (in a container) on ").append(kerasFile).append("; ").append(tolerance)
                    .append("; export in ").append(export.folder()).append('\n');
            sb.append(String.format("%-6s %-10s %-12s %12s  %s%n", "route", "backend", "output", "max |diff|", "result"));
            for (Result r : results) {
                if (!r.ran()) {
                    sb.append(String.format("%-6s %-10s not run: %s%n", r.route(), r.backend(), r.skipped()));
                    continue;
                }
                for (Map.Entry<String, Tolerance.Comparison> e : r.outputs().entrySet()) {
                    Tolerance.Comparison c = e.getValue();
                    sb.append(String.format("%-6s %-10s %-12s %12.2e  %s%n", r.route(), r.backend(), e.getKey(), c.maxAbsolute(),
                            c.passed() ? "ok" : "DIFFERS: " + c.detail()));
                }
            }
            if (results.stream().noneMatch(Result::ran)) {
                sb.append("no backend could run the model\n");
            }
            return sb.toString();
        }
    }
}
