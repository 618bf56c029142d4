package org.lstm4j.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lstm4j.tensor.FloatTensor;
import org.lstm4j.tensor.Npy;

/** The fixture reader on a folder laid out as the corpus (the class-path corpus is read by lstm-conformance's tests). */
class FixtureTest {

    @Test
    void readsAFolderGroupByGroupWithItsInputsExpectedOutputsAndTolerance(@TempDir Path root) throws IOException {
        Path one = Files.createDirectories(root.resolve("g1/one"));
        Files.writeString(root.resolve("g1/index.txt"), "# a comment\none\n");
        Files.writeString(one.resolve("fixture.json"), """
                {"source": "hand-written", "expect": "match", "atol": 1e-4, "rtol": 0,
                 "inputs": ["x", "lens"], "outputs": ["y"]}""");
        Files.write(one.resolve("model.onnx"), new byte[] {1, 2, 3});
        Files.createDirectories(one.resolve("inputs"));
        Files.createDirectories(one.resolve("expected"));
        FloatTensor x = FloatTensor.of(new int[] {1, 2, 1}, new float[] {0.5f, -1f});
        Npy.write(one.resolve("inputs/x.npy"), x);
        Npy.writeLengths(one.resolve("inputs/lens.npy"), new int[] {2});
        Npy.write(one.resolve("expected/y.npy"), FloatTensor.of(new int[] {1, 1}, new float[] {0.25f}));
        Path two = Files.createDirectories(root.resolve("g2/two"));
        Files.writeString(root.resolve("g2/index.txt"), "two\n");
        Files.writeString(two.resolve("fixture.json"), """
                {"source": "hand-written", "expect": "refuse", "refusal": "Loop", "inputs": [], "outputs": []}""");

        List<Fixture> all = Fixture.all(root);
        assertEquals(List.of("g1/one", "g2/two"), all.stream().map(Fixture::id).toList());
        Fixture f = all.get(0);
        assertTrue(f.expectsMatch());
        assertEquals("hand-written", f.source());
        assertEquals(new Tolerance(1e-4, 0), f.tolerance());
        assertArrayEquals(new byte[] {1, 2, 3}, f.modelBytes());
        assertArrayEquals(x.toArray(), f.floatInputs().get("x").toArray());
        assertArrayEquals(new int[] {2}, f.lengthInputs().get("lens"));
        assertEquals(0.25f, f.expected().get("y").get(0));
        assertTrue(f.frameworkArray("weight_ih_l0").isEmpty());
        assertFalse(all.get(1).expectsMatch());
        assertEquals("Loop", all.get(1).refusal().orElseThrow());
    }

    @Test
    void aMissingFolderOrFileIsNamed(@TempDir Path root) throws IOException {
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> Fixture.all(root.resolve("nope")));
        assertTrue(e.getMessage().contains("nope"), e.getMessage());
        Files.createDirectories(root.resolve("g"));
        Files.writeString(root.resolve("g/index.txt"), "absent\n");
        e = assertThrows(UncheckedIOException.class, () -> Fixture.all(root));
        assertTrue(e.getMessage().contains("g/absent"), e.getMessage());
    }
}
