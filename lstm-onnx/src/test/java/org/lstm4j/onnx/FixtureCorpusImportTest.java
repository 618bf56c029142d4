package org.lstm4j.onnx;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.lstm4j.model.SequenceModel;
import org.lstm4j.tensor.FloatTensor;
import org.lstm4j.testing.Fixture;
import org.lstm4j.testing.TensorAssertions;

/**
 * Every committed conformance fixture (PyTorch, spec, Keras groups; see the fixture format in the
 * conformance kit) through import and the reference engine: "match" fixtures must agree with their
 * expected outputs (computed by the fixture's independent source, named in its fixture.json) within
 * the fixture's own atol/rtol; "refuse" fixtures must fail to import with their stated reason.
 *
 * <p>The corpus is read from the repository ({@code ../lstm-conformance/src/main/resources/...}, since
 * lstm-conformance sits above this module) with the kit's own reader ({@link Fixture}); the system property
 * {@code lstm4j.fixtureRoots} (path-separated) adds other fixture roots. Skipped when none exists.
 */
class FixtureCorpusImportTest {
    /**
     * Fixtures marked "match" that lstm4j deliberately refuses, with the reason the refusal must give.
     * spec/everything_bidirectional uses different activations per direction; lstm-api's LstmLayer holds one set
     * for both directions, and the importer's contract is to refuse such a node clearly rather than approximate it.
     * (Reported to the lead: either the fixture becomes "refuse" or the API grows per-direction activations.)
     */
    static final Map<String, String> DELIBERATELY_REFUSED = Map.of(
            "spec/everything_bidirectional", "forward and backward directions use different activations");

    static final Path REPO_FIXTURES = Path.of("../lstm-conformance/src/main/resources/org/lstm4j/conformance/fixtures");

    @TestFactory
    Stream<DynamicNode> everyFixtureImportsAndMatchesOrIsRefusedAsStated() {
        List<Path> roots = new ArrayList<>();
        if (Files.isDirectory(REPO_FIXTURES)) {
            roots.add(REPO_FIXTURES);
        }
        String extra = System.getProperty("lstm4j.fixtureRoots", "");
        for (String p : extra.split(File.pathSeparator)) {
            if (!p.isBlank() && Files.isDirectory(Path.of(p))) {
                roots.add(Path.of(p));
            }
        }
        assumeTrue(!roots.isEmpty(), "no fixture corpus at " + REPO_FIXTURES.toAbsolutePath());
        Map<String, List<DynamicTest>> groups = new LinkedHashMap<>();
        for (Path root : roots) {
            for (Fixture f : Fixture.all(root)) {
                groups.computeIfAbsent(f.group(), g -> new ArrayList<>()).add(DynamicTest.dynamicTest(f.name(), () -> check(f)));
            }
        }
        assumeTrue(!groups.isEmpty(), "no fixture group with an index.txt under " + roots);
        return groups.entrySet().stream().map(e -> DynamicContainer.dynamicContainer(e.getKey(), e.getValue()));
    }

    private static void check(Fixture f) {
        if (!f.hasOnnxModel()) {
            // No exporter writes these models (Keras masks, a packed PyTorch classifier): the conformance kit rebuilds
            // them from the framework's weight arrays instead.
            return;
        }
        if (!f.expectsMatch() || DELIBERATELY_REFUSED.containsKey(f.id())) {
            String reason = DELIBERATELY_REFUSED.getOrDefault(f.id(), f.refusal().orElse(""));
            OnnxImportException e = assertThrows(OnnxImportException.class, () -> OnnxImporter.importModel(f.modelBytes(), f.id()),
                    f.id() + " must be refused");
            assertTrue(e.getMessage().contains(reason), f.id() + ": refusal message should contain '" + reason + "', was: "
                    + e.getMessage());
            System.out.println(f.id() + ": refused as expected: " + e.getMessage());
            return;
        }
        SequenceModel m = OnnxImporter.importModel(f.modelBytes(), f.id());
        Map<String, FloatTensor> got = Oracle.run(m, f.floatInputs(), f.integerInputs());
        StringBuilder sb = new StringBuilder(f.id()).append(':');
        for (Map.Entry<String, FloatTensor> e : f.expected().entrySet()) {
            double d = TensorAssertions.assertClose(e.getValue(), got.get(e.getKey()), f.tolerance(), f.id() + " output '" + e.getKey() + "'");
            sb.append(' ').append(e.getKey()).append(" max|diff| ").append(d);
        }
        System.out.println(sb);
    }
}
