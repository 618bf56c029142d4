package org.lstm4j.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lstm4j.model.SequenceModel;
import org.lstm4j.onnx.OnnxImportException;
import org.lstm4j.onnx.OnnxImporter;
import org.lstm4j.onnx.proto.OnnxProto.AttributeProto;
import org.lstm4j.onnx.proto.OnnxProto.GraphProto;
import org.lstm4j.onnx.proto.OnnxProto.ModelProto;
import org.lstm4j.onnx.proto.OnnxProto.NodeProto;
import org.lstm4j.onnx.proto.OnnxProto.StringStringEntryProto;
import org.lstm4j.onnx.proto.OnnxProto.TensorProto;

/**
 * Hostile ONNX models, each built from a valid one (the spec fixture {@code default_forward}: one
 * LSTM node, W [1,16,3], R [1,16,4], B [1,32], written by the ONNX helper in Python) with the
 * generated protobuf classes, and each refused by {@link OnnxImporter} with an
 * {@link OnnxImportException} that names the source and what is wrong. They run in this module's
 * 256 MB test heap: a model that made the importer allocate what it declares would fail here with
 * {@link OutOfMemoryError}.
 */
class HostileModelTest {

    private static final String FIXTURE = "/org/lstm4j/conformance/fixtures/spec/default_forward/model.onnx";
    private static final String SOURCE = "hostile.onnx";

    @TempDir
    Path dir;

    private static ModelProto base() {
        try (InputStream in = HostileModelTest.class.getResourceAsStream(FIXTURE)) {
            return ModelProto.parseFrom(in);
        } catch (IOException e) {
            throw new IllegalStateException("fixture " + FIXTURE + " is missing from the class path", e);
        }
    }

    /** The base model with initializer {@code name} edited. */
    private static ModelProto withInitializer(String name, Consumer<TensorProto.Builder> edit) {
        ModelProto.Builder m = base().toBuilder();
        GraphProto.Builder g = m.getGraphBuilder();
        for (TensorProto.Builder t : g.getInitializerBuilderList()) {
            if (t.getName().equals(name)) {
                edit.accept(t);
                return m.build();
            }
        }
        throw new IllegalStateException("no initializer " + name);
    }

    /** Imports from bytes and returns the refusal's message, which must name the source. */
    private static String refusal(ModelProto model) {
        return refusal(model.toByteArray());
    }

    private static String refusal(byte[] bytes) {
        OnnxImportException e = assertThrows(OnnxImportException.class, () -> OnnxImporter.importModel(bytes, SOURCE));
        System.out.println("refused: " + e.getMessage());
        assertTrue(e.getMessage().startsWith(SOURCE), "the message names the source: " + e.getMessage());
        return e.getMessage();
    }

    private static void assertMentions(String message, String... parts) {
        for (String p : parts) {
            assertTrue(message.contains(p), "message should mention '" + p + "': " + message);
        }
    }

    @Test
    void theUneditedBaseModelImports() {
        SequenceModel m = OnnxImporter.importModel(base().toByteArray(), SOURCE);
        assertEquals(3, m.inputSize());
    }

    @Test
    void absurdDeclaredDimensionsAreRefusedBeforeAllocation() {
        String m = refusal(withInitializer("W", t -> t.clearDims().addDims(1).addDims(1 << 20).addDims(1 << 20)));
        assertMentions(m, "'W'");
    }

    @Test
    void dimensionsWhoseProductOverflowsALongAreRefused() {
        String m = refusal(withInitializer("W", t -> t.clearDims().addDims(1L << 32).addDims(1L << 32).addDims(4)));
        assertMentions(m, "'W'");
    }

    @Test
    void negativeDimensionsAreRefused() {
        String m = refusal(withInitializer("W", t -> t.clearDims().addDims(1).addDims(-16).addDims(-3)));
        assertMentions(m, "'W'", "-16");
    }

    @Test
    void rawDataShorterThanTheShapeIsRefused() {
        String m = refusal(withInitializer("W", t -> t.setRawData(t.getRawData().substring(0, 100))));
        assertMentions(m, "'W'", "100");
    }

    @Test
    void rawDataLongerThanTheShapeIsRefused() {
        String m = refusal(withInitializer("W", t -> t.setRawData(t.getRawData().concat(ByteString.copyFrom(new byte[64])))));
        assertMentions(m, "'W'", "256");
    }

    @Test
    void typedDataOfTheWrongCountIsRefused() {
        String m = refusal(withInitializer("R", t -> {
            t.clearRawData();
            for (int i = 0; i < 10; i++) {
                t.addFloatData(i);
            }
        }));
        assertMentions(m, "'R'", "10");
    }

