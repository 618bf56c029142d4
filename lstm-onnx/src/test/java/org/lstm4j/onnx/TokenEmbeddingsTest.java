package org.lstm4j.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.lstm4j.model.EmbeddingLayer;
import org.lstm4j.model.LstmLayer;
import org.lstm4j.model.Port;
import org.lstm4j.model.SequenceModel;
import org.lstm4j.tensor.IntTensor;

/**
 * {@link TokenEmbeddings} on hand-built graphs: {@code Gather(table, ids)} over an int64 graph input
 * [batch, time] feeding an LSTM is an embedding layer, and the ids input becomes the model's token
 * input. Expected values: ONNX Runtime running the same graph.
 */
class TokenEmbeddingsTest {
    private static final int VOCAB = 7;
    private static final int DIM = 3;

    private static IntTensor ids() {
        return IntTensor.of(new int[][] {{1, 6, 0, 3}, {2, 2, 5, 4}});
    }

    /** PyTorch's legacy export of nn.Embedding -> nn.LSTM(batch_first): Gather, a Transpose to time-major, LSTM. */
    @Test
    void gatherOfTokenIdsIntoATableIsAnEmbeddingLayer() {
        HandBuilt g = new HandBuilt("embedding_lstm", 17, 60);
        g.longInput("ids", "B", "T");
        g.op("Gather", "emb", List.of(g.random("table", 1f, VOCAB, DIM), "ids"), HandBuilt.attr("axis", 0L));
        g.op("Transpose", "emb_t", List.of("emb"), HandBuilt.ints("perm", 1, 0, 2));
        g.lstm("lstm", "emb_t", DIM, 4, "forward");
        g.op("Reshape", "out", List.of("lstm_h", g.longs("shape", -1, 4)));
        g.output("out", "B", 4);
        SequenceModel m = g.assertMatchesOnnxRuntime(Map.of("ids", ids()));
        EmbeddingLayer e = assertInstanceOf(EmbeddingLayer.class, m.layers().get(0));
        assertEquals(VOCAB, e.vocabularySize());
        assertEquals(DIM, e.weights().dimension());
        assertInstanceOf(LstmLayer.class, m.layers().get(1));
        assertTrue(m.readsTokens());
        Port in = m.inputPorts().get(0);
        assertEquals("ids", in.name());
        assertEquals(Port.Layout.BATCH_MAJOR, in.layout());
    }

    /** Time-major ids [time, batch] (an LSTM reading the Gather's output directly). */
    @Test
    void timeMajorIdsKeepTheirLayout() {
        HandBuilt g = new HandBuilt("embedding_time_major", 17, 61);
        g.longInput("ids", "T", "B");
        g.op("Gather", "emb", List.of(g.random("table", 1f, VOCAB, DIM), "ids"), HandBuilt.attr("axis", 0L));
        String y = g.lstm("lstm", "emb", DIM, 4, "forward");
        g.op("Squeeze", "out", List.of(y, g.longs("ax", 1)));
        g.output("out", "T", "B", 4);
        SequenceModel m = g.assertMatchesOnnxRuntime(Map.of("ids", IntTensor.of(new int[][] {{1, 2}, {6, 2}, {0, 5}})));
        assertEquals(Port.Layout.TIME_MAJOR, m.inputPorts().get(0).layout());
    }

