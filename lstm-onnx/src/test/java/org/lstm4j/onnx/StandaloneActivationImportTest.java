package org.lstm4j.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.lstm4j.backend.java.ReferenceBackendProvider;
import org.lstm4j.model.Activation;
import org.lstm4j.model.ActivationLayer;
import org.lstm4j.model.DenseLayer;
import org.lstm4j.model.Layer;
import org.lstm4j.model.LstmLayer;
import org.lstm4j.model.OutputMode;
import org.lstm4j.model.SequenceModel;
import org.lstm4j.predict.Predictor;
import org.lstm4j.predict.SequenceBatch;
import org.lstm4j.testing.RandomModels;
import org.lstm4j.testing.TensorAssertions;
import org.lstm4j.testing.Tolerance;
import org.lstm4j.weights.DenseWeights;

/**
 * An activation node that does not belong to a MatMul/Gemm(+Add) before it imports as an
 * {@link ActivationLayer}, not as a dense layer with an identity kernel; a dense layer's own activation
 * stays on the dense layer. Expected values: the reference engine ({@link ReferenceBackendProvider}) on
 * the original model, within |got - expected| <= 1e-5 + 1e-5 |expected|.
 */
class StandaloneActivationImportTest {

    private static final ReferenceBackendProvider REFERENCE = new ReferenceBackendProvider();

    /** Every activation with one ONNX operator of its own (Affine and ScaledTanh are written as Mul/Add). */
    static Stream<Activation> onnxActivations() {
        return Stream.of(Activation.relu(), Activation.tanh(), Activation.sigmoid(), Activation.softmax(), Activation.leakyRelu(0.1f),
                Activation.elu(1.1f), Activation.hardSigmoid(0.3f, 0.45f), Activation.softsign(), Activation.softplus(),
                Activation.thresholdedRelu(0.3f));
    }

    /** LSTM, activation, dense with its own activation, activation: both standalone activations come back as such. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("onnxActivations")
    void standaloneActivationsComeBackAsActivationLayers(Activation a) {
        Random rnd = new Random(a.hashCode());
        LstmLayer lstm = LstmLayer.builder(3, 4).name("lstm").outputMode(OutputMode.SEQUENCES)
                .weights(List.of(RandomModels.lstmWeights(rnd, 3, 4, false))).build();
        SequenceModel m = SequenceModel.builder(3).name("standalone")
                .add(lstm)
                .add(ActivationLayer.of("act_after_lstm", 4, a))
                .add(DenseLayer.of("dense", DenseWeights.of(4, 2, RandomModels.uniform(rnd, 8, 0.8f), RandomModels.uniform(rnd, 2, 0.3f)),
                        Activation.tanh()))
                .add(ActivationLayer.of("act_after_dense", 2, a))
                .build();
        SequenceModel back = OnnxImporter.importModel(OnnxExporter.export(m), "standalone " + a);
        assertEquals(m.layers(), back.layers());
        assertEquals(m, back);
        assertSameFunction(m, back, rnd);
    }

    /** A dense layer without activation followed by an activation node is one dense layer with that activation. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("onnxActivations")
    void activationAfterLinearDenseFoldsIntoTheDenseLayer(Activation a) {
        Random rnd = new Random(a.hashCode() + 1L);
        LstmLayer lstm = LstmLayer.builder(3, 4).name("lstm").outputMode(OutputMode.LAST_STEP)
                .weights(List.of(RandomModels.lstmWeights(rnd, 3, 4, false))).build();
        DenseWeights dw = DenseWeights.of(4, 2, RandomModels.uniform(rnd, 8, 0.8f), RandomModels.uniform(rnd, 2, 0.3f));
        SequenceModel m = SequenceModel.builder(3).name("folded")
                .add(lstm).add(DenseLayer.of("dense", dw, Activation.linear())).add(ActivationLayer.of("act", 2, a)).build();
        SequenceModel back = OnnxImporter.importModel(OnnxExporter.export(m), "folded " + a);
        assertEquals(List.of(lstm, DenseLayer.of("dense", dw, a)), back.layers());
        assertSameFunction(m, back, rnd);
    }

    /** PyTorch nn.ReLU between the LSTM and the Linear head (the fixtures' PyTorch exports) is an activation layer. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"relu_bf_every_linear_dynamo", "relu_bf_every_linear_torchscript", "relu_tm_last_linear_dynamo",
        "relu_tm_last_linear_torchscript"})
    void pytorchReluBetweenLstmAndLinearIsAnActivationLayer(String fixture) {
        Path model = FixtureCorpusImportTest.REPO_FIXTURES.resolve("pytorch").resolve(fixture).resolve("model.onnx");
        SequenceModel m = OnnxImporter.importModel(model);
        List<Layer> layers = m.layers();
        Layer beforeHead = layers.get(layers.size() - 2);
        assertInstanceOf(ActivationLayer.class, beforeHead, fixture + ": " + layers);
        assertEquals(Activation.relu(), ((ActivationLayer) beforeHead).activation());
        assertInstanceOf(DenseLayer.class, layers.get(layers.size() - 1), fixture + ": " + layers);
    }

    private static void assertSameFunction(SequenceModel expectedModel, SequenceModel imported, Random rnd) {
        SequenceBatch sb = SequenceBatch.of(RandomModels.tensor(rnd, 1.5f, 2, 5, expectedModel.inputSize()));
        try (Predictor a = REFERENCE.compile(expectedModel); Predictor b = REFERENCE.compile(imported)) {
            TensorAssertions.assertClose(a.predict(sb).output(), b.predict(sb).output(), Tolerance.DEFAULT, expectedModel.name() + " output");
        }
    }
}
