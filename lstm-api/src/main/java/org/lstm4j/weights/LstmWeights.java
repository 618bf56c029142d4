package org.lstm4j.weights;

import java.util.Arrays;

/**
 * The weights of one direction of an LSTM layer in lstm4j's canonical layout.
 *
 * <h2>The equations</h2>
 * For input {@code x_t} (size I), previous hidden state {@code h_{t-1}} and cell state
 * {@code c_{t-1}} (size H), with gate activation {@code f} (sigmoid by default), cell activation
 * {@code g} and hidden activation {@code h} (tanh by default), {@code (.)} the elementwise product:
 * <pre>
 *   i_t = f(W_i x_t + R_i h_{t-1} + P_i (.) c_{t-1} + Wb_i + Rb_i)
 *   f_t = f(W_f x_t + R_f h_{t-1} + P_f (.) c_{t-1} + Wb_f + Rb_f)      (1 - i_t when input and forget are coupled)
 *   z_t = g(W_c x_t + R_c h_{t-1} + Wb_c + Rb_c)
 *   c_t = f_t (.) c_{t-1} + i_t (.) z_t
 *   o_t = f(W_o x_t + R_o h_{t-1} + P_o (.) c_t + Wb_o + Rb_o)
 *   h_t = o_t (.) h(c_t)
 * </pre>
 * These are the ONNX LSTM operator's equations; a cell clip {@code k} clamps every gate's
 * pre-activation to {@code [-k, k]} before its activation, as ONNX Runtime does.
 *
 * <h2>The layout</h2>
 * <ul>
 *   <li>{@link #inputKernel()} W: {@code [4H][I]} row-major, gate blocks in order i, f, c, o;</li>
 *   <li>{@link #recurrentKernel()} R: {@code [4H][H]}, same order;</li>
 *   <li>{@link #inputBias()} Wb and {@link #recurrentBias()} Rb: {@code [4H]} each, same order
 *       (kept apart, as PyTorch and ONNX keep them, so that nothing a model gave is lost);</li>
 *   <li>{@link #peepholes()} P: {@code [3H]} in order i, f, o, or absent.</li>
 * </ul>
 * This is PyTorch's layout; the converters {@code fromKeras}, {@code fromPyTorch},
 * {@code fromOnnx} and their inverses are the only code in lstm4j that knows another one.
 * Instances are immutable.
 */
public final class LstmWeights {

    private final int inputSize;
    private final int hiddenSize;
    private final float[] w;
    private final float[] r;
    private final float[] wb;
    private final float[] rb;
    private final float[] p;

    private LstmWeights(int inputSize, int hiddenSize, float[] w, float[] r, float[] wb, float[] rb, float[] p) {
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        this.w = w;
        this.r = r;
        this.wb = wb;
        this.rb = rb;
        this.p = p;
    }

    /**
     * Canonical weights; every array is copied. Biases and peepholes may be {@code null}
     * (zero biases, no peepholes).
     */
    public static LstmWeights of(int inputSize, int hiddenSize, float[] inputKernel, float[] recurrentKernel,
                                 float[] inputBias, float[] recurrentBias, float[] peepholes) {
        if (inputSize < 1 || hiddenSize < 1) {
            throw new IllegalArgumentException("input size and hidden size must be at least 1, got " + inputSize + " and " + hiddenSize);
        }
        long h4 = 4L * hiddenSize;
        check("input kernel W [4H, I]", inputKernel, h4 * inputSize, hiddenSize, inputSize);
        check("recurrent kernel R [4H, H]", recurrentKernel, h4 * hiddenSize, hiddenSize, inputSize);
        if (inputBias != null) {
            check("input bias Wb [4H]", inputBias, h4, hiddenSize, inputSize);
        }
        if (recurrentBias != null) {
            check("recurrent bias Rb [4H]", recurrentBias, h4, hiddenSize, inputSize);
        }
        if (peepholes != null) {
            check("peepholes P [3H]", peepholes, 3L * hiddenSize, hiddenSize, inputSize);
        }
        return new LstmWeights(inputSize, hiddenSize, inputKernel.clone(), recurrentKernel.clone(),
                inputBias == null ? new float[(int) h4] : inputBias.clone(),
                recurrentBias == null ? new float[(int) h4] : recurrentBias.clone(),
                peepholes == null ? null : peepholes.clone());
    }