    /**
     * Keras 3's Embedding through tf2onnx: ops.take wraps negative ids, written as
     * {@code Add(Mul(Cast(ids < 0), ids + V), Mul(ids, Cast(Not(ids < 0))))} before the Gather. Ids in
     * [0, V) read the table as they are.
     */
    @Test
    void kerasWrapOfNegativeIdsIsReadAsTheIds() {
        HandBuilt g = new HandBuilt("keras_wrapped_ids", 13, 64);
        long int64 = HandBuilt.INT64;
        g.longInput("ids", "B", "T");
        g.op("Cast", "ids64", List.of("ids"), HandBuilt.attr("to", int64));
        g.op("Less", "neg", List.of("ids64", g.scalar("zero", 0)));
        g.op("Not", "not_neg", List.of("neg"));
        g.op("Cast", "neg64", List.of("neg"), HandBuilt.attr("to", int64));
        g.op("Cast", "not_neg64", List.of("not_neg"), HandBuilt.attr("to", int64));
        g.op("Add", "shifted", List.of("ids64", g.scalar("vocab", VOCAB)));
        g.op("Mul", "neg_part", List.of("neg64", "shifted"));
        g.op("Mul", "pos_part", List.of("ids64", "not_neg64"));
        g.op("Add", "wrapped", List.of("neg_part", "pos_part"));
        g.op("Gather", "emb", List.of(g.random("table", 1f, VOCAB, DIM), "wrapped"), HandBuilt.attr("axis", 0L));
        g.op("Transpose", "emb_t", List.of("emb"), HandBuilt.ints("perm", 1, 0, 2));
        g.lstm("lstm", "emb_t", DIM, 4, "forward");
        g.op("Reshape", "out", List.of("lstm_h", g.longs("shape", -1, 4)));
        g.output("out", "B", 4);
        SequenceModel m = g.assertMatchesOnnxRuntime(Map.of("ids", ids()));
        assertInstanceOf(EmbeddingLayer.class, m.layers().get(0));
    }

    /** The wrap by a modulus other than the table's rows is not Keras's: refused, naming both numbers. */
    @Test
    void aWrapByAnotherModulusIsRefused() {
        HandBuilt g = new HandBuilt("wrap_other_modulus", 13, 65);
        long int64 = HandBuilt.INT64;
        g.longInput("ids", "B", "T");
        g.op("Less", "neg", List.of("ids", g.scalar("zero", 0)));
        g.op("Not", "not_neg", List.of("neg"));
        g.op("Cast", "neg64", List.of("neg"), HandBuilt.attr("to", int64));
        g.op("Cast", "not_neg64", List.of("not_neg"), HandBuilt.attr("to", int64));
        g.op("Add", "shifted", List.of("ids", g.scalar("vocab", VOCAB + 2)));
        g.op("Mul", "neg_part", List.of("neg64", "shifted"));
        g.op("Mul", "pos_part", List.of("ids", "not_neg64"));
        g.op("Add", "wrapped", List.of("neg_part", "pos_part"));
        g.op("Gather", "emb", List.of(g.random("table", 1f, VOCAB, DIM), "wrapped"), HandBuilt.attr("axis", 0L));
        g.lstm("lstm", "emb", DIM, 4, "forward");
        g.output("lstm_y", "T", 1, "B", 4);
        g.refusal("emb", "wrap negative values by " + (VOCAB + 2), "table of " + VOCAB + " rows");
    }

    /** An LSTM straight on integer ids is refused, saying that ids need an embedding first. */
    @Test
    void anLstmOnIntegerIdsIsRefused() {
        HandBuilt g = new HandBuilt("lstm_on_ids", 17, 62);
        g.longInput("ids", "T", "B", 1);
        g.op("Cast", "x", List.of("ids"), HandBuilt.attr("to", (long) HandBuilt.FLOAT));
        g.lstm("lstm", "x", 1, 4, "forward");
        g.output("lstm_y", "T", 1, "B", 4);
        String msg = g.refusal(null, "'ids'");
        assertTrue(msg.contains("embedding") || msg.contains("Cast"), msg);
    }

    /** An embedding that no LSTM reads is refused: lstm4j models run an embedding into an LSTM. */
    @Test
    void anEmbeddingAsTheOutputIsRefused() {
        HandBuilt g = new HandBuilt("embedding_only", 17, 63);
        g.longInput("ids", "B", "T");
        g.op("Gather", "emb", List.of(g.random("table", 1f, VOCAB, DIM), "ids"), HandBuilt.attr("axis", 0L));
        g.output("emb", "B", "T", DIM);
        g.refusal(null, "embedding of graph input 'ids'", "which no LSTM reads");
    }
}
