package org.lstm4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.lstm4j.conformance.KitAssertions.assertClose;

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
import org.lstm4j.conformance.Fixture;
import org.lstm4j.tensor.FloatTensor;
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
        for (Map.Entry<String, int[]> e : f.lengthInputs().entrySet()) {
            args.add("--input");
            args.add(e.getKey() + "=" + writeInt32(dir.resolve("in-" + PredictCommand.fileName(e.getKey()) + ".npy"), e.getValue()));
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

    /** An int32 .npy (lstm4j writes float32 only; lengths files come from NumPy in practice). */
    private static Path writeInt32(Path file, int[] values) throws IOException {
        String dict = "{'descr': '<i4', 'fortran_order': False, 'shape': (" + values.length + ",), }";
        int pad = (64 - (10 + dict.length() + 1) % 64) % 64;
        String header = dict + " ".repeat(pad) + "\n";
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(10 + header.length() + 4 * values.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) header.length());
        b.put(header.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        for (int v : values) {
            b.putInt(v);
        }
        return Files.write(file, b.array());
    }
}
