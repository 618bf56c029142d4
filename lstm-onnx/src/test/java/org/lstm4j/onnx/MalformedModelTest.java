package org.lstm4j.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lstm4j.model.SequenceModel;
import org.lstm4j.onnx.proto.OnnxProto.AttributeProto;
import org.lstm4j.onnx.proto.OnnxProto.GraphProto;
import org.lstm4j.onnx.proto.OnnxProto.ModelProto;
import org.lstm4j.onnx.proto.OnnxProto.NodeProto;
import org.lstm4j.onnx.proto.OnnxProto.OperatorSetIdProto;
import org.lstm4j.onnx.proto.OnnxProto.StringStringEntryProto;
import org.lstm4j.onnx.proto.OnnxProto.TensorProto;
import org.lstm4j.onnx.proto.OnnxProto.TensorShapeProto;
import org.lstm4j.onnx.proto.OnnxProto.TypeProto;
import org.lstm4j.onnx.proto.OnnxProto.ValueInfoProto;

/**
 * Malformed, hostile and unsupported models, built with the generated protobuf builders: each must fail
 * with an {@link OnnxImportException} that says what is wrong (never an OOM, a stack overflow or a
 * silently different model). The base graph is a valid batch-major LSTM, checked to import first.
 */
class MalformedModelTest {
    private static final int I = 2;
    private static final int H = 3;

