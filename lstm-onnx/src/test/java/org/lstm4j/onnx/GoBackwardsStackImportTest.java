package org.lstm4j.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.lstm4j.onnx.MalformedModelTest.assertMessage;
import static org.lstm4j.onnx.MalformedModelTest.floats;
import static org.lstm4j.onnx.MalformedModelTest.info;
import static org.lstm4j.onnx.MalformedModelTest.ints;
import static org.lstm4j.onnx.MalformedModelTest.model;
import static org.lstm4j.onnx.MalformedModelTest.node;
import static org.lstm4j.onnx.MalformedModelTest.refused;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.lstm4j.backend.java.ReferenceBackendProvider;
import org.lstm4j.model.Activation;
import org.lstm4j.model.DenseLayer;
import org.lstm4j.model.Direction;
import org.lstm4j.model.LstmLayer;
import org.lstm4j.model.MergeMode;
import org.lstm4j.model.OutputMode;
import org.lstm4j.model.SequenceModel;
import org.lstm4j.onnx.proto.OnnxProto.GraphProto;
import org.lstm4j.predict.Prediction;
import org.lstm4j.predict.Predictor;
import org.lstm4j.predict.SequenceBatch;
import org.lstm4j.testing.RandomModels;
import org.lstm4j.testing.TensorAssertions;
import org.lstm4j.testing.Tolerance;
import org.lstm4j.weights.DenseWeights;
import org.lstm4j.weights.LstmWeights;

/**
 * Keras go_backwards (a forward ONNX LSTM over the time-reversed sequence, outputs left in processing
 * order) inside a stack of LSTMs imports as exactly the exported model. Regression for the importer
 * counting the one reversal twice: once for the go_backwards layer and again for the layer reading its
 * output. Expected values: the reference engine ({@link ReferenceBackendProvider}) on the original model;
 * the imported model, run by the same engine, must agree within |got - expected| <= 1e-5 + 1e-5 |expected|.
 */
class GoBackwardsStackImportTest {

    private static final ReferenceBackendProvider REFERENCE = new ReferenceBackendProvider();

