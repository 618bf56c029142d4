package org.lstm4j.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class FloatTensorTest {

    @Test
    void roundTripsThroughNestedArrays() {
        float[][][] a = {{{1, 2}, {3, 4}, {5, 6}}, {{7, 8}, {9, 10}, {11, 12}}};
        FloatTensor t = FloatTensor.of(a);
        assertArrayEquals(new int[] {2, 3, 2}, t.shape());
        assertEquals(10f, t.get(1, 1, 1));
        assertArrayEquals(a, t.toArray3d());
    }

    @Test
    void isImmutable() {
        float[] v = {1, 2, 3};
        FloatTensor t = FloatTensor.of(new int[] {3}, v);
        v[0] = 99;
        t.toArray()[1] = 99;
        assertArrayEquals(new float[] {1, 2, 3}, t.toArray());
    }

    @Test
    void swapsBatchAndTimeAxes() {
        FloatTensor t = FloatTensor.of(new float[][][] {{{1}, {2}, {3}}, {{4}, {5}, {6}}});
        assertArrayEquals(new float[][][] {{{1}, {4}}, {{2}, {5}}, {{3}, {6}}}, t.swapFirstAxes().toArray3d());
    }

    @Test
    void slicesAndConcatenatesAlongTheFirstAxis() {
        FloatTensor t = FloatTensor.of(new float[][] {{1, 2}, {3, 4}, {5, 6}});
        assertEquals(t, FloatTensor.concat0(List.of(t.slice0(0, 1), t.slice0(1, 3))));
    }

    @Test
    void refusesRaggedArraysAndBadShapes() {
        assertThrows(IllegalArgumentException.class, () -> FloatTensor.of(new float[][][] {{{1}}, {{1}, {2}}}));
        assertThrows(IllegalArgumentException.class, () -> FloatTensor.of(new int[] {2, 2}, new float[3]));
        assertThrows(IllegalArgumentException.class, () -> FloatTensor.zeros(-1, 2));
        assertThrows(IllegalArgumentException.class, () -> FloatTensor.zeros(100000, 100000));
    }
}