    static TensorProto floats(String name, long[] dims) {
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE);
        long n = 1;
        for (long d : dims) {
            t.addDims(d);
            n *= d;
        }
        for (int i = 0; i < n; i++) {
            t.addFloatData((float) Math.sin(i + 1) * 0.3f);
        }
        return t.build();
    }

    static TensorProto ints(String name, long... v) {
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.INT64_VALUE).addDims(v.length);
        for (long x : v) {
            t.addInt64Data(x);
        }
        return t.build();
    }

    static ValueInfoProto info(String name, Object... dims) {
        TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
        for (Object d : dims) {
            s.addDim(d instanceof String p ? TensorShapeProto.Dimension.newBuilder().setDimParam(p)
                    : TensorShapeProto.Dimension.newBuilder().setDimValue(((Number) d).longValue()));
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder()
                .setTensorType(TypeProto.Tensor.newBuilder().setElemType(1).setShape(s))).build();
    }

    static NodeProto node(String op, String name, String[] in, String[] out, AttributeProto... attrs) {
        return NodeProto.newBuilder().setOpType(op).setName(name).addAllInput(Arrays.asList(in)).addAllOutput(Arrays.asList(out))
                .addAllAttribute(Arrays.asList(attrs)).build();
    }

    static AttributeProto intsAttr(String name, long... v) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long x : v) {
            a.addInts(x);
        }
        return a.build();
    }

    static AttributeProto intAttr(String name, long v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(v).build();
    }

    /** x [batch, time, 2] -> Transpose -> LSTM(3) -> Squeeze(1) -> Transpose -> y [batch, time, 3]. */
    static GraphProto.Builder validGraph() {
        return GraphProto.newBuilder().setName("g")
                .addInput(info("x", "batch", "time", I))
                .addOutput(info("y", "batch", "time", H))
                .addInitializer(floats("W", new long[] {1, 4 * H, I}))
                .addInitializer(floats("R", new long[] {1, 4 * H, H}))
                .addInitializer(floats("B", new long[] {1, 8 * H}))
                .addInitializer(ints("one", 1))
                .addNode(node("Transpose", "to_time_major", new String[] {"x"}, new String[] {"xt"}, intsAttr("perm", 1, 0, 2)))
                .addNode(node("LSTM", "lstm", new String[] {"xt", "W", "R", "B"}, new String[] {"Y"}, intAttr("hidden_size", H)))
                .addNode(node("Squeeze", "squeeze", new String[] {"Y", "one"}, new String[] {"ys"}))
                .addNode(node("Transpose", "to_batch_major", new String[] {"ys"}, new String[] {"y"}, intsAttr("perm", 1, 0, 2)));
    }

    static byte[] model(GraphProto.Builder g) {
        return ModelProto.newBuilder().setIrVersion(8).addOpsetImport(OperatorSetIdProto.newBuilder().setVersion(17))
                .setGraph(g).build().toByteArray();
    }

    static OnnxImportException refused(byte[] bytes) {
        return assertThrows(OnnxImportException.class, () -> OnnxImporter.importModel(bytes, "test.onnx"));
    }

    static void assertMessage(OnnxImportException e, String... parts) {
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "message should contain '" + p + "': " + e.getMessage());
        }
    }

    @Test
    void theBaseGraphImports() {
        SequenceModel m = OnnxImporter.importModel(model(validGraph()), "test.onnx");
        assertEquals(1, m.lstmLayers().size());
        assertEquals(H, m.outputSize());
    }

    @Test
    void metadataPropsAreCarriedIntoTheModel() {
        byte[] bytes = ModelProto.newBuilder().setIrVersion(8).addOpsetImport(OperatorSetIdProto.newBuilder().setVersion(17))
                .addMetadataProps(StringStringEntryProto.newBuilder().setKey("scale").setValue("0.5"))
                .setGraph(validGraph()).build().toByteArray();
        assertEquals(java.util.Map.of("scale", "0.5"), OnnxImporter.importModel(bytes, "test.onnx").metadata());
    }

    @Test
    void aTruncatedFileIsReportedAsCorrupt() {
        byte[] full = model(validGraph());
        OnnxImportException e = refused(Arrays.copyOf(full, full.length / 2));
        assertMessage(e, "test.onnx", "truncated or corrupt");
    }

    @Test
    void anEmptyFileIsReported() {
        assertMessage(refused(new byte[0]), "empty");
    }

    @Test
    void rawDataOfTheWrongSizeIsRefused() {
        GraphProto.Builder g = validGraph();
        TensorProto w = TensorProto.newBuilder().setName("W").setDataType(1).addDims(1).addDims(4 * H).addDims(I)
                .setRawData(ByteString.copyFrom(new byte[10])).build();
        g.setInitializer(0, w);
        assertMessage(refused(model(g)), "initializer 'W'", "10 bytes of raw_data", "needs " + 4 * (4 * H * I) + " bytes");
    }

    @Test
    void typedDataOfTheWrongCountIsRefused() {
        GraphProto.Builder g = validGraph();
        g.setInitializer(1, floats("R", new long[] {1, 4 * H, H}).toBuilder().addFloatData(1f).build());
        assertMessage(refused(model(g)), "initializer 'R'", "holds " + (4 * H * H + 1) + " values");
    }

    @Test
    void aMissingInitializerNamesTheValue() {
        GraphProto.Builder g = validGraph();
        g.removeInitializer(1);
        assertMessage(refused(model(g)), "'R'", "neither a graph input, an initializer nor a node output");
    }

    @Test
    void anUnsupportedOpOnThePathIsNamedNotIgnored() {
        GraphProto.Builder g = validGraph();
        g.setNode(3, node("Sin", "mystery", new String[] {"ys"}, new String[] {"y"}));
        assertMessage(refused(model(g)), "node 'mystery' (Sin)", "op Sin is not supported");
    }

    @Test
    void aLoopIsRefusedWithAdviceToExportAFusedLstm() {
        GraphProto.Builder body = GraphProto.newBuilder().setName("body")
                .addNode(node("Sigmoid", "s", new String[] {"a"}, new String[] {"b"}))
                .addNode(node("Relu", "r", new String[] {"b"}, new String[] {"c"}));
        GraphProto.Builder g = validGraph();
        g.setNode(1, node("Loop", "unrolled_cell", new String[] {"", "", "xt"}, new String[] {"Y"},
                AttributeProto.newBuilder().setName("body").setType(AttributeProto.AttributeType.GRAPH).setG(body).build()));
        assertMessage(refused(model(g)), "node 'unrolled_cell' (Loop)", "nn.LSTM", "tf2onnx", "activation='relu'");
    }

    @Test
    void absurdDeclaredDimensionsAreRefusedBeforeAllocating() {
        GraphProto.Builder g = validGraph();
        g.setInitializer(0, TensorProto.newBuilder().setName("W").setDataType(1).addDims(1L << 40).addDims(1L << 40).addDims(1L << 40).build());
        assertMessage(refused(model(g)), "initializer 'W'", "overflows");
        g.setInitializer(0, TensorProto.newBuilder().setName("W").setDataType(1).addDims(1L << 20).addDims(1L << 20).build());
        assertMessage(refused(model(g)), "initializer 'W'", "more than the limit");
        g.setInitializer(0, TensorProto.newBuilder().setName("W").setDataType(1).addDims(-4).addDims(3).build());
        assertMessage(refused(model(g)), "initializer 'W'", "negative dimension");
    }

    @Test
    void externalDataOutsideTheModelFolderIsRefused(@TempDir Path dir) throws IOException {
        Path models = Files.createDirectories(dir.resolve("models"));
        Files.write(dir.resolve("secret.bin"), new byte[4 * 4 * H * I]);
        GraphProto.Builder g = validGraph();
        g.setInitializer(0, TensorProto.newBuilder().setName("W").setDataType(1).addDims(1).addDims(4 * H).addDims(I)
                .setDataLocation(TensorProto.DataLocation.EXTERNAL)
                .addExternalData(StringStringEntryProto.newBuilder().setKey("location").setValue("../secret.bin")).build());
        Path file = models.resolve("model.onnx");
        Files.write(file, model(g));
        OnnxImportException e = assertThrows(OnnxImportException.class, () -> OnnxImporter.importModel(file));
        assertMessage(e, "'../secret.bin'", "outside the model's folder");

        // The same bytes without a folder to resolve in are refused too.
        assertMessage(refused(Files.readAllBytes(file)), "external file");
    }

    @Test
    void externalDataInsideTheModelFolderIsRead(@TempDir Path dir) throws IOException {
        TensorProto w = floats("W", new long[] {1, 4 * H, I});
        java.nio.ByteBuffer raw = java.nio.ByteBuffer.allocate(4 * w.getFloatDataCount()).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        w.getFloatDataList().forEach(raw::putFloat);
        Files.write(dir.resolve("weights.bin"), raw.array());
        GraphProto.Builder g = validGraph();
        g.setInitializer(0, TensorProto.newBuilder().setName("W").setDataType(1).addDims(1).addDims(4 * H).addDims(I)
                .setDataLocation(TensorProto.DataLocation.EXTERNAL)
                .addExternalData(StringStringEntryProto.newBuilder().setKey("location").setValue("weights.bin")).build());
        Files.write(dir.resolve("model.onnx"), model(g));
        SequenceModel external = OnnxImporter.importModel(dir.resolve("model.onnx"));
        SequenceModel inline = OnnxImporter.importModel(model(validGraph()), "test.onnx");
        assertEquals(inline.lstmLayers().get(0).weights(), external.lstmLayers().get(0).weights());
    }

    @Test
    void aCycleIsReportedNotRecursedInto() {
        GraphProto.Builder g = validGraph();
        g.setNode(0, node("Transpose", "to_time_major", new String[] {"y"}, new String[] {"xt"}, intsAttr("perm", 1, 0, 2)));
        assertMessage(refused(model(g)), "cycle");
    }

    @Test
    void limitsOfTheOptionsApply() {
        byte[] bytes = model(validGraph());
        OnnxImporter small = new OnnxImporter(OnnxImportOptions.builder().maxFileBytes(100).build());
        assertMessage(assertThrows(OnnxImportException.class, () -> small.read(bytes, "test.onnx")), "larger than the limit");
        OnnxImporter fewNodes = new OnnxImporter(OnnxImportOptions.builder().maxNodes(2).build());
        assertMessage(assertThrows(OnnxImportException.class, () -> fewNodes.read(bytes, "test.onnx")), "4 nodes", "maxNodes");
        OnnxImporter fewElements = new OnnxImporter(OnnxImportOptions.builder().maxTotalElements(20).build());
        assertMessage(assertThrows(OnnxImportException.class, () -> fewElements.read(bytes, "test.onnx")), "maxTotalElements");
    }

    @Test
    void deeplyNestedSubgraphsAreRefusedByTheParser() {
        GraphProto.Builder inner = GraphProto.newBuilder().setName("leaf");
        for (int i = 0; i < 200; i++) {
            inner = GraphProto.newBuilder().setName("g" + i).addNode(NodeProto.newBuilder().setOpType("Loop")
                    .addAttribute(AttributeProto.newBuilder().setName("body").setType(AttributeProto.AttributeType.GRAPH).setG(inner)));
        }
        byte[] bytes = ModelProto.newBuilder().setIrVersion(8).addOpsetImport(OperatorSetIdProto.newBuilder().setVersion(17))
                .setGraph(inner).build().toByteArray();
        assertMessage(refused(bytes), "truncated or corrupt", "nesting");
    }

    @Test
    void theBackwardHalfOfABidirectionalFinalStateIsRefusedWithTheCatIdiom() {
        GraphProto.Builder g = GraphProto.newBuilder().setName("g")
                .addInput(info("x", "time", "batch", I))
                .addOutput(info("y", "batch", H))
                .addInitializer(floats("W", new long[] {2, 4 * H, I}))
                .addInitializer(floats("R", new long[] {2, 4 * H, H}))
                .addInitializer(TensorProto.newBuilder().setName("last").setDataType(7).addInt64Data(-1).build())
                .addNode(node("LSTM", "lstm", new String[] {"x", "W", "R"}, new String[] {"", "Y_h"}, intAttr("hidden_size", H),
                        AttributeProto.newBuilder().setName("direction").setType(AttributeProto.AttributeType.STRING)
                                .setS(ByteString.copyFromUtf8("bidirectional")).build()))
                .addNode(node("Gather", "h_n_last", new String[] {"Y_h", "last"}, new String[] {"y"}, intAttr("axis", 0)));
        assertMessage(refused(model(g)), "backward", "torch.cat((h_n[-2], h_n[-1]), dim=1)");
    }

    @Test
    void anOpsetOlderThan7IsRefused() {
        byte[] bytes = ModelProto.newBuilder().setIrVersion(3).addOpsetImport(OperatorSetIdProto.newBuilder().setVersion(6))
                .setGraph(validGraph()).build().toByteArray();
        assertMessage(refused(bytes), "opset 6");
    }
}