    private static void check(String what, float[] a, long expected, int h, int i) {
        if (a == null) {
            throw new IllegalArgumentException(what + " is missing");
        }
        if (a.length != expected) {
            throw new IllegalArgumentException(what + " with hidden size " + h + " and input size " + i
                    + " needs " + expected + " values, got " + a.length);
        }
    }

    // ---------------------------------------------------------------- Keras

    /**
     * From Keras {@code LSTM}: {@code kernel [I, 4H]}, {@code recurrent_kernel [H, 4H]}, {@code bias [4H]}
     * (null when {@code use_bias=False}), columns in gate order i, f, c, o. Keras has one bias;
     * it becomes the input bias and the recurrent bias is zero.
     */
    public static LstmWeights fromKeras(int inputSize, int hiddenSize, float[] kernel, float[] recurrentKernel, float[] bias) {
        long h4 = 4L * hiddenSize;
        check("Keras kernel [I, 4H]", kernel, inputSize * h4, hiddenSize, inputSize);
        check("Keras recurrent_kernel [H, 4H]", recurrentKernel, hiddenSize * h4, hiddenSize, inputSize);
        float[] w = GateOrder.KERAS.reorderRows(transpose(kernel, inputSize, (int) h4), hiddenSize, inputSize, GateOrder.CANONICAL);
        float[] r = GateOrder.KERAS.reorderRows(transpose(recurrentKernel, hiddenSize, (int) h4), hiddenSize, hiddenSize, GateOrder.CANONICAL);
        float[] b = bias == null ? null : GateOrder.KERAS.reorderRows(bias, hiddenSize, 1, GateOrder.CANONICAL);
        return of(inputSize, hiddenSize, w, r, b, null, null);
    }

    /** The Keras layout of these weights; refused when the recurrent bias or peepholes cannot be expressed in it. */
    public KerasLstm toKeras() {
        if (p != null) {
            throw new IllegalStateException("Keras LSTM has no peepholes");
        }
        float[] bias = new float[wb.length];
        for (int k = 0; k < bias.length; k++) {
            bias[k] = wb[k] + rb[k];
        }
        int h4 = 4 * hiddenSize;
        return new KerasLstm(
                transpose(GateOrder.CANONICAL.reorderRows(w, hiddenSize, inputSize, GateOrder.KERAS), h4, inputSize),
                transpose(GateOrder.CANONICAL.reorderRows(r, hiddenSize, hiddenSize, GateOrder.KERAS), h4, hiddenSize),
                GateOrder.CANONICAL.reorderRows(bias, hiddenSize, 1, GateOrder.KERAS));
    }

    /** Keras's layout: kernel {@code [I, 4H]}, recurrent_kernel {@code [H, 4H]}, bias {@code [4H]}, order i, f, c, o. */
    public record KerasLstm(float[] kernel, float[] recurrentKernel, float[] bias) {
    }

    // ---------------------------------------------------------------- PyTorch

