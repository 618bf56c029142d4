package org.lstm4j.backend.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.lstm4j.conformance.FrameworkModels;
import org.lstm4j.model.LstmLayer;
import org.lstm4j.model.OutputMode;
import org.lstm4j.model.Port;
import org.lstm4j.model.SequenceModel;
import org.lstm4j.onnx.OnnxExporter;
import org.lstm4j.predict.StepMask;
import org.lstm4j.tensor.FloatTensor;
import org.lstm4j.testing.Fixture;

/**
 * The ONNX export (with ports) of every Keras-mask and PyTorch-text golden, built from the frameworks' own
 * weight arrays, written to a file and run as a plain graph in ONNX Runtime
 * ({@link OnnxRuntimeBackendProvider#openRaw}), gives the framework's outputs: the embedding as Gather, the
 * masks by {@code MaskedExport}'s rotation. Expected values: Keras 3.15 and PyTorch (the fixtures).
 * Rows whose mask has a hole, which ONNX's LSTM cannot skip, must come out NaN; a model the export refuses
 * must be one of the two forms the rotation cannot write (a LAST_STEP output, an inner go_backwards layer).
 */
class ExportedTextModelsTest {

    static Stream<Fixture> fixtures() {
        return Stream.concat(Fixture.group("keras-masks").stream(), Fixture.group("pytorch-text").stream()).filter(FrameworkModels::supports);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void theExportRunInOnnxRuntimeGivesTheFrameworksOutputs(Fixture f, @TempDir Path dir) throws IOException {
        FrameworkModels.Built built = FrameworkModels.build(f);
        SequenceModel m = built.model();
        byte[] onnx;
        try {
            onnx = OnnxExporter.export(m);
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage().contains("the ONNX export cannot write that") && rotationCannotWrite(m), f.id() + ": unexpected refusal: " + e.getMessage());
            assumeFalse(true, f.id() + ": refused at export: " + e.getMessage());
            return;
        }
        StepMask mask = StepMask.resolve(m, built.batch());  // null without a mask
        Path file = dir.resolve("model.onnx");
        Files.write(file, onnx);
        Map<String, FloatTensor> got;
        // Run as a plain graph by its own input names (ids int64, lengths int32, masks bool, as the export declares them).
        try (RawOnnxModel raw = OnnxRuntimeBackendProvider.openRaw(file)) {
            got = raw.run(f.floatInputs(), f.integerInputs());
        }
        for (Map.Entry<String, FloatTensor> e : f.expected().entrySet()) {
            FloatTensor y = got.get(e.getKey());
            assertNotNull(y, f.id() + ": the export has no output '" + e.getKey() + "'; it has " + got.keySet());
            FloatTensor x = e.getValue();
            assertArrayEquals(x.shape(), y.shape(), f.id() + " output '" + e.getKey() + "'");
            int axis = batchAxis(m, e.getKey());
            int stride = 1;
            for (int d = axis + 1; d < x.rank(); d++) {
                stride *= x.shape()[d];
            }
            for (int k = 0; k < x.size(); k++) {
                int row = k / stride % x.shape()[axis];
                String where = f.id() + " output '" + e.getKey() + "' element " + k + " (row " + row + ")";
                if (hasHole(mask, row)) {
                    assertTrue(Float.isNaN(y.get(k)), where + ": a row with a hole must be NaN, got " + y.get(k));
                } else {
                    assertTrue(f.tolerance().accepts(x.get(k), y.get(k)), where + ": exported " + y.get(k) + ", " + f.source() + " " + x.get(k));
                }
            }
        }
    }

    private static boolean rotationCannotWrite(SequenceModel m) {
        List<LstmLayer> lstms = m.lstmLayers();
        boolean innerGoBackwards = lstms.subList(0, lstms.size() - 1).stream().anyMatch(LstmLayer::reversedOutputOrder);
        return innerGoBackwards || lstms.get(lstms.size() - 1).outputMode() == OutputMode.LAST_STEP;
    }

    private static boolean hasHole(StepMask mask, int row) {
        return mask != null && mask.validCount(row) > 0 && mask.lastValid(row) - mask.firstValid(row) + 1 > mask.validCount(row);
    }

    /** Where a port's batch axis is: second for time-major sequences and stacked states, first otherwise. */
    private static int batchAxis(SequenceModel m, String output) {
        Port p = m.outputPorts().stream().filter(q -> q.name().equals(output)).findFirst().orElseThrow();
        return p.layout() == Port.Layout.TIME_MAJOR || p.layout() == Port.Layout.STACKED ? 1 : 0;
    }
}
