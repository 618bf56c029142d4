package org.lstm4j.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.lstm4j.backend.java.ReferenceBackendProvider;
import org.lstm4j.model.Activation;
import org.lstm4j.model.Direction;
import org.lstm4j.model.EmbeddingLayer;
import org.lstm4j.model.MaskingLayer;
import org.lstm4j.model.OutputMode;
import org.lstm4j.model.Port;
import org.lstm4j.model.SequenceModel;
import org.lstm4j.predict.Predictor;
import org.lstm4j.tensor.IntTensor;
import org.lstm4j.testing.RandomModels;
import org.lstm4j.testing.TensorAssertions;
import org.lstm4j.testing.Tolerance;
import org.lstm4j.weights.EmbeddingWeights;

/**
 * Export, then import: token models (an embedding written as Gather, PyTorch's nn.Embedding idiom) come back
 * as the same model and compute the same function; a masked export is refused by the importer, clearly.
 */
class TokenModelRoundTripTest {

    static Stream<SequenceModel> tokenModels() {
        Random rnd = new Random(13);
        EmbeddingLayer embedding = EmbeddingLayer.of("embedding", EmbeddingWeights.of(12, 4, RandomModels.uniform(rnd, 48, 1f)));
        return Stream.of(
                SequenceModel.builder(12).name("classifier").add(embedding)
                        .add(RandomModels.lstm(rnd, 4, 5, Direction.FORWARD, false).outputMode(OutputMode.FINAL_STATE).build())
                        .add(RandomModels.dense(rnd, 5, 3, Activation.logSoftmax())).build(),
                SequenceModel.builder(12).name("tagger").add(embedding)
                        .add(RandomModels.lstm(rnd, 4, 5, Direction.BIDIRECTIONAL, false).build())
                        .add(RandomModels.dense(rnd, 10, 3, Activation.softmax())).build(),
                SequenceModel.builder(12).name("time-major tagger").add(embedding)
                        .add(RandomModels.lstm(rnd, 4, 5, Direction.FORWARD, false).build())
                        .ports(List.of(new Port("ids", Port.Role.SEQUENCE_INPUT, Port.Layout.TIME_MAJOR, List.of()),
                                new Port("y", Port.Role.OUTPUT, Port.Layout.TIME_MAJOR, List.of()))).build());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tokenModels")
    void importOfExportIsTheSameModel(SequenceModel m) {
        SequenceModel back = OnnxImporter.importModel(OnnxExporter.export(m), "export of " + m.name());
        assertEquals(m.toString(), back.toString());
        assertEquals(m, back);
        IntTensor ids = IntTensor.of(new int[][] {{1, 5, 11, 0, 3}, {7, 2, 2, 9, 10}});
        try (Predictor a = new ReferenceBackendProvider().compile(m); Predictor b = new ReferenceBackendProvider().compile(back)) {
            TensorAssertions.assertClose(a.predict(ids).output(), b.predict(ids).output(), Tolerance.EXACT, m.name());
        }
    }

    /**
     * A model that makes a mask exports through MaskedExport's rotation, which the importer does not map back
     * (yet): it refuses the file naming the first node it cannot read, never importing a model without its mask.
     */
    @Test
    void importOfAMaskedExportIsRefusedNamingTheNode() {
        Random rnd = new Random(14);
        EmbeddingWeights table = EmbeddingWeights.of(12, 4, RandomModels.uniform(rnd, 48, 1f));
        for (SequenceModel m : List.of(
                SequenceModel.builder(12).name("mask zero").add(EmbeddingLayer.of("embedding", table).withMaskZero(true))
                        .add(RandomModels.lstm(rnd, 4, 5, Direction.FORWARD, false).build()).build(),
                SequenceModel.builder(3).name("masking").add(MaskingLayer.of("masking", 3, 0f))
                        .add(RandomModels.lstm(rnd, 3, 5, Direction.FORWARD, false).build()).build())) {
            OnnxImportException e = assertThrows(OnnxImportException.class, () -> OnnxImporter.importModel(OnnxExporter.export(m), m.name()));
            assertTrue(e.getMessage().contains("node '"), e.getMessage());
        }
    }
}