    /**
     * From PyTorch {@code nn.LSTM} (one layer, one direction): {@code weight_ih [4H, I]},
     * {@code weight_hh [4H, H]}, {@code bias_ih} and {@code bias_hh [4H]} (null when {@code bias=False}),
     * rows in gate order i, f, g, o.
     */
    public static LstmWeights fromPyTorch(int inputSize, int hiddenSize, float[] weightIh, float[] weightHh, float[] biasIh, float[] biasHh) {
        long h4 = 4L * hiddenSize;
        check("PyTorch weight_ih [4H, I]", weightIh, h4 * inputSize, hiddenSize, inputSize);
        check("PyTorch weight_hh [4H, H]", weightHh, h4 * hiddenSize, hiddenSize, inputSize);
        return of(inputSize, hiddenSize,
                GateOrder.PYTORCH.reorderRows(weightIh, hiddenSize, inputSize, GateOrder.CANONICAL),
                GateOrder.PYTORCH.reorderRows(weightHh, hiddenSize, hiddenSize, GateOrder.CANONICAL),
                biasIh == null ? null : GateOrder.PYTORCH.reorderRows(biasIh, hiddenSize, 1, GateOrder.CANONICAL),
                biasHh == null ? null : GateOrder.PYTORCH.reorderRows(biasHh, hiddenSize, 1, GateOrder.CANONICAL),
                null);
    }

    /** PyTorch's layout of these weights; refused with peepholes, which nn.LSTM lacks. */
    public PyTorchLstm toPyTorch() {
        if (p != null) {
            throw new IllegalStateException("PyTorch nn.LSTM has no peepholes");
        }
        return new PyTorchLstm(
                GateOrder.CANONICAL.reorderRows(w, hiddenSize, inputSize, GateOrder.PYTORCH),
                GateOrder.CANONICAL.reorderRows(r, hiddenSize, hiddenSize, GateOrder.PYTORCH),
                GateOrder.CANONICAL.reorderRows(wb, hiddenSize, 1, GateOrder.PYTORCH),
                GateOrder.CANONICAL.reorderRows(rb, hiddenSize, 1, GateOrder.PYTORCH));
    }

    /** PyTorch's layout: weight_ih {@code [4H, I]}, weight_hh {@code [4H, H]}, bias_ih, bias_hh {@code [4H]}, order i, f, g, o. */
    public record PyTorchLstm(float[] weightIh, float[] weightHh, float[] biasIh, float[] biasHh) {
    }

    // ---------------------------------------------------------------- ONNX

    /**
     * From one direction of the ONNX {@code LSTM} operator's inputs: {@code W [4H, I]},
     * {@code R [4H, H]}, {@code B [8H]} (Wb then Rb; null for zero) and {@code P [3H]}
     * (order i, o, f; null for none), gate blocks in order i, o, f, c.
     */
    public static LstmWeights fromOnnx(int inputSize, int hiddenSize, float[] w, float[] r, float[] b, float[] p) {
        long h4 = 4L * hiddenSize;
        check("ONNX W [4H, I]", w, h4 * inputSize, hiddenSize, inputSize);
        check("ONNX R [4H, H]", r, h4 * hiddenSize, hiddenSize, inputSize);
        float[] wb = null;
        float[] rb = null;
        if (b != null) {
            check("ONNX B [8H]", b, 2 * h4, hiddenSize, inputSize);
            wb = GateOrder.ONNX.reorderRows(Arrays.copyOfRange(b, 0, (int) h4), hiddenSize, 1, GateOrder.CANONICAL);
            rb = GateOrder.ONNX.reorderRows(Arrays.copyOfRange(b, (int) h4, (int) (2 * h4)), hiddenSize, 1, GateOrder.CANONICAL);
        }
        float[] peep = null;
        if (p != null) {
            check("ONNX P [3H]", p, 3L * hiddenSize, hiddenSize, inputSize);
            peep = swapForgetAndOutputPeepholes(p, hiddenSize);
        }
        return of(inputSize, hiddenSize,
                GateOrder.ONNX.reorderRows(w, hiddenSize, inputSize, GateOrder.CANONICAL),
                GateOrder.ONNX.reorderRows(r, hiddenSize, hiddenSize, GateOrder.CANONICAL),
                wb, rb, peep);
    }

