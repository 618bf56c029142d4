package org.lstm4j.predict;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.lstm4j.model.Direction;
import org.lstm4j.model.LstmLayer;
import org.lstm4j.model.MergeMode;
import org.lstm4j.model.Port;
import org.lstm4j.model.SequenceModel;
import org.lstm4j.tensor.FloatTensor;
import org.lstm4j.weights.LstmWeights;

/**
 * Ports that carry one direction of a bidirectional layer, as Keras keeps them apart:
 * {@code Bidirectional(merge_mode=None)} outputs and {@code Bidirectional(return_state=True)} states.
 * Expected values are written out by hand from the layouts.
 */
class DirectionPortsTest {

    private static LstmLayer bidi(MergeMode merge) {
        LstmWeights w = LstmWeights.of(1, 2, new float[8], new float[16], null, null, null);
        return LstmLayer.builder(1, 2).direction(Direction.BIDIRECTIONAL).mergeMode(merge).weights(w, w).build();
    }

    private static SequenceModel model(MergeMode merge, Port... outputs) {
        List<Port> ports = new java.util.ArrayList<>(List.of(Port.input("x"),
                Port.stateOfDirection("h_bw", Port.Role.INITIAL_HIDDEN, 0, 1)));
        ports.addAll(List.of(outputs));
        return SequenceModel.builder(1).add(bidi(merge)).ports(ports).build();
    }

    @Test
    void eachDirectionPortIsItsHalfOfTheConcatenatedOutputAndItsRowOfTheState() {
        SequenceModel m = model(MergeMode.CONCAT, Port.outputOfDirection("fw", 0), Port.outputOfDirection("bw", 1),
                Port.stateOfDirection("h_fw", Port.Role.FINAL_HIDDEN, 0, 0), Port.stateOfDirection("c_bw", Port.Role.FINAL_CELL, 0, 1));
        // batch 1, time 2, features [fw0, fw1, bw0, bw1]
        FloatTensor y = FloatTensor.of(new int[] {1, 2, 4}, new float[] {1, 2, 3, 4, 5, 6, 7, 8});
        FloatTensor h = FloatTensor.of(new int[] {2, 1, 2}, new float[] {10, 11, 12, 13});
        FloatTensor c = FloatTensor.of(new int[] {2, 1, 2}, new float[] {20, 21, 22, 23});
        Map<String, FloatTensor> out = PortBinding.toOutputs(m, new Prediction(y, new ModelState(List.of(new LstmState(h, c)))));
        assertEquals(List.of("fw", "bw", "h_fw", "c_bw"), List.copyOf(out.keySet()));
        assertArrayEquals(new float[] {1, 2, 5, 6}, out.get("fw").toArray());
        assertArrayEquals(new int[] {1, 2, 2}, out.get("fw").shape());
        assertArrayEquals(new float[] {3, 4, 7, 8}, out.get("bw").toArray());
        assertArrayEquals(new float[] {10, 11}, out.get("h_fw").toArray());
        assertArrayEquals(new int[] {1, 2}, out.get("h_fw").shape());
        assertArrayEquals(new float[] {22, 23}, out.get("c_bw").toArray());
    }

    @Test
    void aDirectionStateInputFillsItsRowAndTheOtherStartsFromZero() {
        SequenceModel m = model(MergeMode.SUM, Port.output("y"));
        SequenceBatch b = PortBinding.toBatch(m, Map.of("x", FloatTensor.zeros(1, 3, 1),
                "h_bw", FloatTensor.of(new int[] {1, 2}, new float[] {5, 6})), Map.of());
        assertArrayEquals(new float[] {0, 0, 5, 6}, b.initialState().layer(0).hidden().toArray());
        assertArrayEquals(new float[] {0, 0, 0, 0}, b.initialState().layer(0).cell().toArray());
    }

    @Test
    void severalOutputsNeedAFinalConcatenatingBidirectionalLayer() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> model(MergeMode.SUM, Port.outputOfDirection("fw", 0), Port.outputOfDirection("bw", 1)));
        assertTrue(e.getMessage().contains("CONCAT"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> model(MergeMode.CONCAT, Port.output("a"), Port.output("b")));
        assertThrows(IllegalArgumentException.class, () -> model(MergeMode.CONCAT, Port.outputOfDirection("a", 0),
                Port.outputOfDirection("b", 0)));
    }

    @Test
    void aDirectionNeedsADirectionalPort() {
        assertThrows(IllegalArgumentException.class, () -> new Port("x", Port.Role.SEQUENCE_INPUT, Port.Layout.BATCH_MAJOR, List.of(), 0));
        assertThrows(IllegalArgumentException.class, () -> Port.outputOfDirection("y", 2));
    }
}
