package org.lstm4j.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.lstm4j.model.SequenceModel;
import org.lstm4j.onnx.proto.OnnxProto.ModelProto;
import org.lstm4j.onnx.proto.OnnxProto.TensorProto;
import org.lstm4j.onnx.proto.OnnxProto.ValueInfoProto;
import org.lstm4j.tensor.FloatTensor;
import org.lstm4j.tensor.IntTensor;
import org.lstm4j.testing.TensorAssertions;
import org.lstm4j.testing.Tolerance;

/**
 * The ONNX project's own LSTM operator tests (onnx/backend/test/data/node, onnx 1.18.0): one LSTM node
 * whose weights are graph inputs, with inputs and expected outputs as serialized TensorProtos. The
 * expected outputs are the ONNX reference implementation's. The weight inputs are bound as
 * initializers (an input with an initializer of its name is a constant in ONNX), the rest fed.
 */
class OnnxNodeTestsImportTest {
    /** Graph inputs that stay inputs; the others (W, R, B, P) become initializers. */
    private static final Set<String> DATA_INPUTS = Set.of("X", "sequence_lens", "initial_h", "initial_c");

    @TestFactory
    Stream<DynamicTest> everyLstmNodeTestMatchesItsExpectedOutputs() throws IOException {
        Path root = RealWorldImportTest.REAL_WORLD.resolve("onnx-node-tests");
        List<Path> dirs;
        try (Stream<Path> s = Files.list(root)) {
            dirs = s.filter(Files::isDirectory).sorted().toList();
        }
        assertEquals(4, dirs.size(), "the four test_lstm_* folders");
        return dirs.stream().map(d -> DynamicTest.dynamicTest(d.getFileName().toString(), () -> check(d)));
    }

    static TensorProto readPb(Path file) throws IOException {
        return TensorProto.parseFrom(Files.readAllBytes(file));
    }

    static Tensor decode(TensorProto t, String what) {
        return new TensorReader(OnnxImportOptions.defaults(), null, what).read(t, what);
    }

    private void check(Path dir) throws IOException {
        ModelProto m = ModelProto.parseFrom(Files.readAllBytes(dir.resolve("model.onnx")));
        Path data = dir.resolve("test_data_set_0");
        ModelProto.Builder b = m.toBuilder();
        Map<String, FloatTensor> feeds = new LinkedHashMap<>();
        Map<String, IntTensor> lengths = new LinkedHashMap<>();
        List<ValueInfoProto> inputs = m.getGraph().getInputList();
        for (int i = 0; i < inputs.size(); i++) {
            String name = inputs.get(i).getName();
            TensorProto t = readPb(data.resolve("input_" + i + ".pb"));
            if (DATA_INPUTS.contains(name)) {
                Tensor v = decode(t, name);
                if (name.equals("sequence_lens")) {
                    lengths.put(name, IntTensor.of(java.util.Arrays.stream(v.toLongs()).mapToInt(x -> (int) x).toArray()));
                } else {
                    feeds.put(name, toFloat(v));
                }
            } else {
                b.getGraphBuilder().addInitializer(t.toBuilder().setName(name));
            }
        }
        SequenceModel model = OnnxImporter.importModel(b.build().toByteArray(), dir.getFileName() + "/model.onnx");
        Map<String, FloatTensor> got = Oracle.run(model, feeds, lengths);
        List<ValueInfoProto> outputs = m.getGraph().getOutputList();
        List<String> checked = new ArrayList<>();
        for (int i = 0; i < outputs.size(); i++) {
            String name = outputs.get(i).getName();
            FloatTensor expected = toFloat(decode(readPb(data.resolve("output_" + i + ".pb")), name));
            double d = TensorAssertions.assertClose(expected, got.get(name), Tolerance.DEFAULT, dir.getFileName() + " " + name);
            checked.add(name + " (max |diff| " + d + ")");
        }
        System.out.println(dir.getFileName() + ": " + checked);
    }

    static FloatTensor toFloat(Tensor t) {
        int[] shape = new int[t.rank()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = (int) t.shape[i];
        }
        return FloatTensor.of(shape, t.toFloats());
    }
}
