package org.lstm4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.lstm4j.testing.TensorAssertions.assertClose;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.lstm4j.testing.Fixture;
import org.lstm4j.tensor.FloatTensor;
import org.lstm4j.tensor.IntTensor;
import org.lstm4j.tensor.Npy;

/**
 * {@code lstm predict --backend B} on every importable fixture of the golden corpus, for every
 * backend: the .npy files it writes match the outputs of the fixture's independent source
 * (PyTorch, Keras, or the float64 ONNX-specification implementation) within the fixture's tolerance.
 */
class PredictCommandCorpusTest {

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (String backend : List.of("java", "onnx", "tf", "nd4j")) {
            for (Fixture f : Fixture.all()) {
                if (f.expectsMatch()) {
                    out.add(Arguments.of(backend, f));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("cases")
    void predictWritesTheFrameworksOutputs(String backend, Fixture f, @TempDir Path dir) throws IOException {
        List<String> args = new ArrayList<>(List.of("predict", "--model", write(dir, "model.onnx", f.modelBytes()).toString(),
                "--output-dir", dir.resolve("out").toString(), "--backend", backend));
        for (Map.Entry<String, FloatTensor> e : f.floatInputs().entrySet()) {
            Path file = dir.resolve("in-" + PredictCommand.fileName(e.getKey()) + ".npy");
            Npy.write(file, e.getValue());
            args.add("--input");
            args.add(e.getKey() + "=" + file);
        }
        for (Map.Entry<String, IntTensor> e : f.integerInputs().entrySet()) {
            Path file = dir.resolve("in-" + PredictCommand.fileName(e.getKey()) + ".npy");
            Npy.write(file, e.getValue());
            args.add("--input");
            args.add(e.getKey() + "=" + file);
        }
        String[] r = BackendsCommandTest.run(args.toArray(new String[0]));
        assertEquals("0", r[0], r[1] + r[2]);
        for (Map.Entry<String, FloatTensor> e : f.expected().entrySet()) {
            FloatTensor got = Npy.read(dir.resolve("out").resolve(PredictCommand.fileName(e.getKey()) + ".npy")).toFloatTensor();
            assertClose(e.getValue(), got, f.tolerance(), f.id() + " output '" + e.getKey() + "' on " + backend + " vs " + f.source());
        }
    }

    private static Path write(Path dir, String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }
}
