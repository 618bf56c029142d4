package org.lstm4j.bench;

import java.util.Locale;

/**
 * The four workloads of issue 9, each named by its letter. Every backend and every Python anchor
 * runs the same sizes with the same weights.
 */
public enum BenchShape {
    /** (a) streaming: one step of batch 1, state carried; LSTM(50) then Dense(10) on every step. */
    A_STREAMING('a', 1, 1, 10, 50, true),
    /** (b) one request: batch 1, 100 steps, LSTM(50) final state then Dense(10): the seed model. */
    B_SEQUENCE('b', 1, 100, 10, 50, true),
    /** (c) throughput: batch 64, 100 steps, LSTM(256) returning every step. */
    C_THROUGHPUT('c', 64, 100, 32, 256, false),
    /** (d) large: batch 256, 100 steps, LSTM(512) returning every step. */
    D_LARGE('d', 256, 100, 128, 512, false);

    public final char letter;
    public final int batch;
    public final int time;
    public final int input;
    public final int hidden;
    /** Whether a Dense(10) follows the LSTM. */
    public final boolean dense;

    BenchShape(char letter, int batch, int time, int input, int hidden, boolean dense) {
        this.letter = letter;
        this.batch = batch;
        this.time = time;
        this.input = input;
        this.hidden = hidden;
        this.dense = dense;
    }

    public static BenchShape of(String letter) {
        for (BenchShape s : values()) {
            if (String.valueOf(s.letter).equalsIgnoreCase(letter.trim())) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown shape '" + letter + "'; shapes are a, b, c, d");
    }

    /** Multiply-add work of the LSTM, counted as 2 flops each: {@code 2 B T (I + H) 4H}. */
    public double lstmFlops() {
        return 2.0 * batch * time * (input + hidden) * 4.0 * hidden;
    }

    public String label() {
        return String.format(Locale.ROOT, "(%c) batch %d, %d step%s, input %d, hidden %d%s", letter, batch, time,
                time == 1 ? "" : "s", input, hidden, dense ? ", Dense(10)" : "");
    }
}