    /**
     * ONNX stores peepholes i, o, f; canonical P is i, f, o ({@link GateOrder#PEEPHOLE_INPUT} ...): the two differ
     * by exchanging the forget and output blocks, which turns either order into the other.
     */
    private static float[] swapForgetAndOutputPeepholes(float[] p, int h) {
        float[] out = new float[3 * h];
        System.arraycopy(p, GateOrder.PEEPHOLE_INPUT * h, out, GateOrder.PEEPHOLE_INPUT * h, h);
        System.arraycopy(p, GateOrder.PEEPHOLE_FORGET * h, out, GateOrder.PEEPHOLE_OUTPUT * h, h);
        System.arraycopy(p, GateOrder.PEEPHOLE_OUTPUT * h, out, GateOrder.PEEPHOLE_FORGET * h, h);
        return out;
    }

    /** The ONNX operator's layout of these weights (one direction). {@code p} is null without peepholes. */
    public OnnxLstm toOnnx() {
        int h4 = 4 * hiddenSize;
        float[] b = new float[2 * h4];
        System.arraycopy(GateOrder.CANONICAL.reorderRows(wb, hiddenSize, 1, GateOrder.ONNX), 0, b, 0, h4);
        System.arraycopy(GateOrder.CANONICAL.reorderRows(rb, hiddenSize, 1, GateOrder.ONNX), 0, b, h4, h4);
        float[] peep = null;
        if (p != null) {
            peep = swapForgetAndOutputPeepholes(p, hiddenSize);
        }
        return new OnnxLstm(
                GateOrder.CANONICAL.reorderRows(w, hiddenSize, inputSize, GateOrder.ONNX),
                GateOrder.CANONICAL.reorderRows(r, hiddenSize, hiddenSize, GateOrder.ONNX),
                b, peep);
    }

    /** ONNX's layout for one direction: W {@code [4H, I]}, R {@code [4H, H]}, B {@code [8H]}, P {@code [3H]} or null; order i, o, f, c. */
    public record OnnxLstm(float[] w, float[] r, float[] b, float[] p) {
    }

    // ---------------------------------------------------------------- accessors

    public int inputSize() {
        return inputSize;
    }

    public int hiddenSize() {
        return hiddenSize;
    }

    /** W, {@code [4H][I]}, gate order i, f, c, o (a copy). */
    public float[] inputKernel() {
        return w.clone();
    }

    /** R, {@code [4H][H]} (a copy). */
    public float[] recurrentKernel() {
        return r.clone();
    }

    /** Wb, {@code [4H]} (a copy). */
    public float[] inputBias() {
        return wb.clone();
    }

    /** Rb, {@code [4H]} (a copy). */
    public float[] recurrentBias() {
        return rb.clone();
    }

    /** Wb + Rb, the one bias of engines that have only one (Keras, TensorFlow, ND4J), summed in float32 as they would. */
    public float[] combinedBias() {
        float[] out = new float[wb.length];
        for (int k = 0; k < out.length; k++) {
            out[k] = wb[k] + rb[k];
        }
        return out;
    }

    public boolean hasPeepholes() {
        return p != null;
    }

    /** P, {@code [3H]} in order i, f, o (a copy), or null. */
    public float[] peepholes() {
        return p == null ? null : p.clone();
    }

    /** The number of trainable values. */
    public long parameterCount() {
        return (long) w.length + r.length + wb.length + rb.length + (p == null ? 0 : p.length);
    }

    static float[] transpose(float[] a, int rows, int cols) {
        float[] out = new float[a.length];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                out[j * rows + i] = a[i * cols + j];
            }
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LstmWeights x && inputSize == x.inputSize && hiddenSize == x.hiddenSize
                && Arrays.equals(w, x.w) && Arrays.equals(r, x.r) && Arrays.equals(wb, x.wb)
                && Arrays.equals(rb, x.rb) && Arrays.equals(p, x.p);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * inputSize + hiddenSize) + Arrays.hashCode(w);
    }

    @Override
    public String toString() {
        return "LstmWeights[I=" + inputSize + ", H=" + hiddenSize + (p != null ? ", peepholes" : "") + "]";
    }
}
