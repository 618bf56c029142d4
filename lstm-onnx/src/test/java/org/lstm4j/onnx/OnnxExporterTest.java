package org.lstm4j.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.DoubleAccumulator;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.lstm4j.backend.java.ReferenceBackendProvider;
import org.lstm4j.model.Activation;
import org.lstm4j.model.DenseLayer;
import org.lstm4j.model.Direction;
import org.lstm4j.model.LstmLayer;
import org.lstm4j.model.MergeMode;
import org.lstm4j.model.OutputMode;
import org.lstm4j.model.Port;
import org.lstm4j.model.SequenceModel;
import org.lstm4j.onnx.proto.OnnxProto.AttributeProto;
import org.lstm4j.onnx.proto.OnnxProto.ModelProto;
import org.lstm4j.onnx.proto.OnnxProto.NodeProto;
import org.lstm4j.onnx.proto.OnnxProto.ValueInfoProto;
import org.lstm4j.predict.ModelState;
import org.lstm4j.predict.PortBinding;
import org.lstm4j.predict.Prediction;
import org.lstm4j.predict.Predictor;
import org.lstm4j.predict.SequenceBatch;
import org.lstm4j.tensor.FloatTensor;
import org.lstm4j.testing.RandomModels;
import org.lstm4j.testing.TensorAssertions;
import org.lstm4j.testing.Tolerance;
import org.lstm4j.weights.DenseWeights;

/**
 * Exported graphs run in ONNX Runtime 1.29 (Java, CPU) and must agree with the reference engine
 * ({@link ReferenceBackendProvider}, the LSTM equations in double), the independent source of every
 * expected value here, within |got - expected| <= 1e-5 + 1e-5 |expected|.
 */
class OnnxExporterTest {

    private static final ReferenceBackendProvider REFERENCE = new ReferenceBackendProvider();
    /** The largest |got - expected| over the class's comparisons, for the test log. */
    private static final DoubleAccumulator LARGEST = new DoubleAccumulator(Math::max, 0);

    @AfterAll
    static void reportLargestDifference() {
        System.out.println("OnnxExporterTest, ONNX Runtime vs reference engine: largest |got - expected| " + LARGEST.get());
    }

    private static void assertClose(FloatTensor expected, FloatTensor got, String what) {
        LARGEST.accumulate(TensorAssertions.assertClose(expected, got, Tolerance.DEFAULT, what));
    }

