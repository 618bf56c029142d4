package org.lstm4j.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lstm4j.backend.BackendProvider;
import org.lstm4j.backend.java.ReferenceBackendProvider;
import org.lstm4j.conformance.keras.KerasContainerExporter;
import org.lstm4j.conformance.keras.KerasExport;
import org.lstm4j.conformance.keras.KerasParityCheck;
import org.lstm4j.tensor.FloatTensor;
import org.lstm4j.testing.Fixture;
import org.lstm4j.testing.Tolerance;

/**
 * {@link KerasParityCheck} with real Keras in the container: the backends of this module's class path ({@code java},
 * {@code java-fast}) reproduce Keras on committed models, and a broken backend is caught. Needs a Docker engine
 * (skipped without one; failed without one when LSTM4J_REQUIRE_DOCKER=true).
 */
@Tag("docker")
class KerasParityCheckTest {

    @Test
    void theStatefulServingModelWithTheUsersInputsMatchesKerasOnEveryBackend(@TempDir Path dir) throws Exception {
        KerasParityCheck.assumeDocker();
        Fixture f = Fixture.group("keras").stream().filter(x -> x.name().equals("state_serving")).findFirst().orElseThrow();
        Map<String, FloatTensor> inputs = f.floatInputs(); // x [2, T, 3], h0 and c0 [2, 5]: three Keras inputs
        KerasParityCheck.Report r = KerasParityCheck.of(model(f, dir)).run(inputs);
        System.out.println(r.table());
        r.assertParity();

        assertEquals(Agreement.availableBackends().stream().map(BackendProvider::name).toList(),
                r.results().stream().map(KerasParityCheck.Result::backend).toList(), "every available backend, in order");
        assertTrue(r.results().stream().allMatch(KerasParityCheck.Result::ran), r.table());
        // The container's Keras against the committed golden (Keras 3.15.1 in tools/python's venv, same inputs):
        // the expected values of the check are the framework's, whichever Python ran it.
        List<FloatTensor> golden = List.copyOf(f.expected().values()); // y, hn, cn (renamed by the fixture generator)
        List<FloatTensor> container = List.copyOf(r.export().expected().values()); // dense, lstm, lstm_1
        assertEquals(golden.size(), container.size());
        for (int i = 0; i < golden.size(); i++) {
            Tolerance.Comparison c = Tolerance.DEFAULT.compare(golden.get(i), container.get(i));
            assertTrue(c.passed(), "output " + i + ": Keras in the container vs the committed Keras golden: " + c.detail());
        }
    }

    @Test
    void aSeededSampleOnABidirectionalModelMatchesKeras(@TempDir Path dir) throws Exception {
        KerasParityCheck.assumeDocker();
        Fixture f = Fixture.group("keras").stream().filter(x -> x.name().equals("bidi_concat")).findFirst().orElseThrow();
        KerasParityCheck.Report r = KerasParityCheck.of(model(f, dir)).run(0);
        System.out.println(r.table());
        r.assertParity();
        assertTrue(r.table().contains("java-fast"), r.table());
        KerasExport export = r.export();
        for (String name : KerasContainerExporter.OUTPUT_FILES) {
            assertTrue(Files.isRegularFile(export.folder().resolve(name)), name + " copied back from the container");
        }
        assertEquals(List.of("x"), export.inputNames());
        assertArrayEquals(new int[] {2, 6, 3}, export.inputs().get("x").shape(), "the seeded sample: batch 2, the model's 6 steps, 3 features");
        assertTrue(export.log().stream().anyMatch(l -> l.startsWith("ONNX Runtime vs Keras max |diff|")), String.join("\n", export.log()));
    }

    @Test
    void aBackendThatComputesWronglyFailsTheCheckNamingIt(@TempDir Path dir) throws Exception {
        KerasParityCheck.assumeDocker();
        Fixture f = Fixture.group("keras").stream().filter(x -> x.name().equals("stacked2")).findFirst().orElseThrow();
        BackendProvider wrongGates = BrokenBackends.broken("wrong-gates",
                m -> BrokenBackends.mapLstms(m, l -> BrokenBackends.mapWeights(l, BrokenBackends::wrongGateOrder)), b -> b, t -> t, false);
        KerasParityCheck.Report r = KerasParityCheck.of(model(f, dir))
                .withBackends(List.of(new ReferenceBackendProvider(), wrongGates)).run(0);
        assertFalse(r.passed(), r.table());
        assertTrue(r.results().get(0).passed(), "the reference engine still matches Keras: " + r.table());
        AssertionError e = assertThrows(AssertionError.class, r::assertParity);
        assertTrue(e.getMessage().contains("wrong-gates") && e.getMessage().contains("DIFFERS"), e.getMessage());
    }

    private static Path model(Fixture f, Path dir) throws Exception {
        Path target = dir.resolve(f.name() + ".keras");
        try (InputStream in = KerasParityCheckTest.class.getResourceAsStream("/org/lstm4j/conformance/fixtures/" + f.id() + "/model.keras")) {
            Files.copy(in, target);
        }
        return target;
    }
}
