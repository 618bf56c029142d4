package org.lstm4j.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.lstm4j.backend.java.ReferenceBackendProvider;
import org.lstm4j.model.SequenceModel;
import org.lstm4j.predict.Prediction;
import org.lstm4j.predict.Predictor;
import org.lstm4j.predict.SequenceBatch;
import org.lstm4j.testing.RandomModels;
import org.lstm4j.testing.TensorAssertions;
import org.lstm4j.testing.Tolerance;

/** Export, then import with {@link OnnxImporter}, gives the model back. */
class OnnxRoundTripTest {

    static LongStream seeds() {
        return LongStream.rangeClosed(1, 300);
    }

    /**
     * Exactly the same model ({@link SequenceModel#equals}: name, layers with their names, weights and
     * options, ports, metadata) for every model the importer maps one to one (see
     * {@link RandomModels.Features} for the kinds it does not).
     */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void importOfExportIsTheSameModel(long seed) {
        SequenceModel m = RandomModels.model(seed, RandomModels.Features.oneToOneForImporter()).toBuilder()
                .metadata("lstm4j.test.seed", Long.toString(seed)).build();
        SequenceModel back = OnnxImporter.importModel(OnnxExporter.export(m), "export of " + m.name());
        assertEquals(m.toString(), back.toString());
        assertEquals(m.ports(), back.ports(), "ports");
        assertEquals(m.layers(), back.layers(), "layers");
        assertEquals(m, back);
    }

    static java.util.stream.Stream<Object[]> portLayoutsTheImporterMaps() {
        // Left out: "onnx batchwise" (two layers' cell states concatenated, then transposed to [B, L*D, H]: the importer
        // maps a batchwise state only as one layout-1 LSTM writes it) and "only final states" (no output port, so the
        // last layer's output mode is not in the graph at all).
        return OnnxExporterTest.portLayouts().stream()
                .filter(c -> !((String) c[0]).startsWith("onnx batchwise") && !c[0].equals("only final states"));
    }

    /** Models with declared ports (PyTorch, ONNX layout 0, Keras squeezed states) come back with the same ports and layers. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("portLayoutsTheImporterMaps")
    void importOfExportKeepsTheDeclaredPorts(String description, SequenceModel m) {
        SequenceModel back = OnnxImporter.importModel(OnnxExporter.export(m), description);
        assertEquals(m.ports(), back.ports(), "ports");
        assertEquals(m, back);
    }

    /**
     * For every random model (all features) that the importer accepts, the imported model computes the
     * same function: the reference engine's predictions of the two agree, on full-length sequences from
     * random initial states, go_backwards in a stack of LSTMs included ({@link GoBackwardsStackImportTest}).
     */
    @Test
    void importOfExportComputesTheSameFunctionWheneverTheImporterAcceptsIt() {
        ReferenceBackendProvider reference = new ReferenceBackendProvider();
        int accepted = 0;
        List<String> refused = new ArrayList<>();
        for (long seed = 1; seed <= 300; seed++) {
            SequenceModel m = RandomModels.model(seed, RandomModels.Features.all());
            SequenceModel back;
            try {
                back = OnnxImporter.importModel(OnnxExporter.export(m), "export of " + m.name());
            } catch (OnnxImportException e) {
                refused.add(e.getMessage());
                continue;
            }
            accepted++;
            Random rnd = new Random(seed);
            SequenceBatch sb = SequenceBatch.of(RandomModels.tensor(rnd, 1.5f, 2, 6, m.inputSize())).withInitialState(RandomModels.state(rnd, m, 2));
            try (Predictor a = reference.compile(m); Predictor b = reference.compile(back)) {
                Prediction pa = a.predict(sb);
                Prediction pb = b.predict(sb);
                TensorAssertions.assertClose(pa.output(), pb.output(), Tolerance.DEFAULT, "seed " + seed + " output");
                for (int k = 0; k < m.lstmLayers().size(); k++) {
                    TensorAssertions.assertClose(pa.finalState().layer(k).hidden(), pb.finalState().layer(k).hidden(), Tolerance.DEFAULT, "seed " + seed + " hn " + k);
                }
            }
        }
        System.out.println("OnnxRoundTripTest: the importer accepted " + accepted + " exported random models; refusals: "
                + refused.stream().map(s -> s.replaceAll("random_\\d+", "random_N").replaceAll("'[^']*'", "'.'")).distinct().toList());
        assertTrue(accepted >= 150, "the importer accepted only " + accepted + " exported models; refusals: " + refused);
    }
}