    @Test
    void weightsOfANonNumericTypeAreRefused() {
        String m = refusal(withInitializer("W", t -> t.setDataType(TensorProto.DataType.STRING_VALUE).clearRawData().addStringData(ByteString.copyFromUtf8("x"))));
        assertMentions(m, "'W'");
    }

    @Test
    void anAbsurdHiddenSizeIsRefused() {
        ModelProto.Builder b = base().toBuilder();
        NodeProto.Builder lstm = b.getGraphBuilder().getNodeBuilder(0);
        for (AttributeProto.Builder a : lstm.getAttributeBuilderList()) {
            if (a.getName().equals("hidden_size")) {
                a.setI(1L << 40);
            }
        }
        String m = refusal(b.build());
        assertMentions(m, "hidden_size");
    }

    @Test
    void truncatedProtobufIsRefused() {
        byte[] all = base().toByteArray();
        String m = refusal(Arrays.copyOf(all, all.length / 2));
        assertMentions(m, "protobuf");
    }

    @Test
    void bytesThatAreNoModelAtAllAreRefused() {
        refusal("{\"this\": \"is JSON\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        refusal(new byte[0]);
    }

    @Test
    void deeplyNestedSubgraphsAreRefusedWithoutOverflowingTheStack() {
        // 100,000 graphs, each a node whose attribute holds the next graph (as a Loop body nests): the
        // base model followed by a second 'graph' field, which protobuf merges into the first.
        byte[] base = base().toByteArray();
        byte[] nested = nestedGraphField(100_000);
        byte[] all = Arrays.copyOf(base, base.length + nested.length);
        System.arraycopy(nested, 0, all, base.length, nested.length);
        String m = refusal(all);
        assertMentions(m, "protobuf");
    }

    /**
     * ModelProto field 7 (graph) holding {@code levels} nested GraphProto -> NodeProto (field 1) ->
     * AttributeProto (field 5) -> GraphProto (field 6) levels, written as wire bytes from the
     * outside in: the generated classes' own serialiser would overflow the stack on them.
     */
    private static byte[] nestedGraphField(int levels) {
        long[] graph = new long[levels + 1];
        long[] node = new long[levels + 1];
        long[] attribute = new long[levels + 1];
        for (int i = 1; i <= levels; i++) {
            attribute[i] = 1 + varintSize(graph[i - 1]) + graph[i - 1];
            node[i] = 1 + varintSize(attribute[i]) + attribute[i];
            graph[i] = 1 + varintSize(node[i]) + node[i];
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.write(0x3a); // ModelProto.graph = 7, length-delimited
        writeVarint(out, graph[levels]);
        for (int i = levels; i >= 1; i--) {
            out.write(0x0a); // GraphProto.node = 1
            writeVarint(out, node[i]);
            out.write(0x2a); // NodeProto.attribute = 5
            writeVarint(out, attribute[i]);
            out.write(0x32); // AttributeProto.g = 6
            writeVarint(out, graph[i - 1]);
        }
        return out.toByteArray();
    }

    private static int varintSize(long v) {
        int n = 1;
        while ((v >>>= 7) != 0) {
            n++;
        }
        return n;
    }

    private static void writeVarint(java.io.ByteArrayOutputStream out, long v) {
        while ((v & ~0x7fL) != 0) {
            out.write((int) ((v & 0x7f) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }

    @Test
    void aCyclicGraphIsRefused() {
        // X -> Add(X, loop_b) -> loop_a -> Relu -> loop_b: loop_a and loop_b depend on each other; the LSTM reads loop_a.
        ModelProto.Builder b = base().toBuilder();
        GraphProto.Builder g = b.getGraphBuilder();
        NodeProto lstm = g.getNode(0);
        g.clearNode();
        g.addNode(NodeProto.newBuilder().setOpType("Add").setName("add").addInput("X").addInput("loop_b").addOutput("loop_a"));
        g.addNode(NodeProto.newBuilder().setOpType("Relu").setName("relu").addInput("loop_a").addOutput("loop_b"));
        g.addNode(lstm.toBuilder().setInput(0, "loop_a"));
        String m = refusal(b.build());
        assertMentions(m, "'add'", "cycle");
    }

    @Test
    void aNodeThatReadsItsOwnOutputIsRefused() {
        ModelProto.Builder b = base().toBuilder();
        GraphProto.Builder g = b.getGraphBuilder();
        NodeProto lstm = g.getNode(0);
        g.clearNode();
        g.addNode(NodeProto.newBuilder().setOpType("Relu").setName("self").addInput("self_out").addOutput("self_out"));
        g.addNode(lstm.toBuilder().setInput(0, "self_out"));
        String m = refusal(b.build());
        assertMentions(m, "self");
    }

    @Test
    void aHugeNumberOfInitializersIsRefused() {
        ModelProto.Builder b = base().toBuilder();
        GraphProto.Builder g = b.getGraphBuilder();
        for (int i = 0; i < 150_000; i++) {
            g.addInitializer(TensorProto.newBuilder().setName("extra" + i).setDataType(TensorProto.DataType.FLOAT_VALUE).addDims(1).addFloatData(i));
        }
        String m = refusal(b.build());
        assertMentions(m, "initializers");
    }

    @Test
    void aHugeNumberOfNodesIsRefused() {
        ModelProto.Builder b = base().toBuilder();
        GraphProto.Builder g = b.getGraphBuilder();
        NodeProto lstm = g.getNode(0);
        g.clearNode();
        String previous = "X";
        for (int i = 0; i < 150_000; i++) {
            g.addNode(NodeProto.newBuilder().setOpType("Identity").setName("id" + i).addInput(previous).addOutput("id" + i));
            previous = "id" + i;
        }
        g.addNode(lstm.toBuilder().setInput(0, previous));
        String m = refusal(b.build());
        assertMentions(m, "nodes");
    }

    /** The base model with W moved to external file {@code location}; {@code data} written where the test puts it. */
    private static ModelProto withExternalW(String location, long length) {
        return withInitializer("W", t -> t.clearRawData()
                .setDataLocation(TensorProto.DataLocation.EXTERNAL)
                .addExternalData(StringStringEntryProto.newBuilder().setKey("location").setValue(location))
                .addExternalData(StringStringEntryProto.newBuilder().setKey("offset").setValue("0"))
                .addExternalData(StringStringEntryProto.newBuilder().setKey("length").setValue(Long.toString(length))));
    }

    private String refusalFromFile(ModelProto model) throws IOException {
        Path folder = Files.createDirectories(dir.resolve("model"));
        Path file = folder.resolve("model.onnx");
        Files.write(file, model.toByteArray());
        OnnxImportException e = assertThrows(OnnxImportException.class, () -> OnnxImporter.importModel(file));
        System.out.println("refused: " + e.getMessage());
        assertTrue(e.getMessage().startsWith(file.toString()), "the message names the file: " + e.getMessage());
        return e.getMessage();
    }

    @Test
    void externalDataInTheModelsFolderIsRead() throws IOException {
        // The control: the same mechanism with a file that is allowed, so the refusals below are about the path.
        Path folder = Files.createDirectories(dir.resolve("model"));
        Files.write(folder.resolve("w.bin"), base().getGraph().getInitializer(0).getRawData().toByteArray());
        Path file = folder.resolve("model.onnx");
        Files.write(file, withExternalW("w.bin", 192).toByteArray());
        assertEquals(3, OnnxImporter.importModel(file).inputSize());
    }

    @Test
    void externalDataOutsideTheModelsFolderIsRefused() throws IOException {
        Files.write(dir.resolve("outside.bin"), new byte[192]);
        assertMentions(refusalFromFile(withExternalW("../outside.bin", 192)), "../outside.bin", "outside the model's folder");
        assertMentions(refusalFromFile(withExternalW("sub/../../outside.bin", 192)), "outside the model's folder");
        assertMentions(refusalFromFile(withExternalW(dir.resolve("outside.bin").toString(), 192)), "outside the model's folder");
    }

    @Test
    void aSymbolicLinkInTheModelsFolderThatLeadsOutIsRefused() throws IOException {
        Path outside = Files.write(dir.resolve("secret.bin"), new byte[192]);
        Path folder = Files.createDirectories(dir.resolve("model"));
        Files.createSymbolicLink(folder.resolve("link.bin"), outside);
        assertMentions(refusalFromFile(withExternalW("link.bin", 192)), "link.bin", "outside the model's folder");
    }

    @Test
    void externalDataLongerThanItsFileOrShapeIsRefused() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("model"));
        Files.write(folder.resolve("short.bin"), new byte[50]);
        assertMentions(refusalFromFile(withExternalW("short.bin", 192)), "short.bin");
        assertMentions(refusalFromFile(withExternalW("short.bin", 1L << 40)), "'W'");
    }

    @Test
    void externalDataIsRefusedWhenTheModelCameAsBytes() {
        assertMentions(refusal(withExternalW("w.bin", 192)), "external");
    }
}