    static LongStream seeds() {
        return LongStream.rangeClosed(1, 300);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void executionFormOfRandomModelMatchesReferenceEngine(long seed) throws Exception {
        SequenceModel model = RandomModels.model(seed, RandomModels.Features.all());
        Random rnd = new Random(seed * 7919);
        int batch = 1 + rnd.nextInt(4);
        int time = 1 + rnd.nextInt(7);
        SequenceBatch sb = SequenceBatch.of(RandomModels.tensor(rnd, 1.5f, batch, time, model.inputSize()));
        if (rnd.nextBoolean()) {
            sb = sb.withLengths(RandomModels.lengths(rnd, batch, time));
        }
        if (rnd.nextBoolean()) {
            sb = sb.withInitialState(RandomModels.state(rnd, model, batch));
        }
        checkExecutionForm(model, sb);
    }

    /** Runs the execution form in ONNX Runtime and compares output and every final state with the reference engine. */
    static void checkExecutionForm(SequenceModel model, SequenceBatch sb) throws Exception {
        Prediction expected;
        try (Predictor p = REFERENCE.compile(model)) {
            expected = p.predict(sb);
        }
        ModelState init = sb.hasInitialState() ? sb.initialState() : ModelState.zeros(model, sb.batchSize());
        Map<String, Object> feeds = new LinkedHashMap<>();
        feeds.put(OnnxExporter.INPUT, sb.input());
        feeds.put(OnnxExporter.SEQUENCE_LENGTHS, sb.lengths());
        for (int k = 0; k < model.lstmLayers().size(); k++) {
            feeds.put(OnnxExporter.initialHidden(k), init.layer(k).hidden());
            feeds.put(OnnxExporter.initialCell(k), init.layer(k).cell());
        }
        Map<String, FloatTensor> got = OrtRunner.run(OnnxExporter.exportForExecution(model), feeds);
        String where = model + "\nlengths " + java.util.Arrays.toString(sb.lengths()) + ": ";
        assertClose(expected.output(), got.get(OnnxExporter.OUTPUT), where + "output");
        for (int k = 0; k < model.lstmLayers().size(); k++) {
            assertClose(expected.finalState().layer(k).hidden(), got.get(OnnxExporter.finalHidden(k)), where + "hn_" + k);
            assertClose(expected.finalState().layer(k).cell(), got.get(OnnxExporter.finalCell(k)), where + "cn_" + k);
        }
    }

    @Test
    void everyLstmActivationWithItsAlphaAndBetaMatchesReferenceEngine() throws Exception {
        // Each activation in each of the three places, both directions, so alpha/beta lists are consumed in order.
        Random rnd = new Random(11);
        for (Activation a : RandomModels.LSTM_ACTIVATIONS) {
            for (int place = 0; place < 3; place++) {
                Activation f = place == 0 ? a : Activation.hardSigmoid(0.25f, 0.55f);
                Activation g = place == 1 ? a : Activation.scaledTanh(1.1f, 0.9f);
                Activation h = place == 2 ? a : Activation.leakyRelu(0.2f);
                LstmLayer l = LstmLayer.builder(3, 4).direction(Direction.BIDIRECTIONAL).mergeMode(MergeMode.CONCAT)
                        .activations(f, g, h).weights(RandomModels.lstmWeights(rnd, 3, 4, false), RandomModels.lstmWeights(rnd, 3, 4, false)).build();
                SequenceModel m = SequenceModel.builder(3).add(l).build();
                checkExecutionForm(m, SequenceBatch.of(RandomModels.tensor(rnd, 1.5f, 2, 5, 3)).withLengths(5, 3));
            }
        }
    }

    @Test
    void clipInputForgetAndPeepholesTogetherMatchReferenceEngine() throws Exception {
        Random rnd = new Random(12);
        for (Direction d : Direction.values()) {
            LstmLayer l = LstmLayer.builder(2, 5).direction(d).cellClip(0.4f).coupledInputForget(true)
                    .weights(d == Direction.BIDIRECTIONAL
                            ? List.of(RandomModels.lstmWeights(rnd, 2, 5, true), RandomModels.lstmWeights(rnd, 2, 5, true))
                            : List.of(RandomModels.lstmWeights(rnd, 2, 5, true))).build();
            SequenceModel m = SequenceModel.builder(2).add(l).build();
            SequenceBatch sb = SequenceBatch.of(RandomModels.tensor(rnd, 1.5f, 3, 6, 2)).withLengths(6, 2, 4)
                    .withInitialState(RandomModels.state(rnd, m, 3));
            checkExecutionForm(m, sb);
        }
    }

    @Test
    void seedForecastingModelMatchesReferenceEngine() throws Exception {
        // LSTM(50) over 100 steps of 10 features, Dense(10): the shape the latency measurement uses.
        Random rnd = new Random(5);
        SequenceModel m = SequenceModel.builder(10)
                .add(LstmLayer.builder(10, 50).outputMode(OutputMode.FINAL_STATE).weights(RandomModels.lstmWeights(rnd, 10, 50, false)).build())
                .add(DenseLayer.of(DenseWeights.of(50, 10, RandomModels.uniform(rnd, 500, 0.3f), RandomModels.uniform(rnd, 10, 0.1f)),
                        Activation.linear()))
                .build();
        checkExecutionForm(m, SequenceBatch.of(RandomModels.tensor(rnd, 1.5f, 1, 100, 10)));
        checkExecutionForm(m, SequenceBatch.of(RandomModels.tensor(rnd, 1.5f, 3, 100, 10)).withLengths(100, 37, 1));
    }

    // ------------------------------------------------------------------ the port form

    /** A model of two LSTM layers with one hidden size, so that states can be stacked as PyTorch and ONNX do. */
    private static SequenceModel stackableModel(long seed, Direction dir, OutputMode lastMode, boolean dense, List<Port> ports) {
        Random rnd = new Random(seed);
        int hidden = 3;
        SequenceModel.Builder b = SequenceModel.builder(2).name("ports_" + seed);
        int width = 2;
        for (int k = 0; k < 2; k++) {
            List<org.lstm4j.weights.LstmWeights> ws = new ArrayList<>();
            for (int d = 0; d < dir.count(); d++) {
                ws.add(RandomModels.lstmWeights(rnd, width, hidden, false));
            }
            LstmLayer l = LstmLayer.builder(width, hidden).name("layer" + k).direction(dir)
                    .outputMode(k == 1 ? lastMode : OutputMode.SEQUENCES).weights(ws).build();
            b.add(l);
            width = l.outputSize();
        }
        if (dense) {
            b.add(DenseLayer.of("head", DenseWeights.of(width, 2, RandomModels.uniform(rnd, width * 2, 0.7f), RandomModels.uniform(rnd, 2, 0.2f)),
                    Activation.softmax()));
        }
        return b.ports(ports).build();
    }

    static List<Object[]> portLayouts() {
        List<Object[]> cases = new ArrayList<>();
        // PyTorch nn.LSTM(batch_first=False), 2 layers: x [T,B,I], h0/c0 stacked [L*D,B,H], y [T,B,D*H], hn/cn stacked.
        for (Direction d : List.of(Direction.FORWARD, Direction.BIDIRECTIONAL)) {
            cases.add(new Object[] {"pytorch time-major " + d, stackableModel(21, d, OutputMode.SEQUENCES, false, List.of(
                    new Port("x", Port.Role.SEQUENCE_INPUT, Port.Layout.TIME_MAJOR, List.of()),
                    Port.state("h0", Port.Role.INITIAL_HIDDEN, Port.Layout.STACKED, List.of(0, 1)),
                    Port.state("c0", Port.Role.INITIAL_CELL, Port.Layout.STACKED, List.of(0, 1)),
                    new Port("y", Port.Role.OUTPUT, Port.Layout.TIME_MAJOR, List.of()),
                    Port.state("hn", Port.Role.FINAL_HIDDEN, Port.Layout.STACKED, List.of(0, 1)),
                    Port.state("cn", Port.Role.FINAL_CELL, Port.Layout.STACKED, List.of(0, 1))))});
            // ONNX layout 1 as a port layout (the graph itself stays layout 0): batchwise states and Y.
            cases.add(new Object[] {"onnx batchwise " + d, stackableModel(22, d, OutputMode.SEQUENCES, false, List.of(
                    Port.input("X"),
                    new Port("sequence_lens", Port.Role.SEQUENCE_LENGTHS, Port.Layout.BATCH_MAJOR, List.of()),
                    Port.state("initial_h", Port.Role.INITIAL_HIDDEN, Port.Layout.STACKED_BATCHWISE, List.of(0, 1)),
                    new Port("Y", Port.Role.OUTPUT, Port.Layout.ONNX_Y_BATCHWISE, List.of()),
                    Port.state("Y_c", Port.Role.FINAL_CELL, Port.Layout.STACKED_BATCHWISE, List.of(1, 0))))});
            cases.add(new Object[] {"onnx layout 0 " + d, stackableModel(23, d, OutputMode.SEQUENCES, false, List.of(
                    new Port("X", Port.Role.SEQUENCE_INPUT, Port.Layout.TIME_MAJOR, List.of()),
                    Port.state("initial_c", Port.Role.INITIAL_CELL, Port.Layout.STACKED, List.of(1)),
                    new Port("Y", Port.Role.OUTPUT, Port.Layout.ONNX_Y, List.of()),
                    Port.state("Y_h", Port.Role.FINAL_HIDDEN, Port.Layout.STACKED, List.of(1))))});
        }
        // Keras LSTM(return_state=True): x [B,T,I], states squeezed [B,H] per layer, a dense head on the last step.
        cases.add(new Object[] {"keras squeezed states", stackableModel(24, Direction.FORWARD, OutputMode.FINAL_STATE, true, List.of(
                Port.input("input_layer"),
                Port.state("state_h", Port.Role.INITIAL_HIDDEN, Port.Layout.SQUEEZED, List.of(0)),
                Port.state("state_c", Port.Role.INITIAL_CELL, Port.Layout.SQUEEZED, List.of(0)),
                Port.output("output_0"),
                Port.state("final_h", Port.Role.FINAL_HIDDEN, Port.Layout.SQUEEZED, List.of(1)),
                Port.state("final_c", Port.Role.FINAL_CELL, Port.Layout.SQUEEZED, List.of(1))))});
        cases.add(new Object[] {"default ports, last step", stackableModel(25, Direction.REVERSE, OutputMode.LAST_STEP, true, List.of())});
        cases.add(new Object[] {"only final states", stackableModel(26, Direction.BIDIRECTIONAL, OutputMode.FINAL_STATE, false, List.of(
                new Port("seq", Port.Role.SEQUENCE_INPUT, Port.Layout.TIME_MAJOR, List.of()),
                new Port("lens", Port.Role.SEQUENCE_LENGTHS, Port.Layout.BATCH_MAJOR, List.of()),
                Port.state("h", Port.Role.FINAL_HIDDEN, Port.Layout.STACKED, List.of(0, 1))))});
        return cases;
    }

    /**
     * The port form takes and gives the tensors the model's ports declare. Expected values: the reference
     * engine's prediction laid out by {@link PortBinding}, from the same named tensors.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("portLayouts")
    void portFormTakesAndGivesTheDeclaredTensors(String description, SequenceModel model) throws Exception {
        Random rnd = new Random(description.hashCode());
        int batch = 3;
        int time = 5;
        int[] lengths = {5, 2, 4};
        boolean hasLengths = model.inputPorts().stream().anyMatch(p -> p.role() == Port.Role.SEQUENCE_LENGTHS);
        Map<String, FloatTensor> tensors = new LinkedHashMap<>();
        Map<String, int[]> lens = new LinkedHashMap<>();
        Map<String, Object> feeds = new LinkedHashMap<>();
        for (Port p : model.inputPorts()) {
            if (p.role() == Port.Role.SEQUENCE_LENGTHS) {
                lens.put(p.name(), lengths);
                feeds.put(p.name(), lengths);
                continue;
            }
            FloatTensor t;
            if (p.role() == Port.Role.SEQUENCE_INPUT) {
                t = RandomModels.tensor(rnd, 1.5f, batch, time, model.inputSize());
                if (p.layout() == Port.Layout.TIME_MAJOR) {
                    t = t.swapFirstAxes();
                }
            } else {
                int rows = 0;
                for (int k : p.lstmLayers()) {
                    rows += model.lstmLayers().get(k).directionCount();
                }
                int h = model.lstmLayers().get(p.lstmLayers().get(0)).hiddenSize();
                int[] shape = p.layout() == Port.Layout.STACKED ? new int[] {rows, batch, h}
                        : p.layout() == Port.Layout.STACKED_BATCHWISE ? new int[] {batch, rows, h} : new int[] {batch, h};
                t = FloatTensor.of(shape, RandomModels.uniform(rnd, (int) FloatTensor.elementCount(shape), 0.8f));
            }
            tensors.put(p.name(), t);
            feeds.put(p.name(), t);
        }
        Map<String, FloatTensor> expected;
        try (Predictor p = REFERENCE.compile(model)) {
            expected = PortBinding.toOutputs(model, p.predict(PortBinding.toBatch(model, tensors, lens)));
        }
        Map<String, FloatTensor> got = OrtRunner.run(OnnxExporter.export(model), feeds);
        assertEquals(expected.keySet(), got.keySet(), "graph outputs in declaration order");
        assertTrue(hasLengths || lens.isEmpty());
        for (String name : expected.keySet()) {
            assertClose(expected.get(name), got.get(name), description + ": " + name);
        }
    }

    // ------------------------------------------------------------------ structure

    @Test
    void executionFormDeclaresTheAgreedInputsAndOutputsAtOpset17WithLayout0() throws Exception {
        SequenceModel m = RandomModels.model(3, RandomModels.Features.all());
        while (m.lstmLayers().size() < 2) {
            m = RandomModels.model(m.hashCode() + 1L, RandomModels.Features.all());
        }
        ModelProto proto = ModelProto.parseFrom(OnnxExporter.exportForExecution(m));
        assertEquals(OnnxExporter.OPSET, proto.getOpsetImport(0).getVersion());
        assertEquals("", proto.getOpsetImport(0).getDomain());
        List<String> inputs = proto.getGraph().getInputList().stream().map(ValueInfoProto::getName).toList();
        List<String> outputs = proto.getGraph().getOutputList().stream().map(ValueInfoProto::getName).toList();
        List<String> expectedInputs = new ArrayList<>(List.of("x", "seq_lens"));
        List<String> expectedOutputs = new ArrayList<>(List.of("output"));
        for (int k = 0; k < m.lstmLayers().size(); k++) {
            expectedInputs.addAll(List.of("h0_" + k, "c0_" + k));
            expectedOutputs.addAll(List.of("hn_" + k, "cn_" + k));
        }
        assertEquals(expectedInputs, inputs);
        assertEquals(expectedOutputs, outputs);
        long lstmNodes = 0;
        for (NodeProto n : proto.getGraph().getNodeList()) {
            if (n.getOpType().equals("LSTM")) {
                lstmNodes++;
                AttributeProto layout = n.getAttributeList().stream().filter(a -> a.getName().equals("layout")).findFirst().orElseThrow();
                assertEquals(0, layout.getI(), "LSTM layout of node " + n.getName());
            }
        }
        assertEquals(m.lstmLayers().size(), lstmNodes);
    }

    @Test
    void rawLstmOutputPortOnAModelEndingInADenseLayerIsRefusedWithTheReason() {
        SequenceModel m = stackableModel(27, Direction.FORWARD, OutputMode.SEQUENCES, false, List.of());
        SequenceModel withDense = m.toBuilder().add(DenseLayer.of("head", DenseWeights.of(3, 3, new float[9], null), Activation.linear()))
                .ports(List.of(Port.input("x"), new Port("Y", Port.Role.OUTPUT, Port.Layout.ONNX_Y, List.of()))).build();
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> OnnxExporter.export(withDense));
        assertTrue(e.getMessage().contains("output port 'Y' has layout ONNX_Y, an LSTM's own Y, but the model's last layer is not an LSTM"),
                e.getMessage());
    }

    @Test
    void metadataIsWrittenAsMetadataProps() throws Exception {
        SequenceModel m = RandomModels.model(4, RandomModels.Features.all()).toBuilder().metadata("scale.mean", "12.5").build();
        ModelProto proto = ModelProto.parseFrom(OnnxExporter.export(m));
        assertEquals("scale.mean", proto.getMetadataProps(0).getKey());
        assertEquals("12.5", proto.getMetadataProps(0).getValue());
        assertEquals(m.name(), proto.getGraph().getName());
    }
}
