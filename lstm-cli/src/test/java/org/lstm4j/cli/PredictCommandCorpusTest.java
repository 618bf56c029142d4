package org.lstm4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lstm4j.testing.TensorAssertions.assertClose;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.lstm4j.backend.Backends;
import org.lstm4j.backend.Capability;
import org.lstm4j.conformance.KitCase;
import org.lstm4j.format.ModelLoader;
import org.lstm4j.model.SequenceModel;
import org.lstm4j.predict.PortBinding;
import org.lstm4j.testing.Fixture;
import org.lstm4j.tensor.FloatTensor;
import org.lstm4j.tensor.IntTensor;
import org.lstm4j.tensor.Npy;

/**
 * {@code lstm predict --backend B} on every importable fixture of the golden corpus, for every
 * backend, from each of its model files (.onnx; .keras and .h5 as Keras saved them): the .npy files it
 * writes match the outputs of the fixture's independent source (PyTorch, Keras, or the float64
 * ONNX-specification implementation) within the fixture's tolerance. Where the backend lacks a
 * capability the case needs (a mask with holes on a backend without ARBITRARY_MASKS), the command
 * must fail naming it.
 */
class PredictCommandCorpusTest {

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (String backend : List.of("java", "java-fast", "onnx", "tf", "nd4j")) {
            for (Fixture f : Fixture.all()) {
                if (f.expectsMatch()) {
                    for (String file : f.modelFiles()) {
                        out.add(Arguments.of(backend, f, file));
                    }
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}: {1} {2}")
    @MethodSource("cases")
    void predictWritesTheFrameworksOutputs(String backend, Fixture f, String modelFile, @TempDir Path dir) throws IOException {
        List<String> args = new ArrayList<>(List.of("predict", "--model", write(dir, modelFile, f.modelBytes(modelFile)).toString(),
                "--output-dir", dir.resolve("out").toString(), "--backend", backend));
        for (Map.Entry<String, FloatTensor> e : f.floatInputs().entrySet()) {
            Path file = dir.resolve("in-" + PredictCommand.fileName(e.getKey()) + ".npy");
            Npy.write(file, e.getValue());
            args.add("--input");
            args.add(e.getKey() + "=" + file);
        }
        for (Map.Entry<String, IntTensor> e : f.integerInputs().entrySet()) {  // token ids, lengths, masks
            Path file = dir.resolve("in-" + PredictCommand.fileName(e.getKey()) + ".npy");
            Npy.write(file, e.getValue());
            args.add("--input");
            args.add(e.getKey() + "=" + file);
        }
        String[] r = BackendsCommandTest.run(args.toArray(new String[0]));
        Set<Capability> missing = missingCapabilities(backend, f, modelFile);
        if (!missing.isEmpty()) {
            assertNotEquals("0", r[0], f.id() + " on " + backend + " should be refused for lacking " + missing);
            assertTrue(missing.stream().anyMatch(c -> r[2].contains(c.name())), () -> "message should name " + missing + ": " + r[2]);
            return;
        }
        assertEquals("0", r[0], r[1] + r[2]);
        for (Map.Entry<String, FloatTensor> e : f.expected().entrySet()) {
            FloatTensor got = Npy.read(dir.resolve("out").resolve(PredictCommand.fileName(e.getKey()) + ".npy")).toFloatTensor();
            assertClose(e.getValue(), got, f.tolerance(), f.id() + " output '" + e.getKey() + "' on " + backend + " vs " + f.source());
        }
    }

    /** What the case needs that the backend does not declare (the kit's own accounting). */
    private static Set<Capability> missingCapabilities(String backend, Fixture f, String modelFile) {
        SequenceModel m = ModelLoader.load(f.modelBytes(modelFile), f.id() + "/" + modelFile);
        Set<Capability> need = EnumSet.noneOf(Capability.class);
        need.addAll(KitCase.requirementsOf(m, PortBinding.batchOf(m, f.floatInputs(), f.integerInputs())));
        need.removeAll(Backends.select(backend).capabilities());
        return need;
    }

    private static Path write(Path dir, String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }
}
