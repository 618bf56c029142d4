package org.lstm4j.backend.java.fast;

/**
 * Scratch arrays of one forward pass, grown on demand and then reused. A predict() call makes its
 * own (so concurrent calls share nothing); a stream keeps one for its life, so a step allocates
 * nothing but the output tensor it returns. Arrays may be longer than asked; callers index within
 * the size they asked for and clear what they need cleared.
 */
final class Workspace {
    static final int INPUT = 0;
    static final int LAYER_A = 1;
    static final int LAYER_B = 2;
    static final int XH = 3;
    static final int GATES = 4;
    static final int CELL = 5;
    static final int Y0 = 6;
    static final int Y1 = 7;
    static final int DENSE = 8;

    private final float[][] arrays = new float[9][];

    float[] get(int slot, int size) {
        float[] a = arrays[slot];
        if (a == null || a.length < size) {
            a = new float[size];
            arrays[slot] = a;
        }
        return a;
    }
}