    /** The random models (all features) that showed the double count: go_backwards next to another LSTM. */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {70, 78, 283})
    void randomStackWithGoBackwardsKeepsItsLstmLayersAndFunction(long seed) {
        SequenceModel m = RandomModels.model(seed, RandomModels.Features.all());
        SequenceModel back = OnnxImporter.importModel(OnnxExporter.export(m), "export of " + m.name());
        // All features include standalone activations and Mul/Add dense activations, which come back as other
        // dense layers; the LSTM layers come back exactly, go_backwards on the right one.
        assertEquals(m.lstmLayers(), back.lstmLayers(), "LSTM layers of seed " + seed);
        assertSameFunction("seed " + seed, m, back, seed);
    }

    static Stream<Arguments> stacks() {
        List<Arguments> out = new ArrayList<>();
        // Every non-empty choice of go_backwards layers in a stack of three: first, middle, last and their combinations.
        for (int mask = 1; mask < 8; mask++) {
            out.add(Arguments.of("go_backwards on layers " + mask, new boolean[] {(mask & 1) != 0, (mask & 2) != 0, (mask & 4) != 0},
                    new Direction[] {Direction.FORWARD, Direction.FORWARD, Direction.FORWARD}, false));
        }
        // go_backwards followed by a reverse and a bidirectional layer (formerly refused: the reading layer seemed to
        // read a reversed input), and with dense layers between the LSTMs.
        out.add(Arguments.of("go_backwards, reverse, bidirectional", new boolean[] {true, false, false},
                new Direction[] {Direction.FORWARD, Direction.REVERSE, Direction.BIDIRECTIONAL}, false));
        out.add(Arguments.of("bidirectional, go_backwards, reverse", new boolean[] {false, true, false},
                new Direction[] {Direction.BIDIRECTIONAL, Direction.FORWARD, Direction.REVERSE}, false));
        out.add(Arguments.of("go_backwards on first and last, dense between", new boolean[] {true, false, true},
                new Direction[] {Direction.FORWARD, Direction.FORWARD, Direction.FORWARD}, true));
        out.add(Arguments.of("go_backwards on the middle, dense between", new boolean[] {false, true, false},
                new Direction[] {Direction.FORWARD, Direction.FORWARD, Direction.FORWARD}, true));
        return out.stream();
    }

    /** Exporter-made stacks: import(export(m)) equals m, and computes what the reference engine computes for m. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("stacks")
    void stackWithGoBackwardsImportsExactly(String description, boolean[] goBackwards, Direction[] others, boolean denseBetween) {
        Random rnd = new Random(description.hashCode());
        int width = 3;
        SequenceModel.Builder mb = SequenceModel.builder(width).name("stack");
        int[] hidden = {4, 2, 3};
        for (int k = 0; k < 3; k++) {
            Direction dir = goBackwards[k] ? Direction.REVERSE : others[k];
            LstmLayer.Builder lb = LstmLayer.builder(width, hidden[k]).name("lstm" + k).direction(dir)
                    .outputMode(OutputMode.SEQUENCES).reversedOutputOrder(goBackwards[k]);
            if (dir == Direction.BIDIRECTIONAL) {
                lb.mergeMode(MergeMode.CONCAT);
            }
            List<LstmWeights> ws = new ArrayList<>();
            for (int d = 0; d < dir.count(); d++) {
                ws.add(RandomModels.lstmWeights(rnd, width, hidden[k], false));
            }
            LstmLayer l = lb.weights(ws).build();
            mb.add(l);
            width = l.outputSize();
            if (denseBetween && k < 2) {
                int units = 3;
                mb.add(DenseLayer.of("dense" + k, DenseWeights.of(width, units, RandomModels.uniform(rnd, width * units, 0.8f),
                        RandomModels.uniform(rnd, units, 0.3f)), Activation.tanh()));
                width = units;
            }
        }
        SequenceModel m = mb.build();
        SequenceModel back = OnnxImporter.importModel(OnnxExporter.export(m), description);
        assertEquals(m.lstmLayers(), back.lstmLayers(), "LSTM layers");
        assertEquals(m, back);
        assertSameFunction(description, m, back, description.hashCode());
    }

    /** LSTM, then a dense layer on every step, then the dense output over reversed time as the graph output. */
    private static GraphProto.Builder denseOutput(boolean reversed) {
        GraphProto.Builder g = MalformedModelTest.validGraph().clearOutput()
                .addOutput(info("out", "batch", "time", 2))
                .addInitializer(floats("K", new long[] {3, 2}))
                .addNode(node("MatMul", "dense", new String[] {"y", "K"}, new String[] {reversed ? "d" : "out"}));
        if (reversed) {
            g.addInitializer(ints("starts", -1)).addInitializer(ints("ends", Long.MIN_VALUE)).addInitializer(ints("axes", 1))
                    .addInitializer(ints("steps", -1))
                    .addNode(node("Slice", "reverse_time", new String[] {"d", "starts", "ends", "axes", "steps"}, new String[] {"out"}));
        }
        return g;
    }

    /**
     * A time reversal after a dense layer is mapped only as the input of a forward LSTM (go_backwards); a reversed
     * dense output as the model's output has no lstm4j form and must be refused, not imported in input order.
     */
    @Test
    void reversedDenseOutputAsGraphOutputIsRefused() {
        // The same graph without the reversal imports: the refusal is about the reversal alone.
        assertEquals(2, OnnxImporter.importModel(model(denseOutput(false)), "test.onnx").layers().size());
        assertMessage(refused(model(denseOutput(true))), "test.onnx", "MatMul node 'dense'", "read time-reversed by the graph output");
    }

    private static void assertSameFunction(String what, SequenceModel expectedModel, SequenceModel imported, long seed) {
        Random rnd = new Random(seed);
        SequenceBatch sb = SequenceBatch.of(RandomModels.tensor(rnd, 1.5f, 2, 6, expectedModel.inputSize()))
                .withInitialState(RandomModels.state(rnd, expectedModel, 2));
        try (Predictor a = REFERENCE.compile(expectedModel); Predictor b = REFERENCE.compile(imported)) {
            Prediction pa = a.predict(sb);
            Prediction pb = b.predict(sb);
            TensorAssertions.assertClose(pa.output(), pb.output(), Tolerance.DEFAULT, what + " output");
            for (int k = 0; k < expectedModel.lstmLayers().size(); k++) {
                TensorAssertions.assertClose(pa.finalState().layer(k).hidden(), pb.finalState().layer(k).hidden(), Tolerance.DEFAULT, what + " hn " + k);
                TensorAssertions.assertClose(pa.finalState().layer(k).cell(), pb.finalState().layer(k).cell(), Tolerance.DEFAULT, what + " cn " + k);
            }
        }
    }
}
