package org.lstm4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lstm4j.tensor.IntTensor;
import org.lstm4j.tensor.Npy;
import org.lstm4j.testing.RawFixtures;
import org.lstm4j.testing.TensorAssertions;
import org.lstm4j.testing.Tolerance;

/**
 * {@code lstm predict --raw} and {@code lstm inspect} on a model outside the LSTM family (a GRU text
 * classifier, {@link RawFixtures#gruText}): inspect says why it cannot be imported and how it runs raw;
 * predict --raw writes its float and integer outputs, which match PyTorch's.
 */
class RawModeCommandTest {

    @Test
    void inspectSaysTheModelCanOnlyRunRawAndWhy(@TempDir Path tmp) throws Exception {
        Path dir = RawFixtures.gruText(tmp);
        String[] r = BackendsCommandTest.run("inspect", dir.resolve("model.onnx").toString());
        assertEquals("1", r[0], r[1] + r[2]);
        String out = r[1];
        assertTrue(out.contains("cannot be imported as an LSTM model"), out);
        assertTrue(out.contains("model.onnx: node '"), "the refusal names the node: " + out);
        assertTrue(out.contains("It can only run raw"), out);
        assertTrue(out.contains("inputs 'ids' int64 [?, ?]; outputs 'logits' float [?, 3], 'label' int64 [?]"), out);
        assertTrue(out.contains("lstm predict --raw --model " + dir.resolve("model.onnx") + " --input ids=ids.npy --output-dir out/"), out);
    }

    @Test
    void predictRawWritesEveryOutputAsThePyTorchModelGivesIt(@TempDir Path tmp) throws Exception {
        Path dir = RawFixtures.gruText(tmp.resolve("model"));
        Path out = tmp.resolve("out");
        String[] r = BackendsCommandTest.run("predict", "--raw", "--model", dir.resolve("model.onnx").toString(),
                "--input", "ids=" + dir.resolve("inputs/ids.npy"), "--output-dir", out.toString());
        assertEquals("0", r[0], r[1] + r[2]);
        assertTrue(r[1].contains("backend: onnx (raw"), r[1]);
        TensorAssertions.assertClose(Npy.read(dir.resolve("expected/logits.npy")).toFloatTensor(),
                Npy.read(out.resolve("logits.npy")).toFloatTensor(), Tolerance.DEFAULT, "logits vs PyTorch");
        IntTensor expected = Npy.read(dir.resolve("expected/label.npy")).toIntTensor();
        IntTensor got = Npy.read(out.resolve("label.npy")).toIntTensor();
        for (int k = 0; k < expected.size(); k++) {
            assertEquals(expected.get(k), got.get(k), "label " + k);
        }
    }

    @Test
    void rawModeRunsOnTheOnnxBackendOnly(@TempDir Path tmp) throws Exception {
        Path dir = RawFixtures.gruText(tmp.resolve("model"));
        String[] r = BackendsCommandTest.run("predict", "--raw", "--backend", "java", "--model", dir.resolve("model.onnx").toString(),
                "--input", dir.resolve("inputs/ids.npy").toString(), "--output-dir", tmp.resolve("out").toString());
        assertEquals("1", r[0]);
        assertTrue(r[2].contains("--raw runs the graph as it is in ONNX Runtime (backend onnx); backend 'java' runs imported models only"),
                r[2]);
        String[] imported = BackendsCommandTest.run("predict", "--model", dir.resolve("model.onnx").toString(),
                "--input", dir.resolve("inputs/ids.npy").toString(), "--output-dir", tmp.resolve("out2").toString());
        assertEquals("1", imported[0]);
        assertTrue(imported[2].contains("model.onnx: node '"), imported[2]);
    }
}
