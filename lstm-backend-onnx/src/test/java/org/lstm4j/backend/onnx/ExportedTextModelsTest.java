package org.lstm4j.backend.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
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
import org.lstm4j.tensor.IntTensor;
import org.lstm4j.testing.Fixture;

/**
 * The ONNX export (with ports) of every Keras-mask and PyTorch-text golden, built from the frameworks' own
 * weight arrays, run as a plain graph in ONNX Runtime, gives the framework's outputs: the embedding as
 * Gather, the masks by {@code MaskedExport}'s rotation. Expected values: Keras 3.15 and PyTorch (the fixtures).
 * Rows whose mask has a hole, which ONNX's LSTM cannot skip, must come out NaN; a model the export refuses
 * must be one of the two forms the rotation cannot write (a LAST_STEP output, an inner go_backwards layer).
 */
class ExportedTextModelsTest {

    static Stream<Fixture> fixtures() {
        return Stream.concat(Fixture.group("keras-masks").stream(), Fixture.group("pytorch-text").stream()).filter(FrameworkModels::supports);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void theExportRunInOnnxRuntimeGivesTheFrameworksOutputs(Fixture f) throws OrtException {
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
        Map<String, FloatTensor> got = run(onnx, f);
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

    /** Feeds the fixture's inputs by graph name in the types the exported graph declares (float, int64 ids, int32 lengths, bool masks). */
    private static Map<String, FloatTensor> run(byte[] onnx, Fixture f) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        Map<String, FloatTensor> floats = f.floatInputs();
        Map<String, IntTensor> integers = f.integerInputs();
        List<OnnxTensor> open = new ArrayList<>();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            try (OrtSession session = env.createSession(onnx, options)) {
                Map<String, OnnxTensor> feeds = new LinkedHashMap<>();
                for (Map.Entry<String, NodeInfo> in : session.getInputInfo().entrySet()) {
                    String name = in.getKey();
                    OnnxJavaType type = ((TensorInfo) in.getValue().getInfo()).type;
                    OnnxTensor t;
                    if (type == OnnxJavaType.FLOAT) {
                        FloatTensor v = floats.get(name);
                        assertNotNull(v, f.id() + ": no float input '" + name + "'");
                        t = OnnxTensor.createTensor(env, FloatBuffer.wrap(v.toArray()), longs(v.shape()));
                    } else {
                        IntTensor v = integers.get(name);
                        assertNotNull(v, f.id() + ": no integer input '" + name + "'");
                        t = switch (type) {
                            case INT64 -> {
                                long[] ids = new long[v.size()];
                                for (int k = 0; k < ids.length; k++) {
                                    ids[k] = v.get(k);
                                }
                                yield OnnxTensor.createTensor(env, LongBuffer.wrap(ids), longs(v.shape()));
                            }
                            case INT32 -> OnnxTensor.createTensor(env, IntBuffer.wrap(v.toArray()), longs(v.shape()));
                            case BOOL -> OnnxTensor.createTensor(env, booleans(v));
                            default -> throw new AssertionError(f.id() + ": input '" + name + "' of type " + type);
                        };
                    }
                    open.add(t);
                    feeds.put(name, t);
                }
                Map<String, FloatTensor> out = new LinkedHashMap<>();
                try (OrtSession.Result result = session.run(feeds)) {
                    for (Map.Entry<String, OnnxValue> e : result) {
                        OnnxTensor t = (OnnxTensor) e.getValue();
                        long[] shape = t.getInfo().getShape();
                        int[] s = new int[shape.length];
                        for (int i = 0; i < s.length; i++) {
                            s[i] = Math.toIntExact(shape[i]);
                        }
                        FloatBuffer fb = t.getFloatBuffer();
                        float[] values = new float[fb.remaining()];
                        fb.get(values);
                        out.put(e.getKey(), FloatTensor.of(s, values));
                    }
                }
                return out;
            }
        } finally {
            open.forEach(OnnxTensor::close);
        }
    }

    /** A [batch, time] 1/0 mask as ONNX Runtime takes a bool tensor. */
    private static boolean[][] booleans(IntTensor v) {
        int[] s = v.shape();
        boolean[][] out = new boolean[s[0]][s[1]];
        for (int k = 0; k < v.size(); k++) {
            out[k / s[1]][k % s[1]] = v.get(k) != 0;
        }
        return out;
    }

    private static long[] longs(int[] a) {
        long[] out = new long[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i];
        }
        return out;
    }
}
