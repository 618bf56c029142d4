package org.lstm4j.onnx;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.lstm4j.onnx.Stages.DenseStage;
import org.lstm4j.onnx.Stages.InputStage;
import org.lstm4j.onnx.Stages.Stream;
import org.lstm4j.onnx.Values.Comp;
import org.lstm4j.onnx.Values.Const;
import org.lstm4j.onnx.Values.Kind;
import org.lstm4j.onnx.Values.Role;
import org.lstm4j.onnx.Values.Val;
import org.lstm4j.onnx.Values.View;

/**
 * Dense layers: {@code MatMul} or {@code Gemm} of a layer's output by a constant kernel, and the
 * bias {@code Add} that follows a MatMul ({@link #bias}, through {@link ArithmeticOps}). A kernel
 * applied to one time step of an LSTM output is tf2onnx's unrolled TimeDistributed
 * ({@link Tf2OnnxTimeDistributed}). Package-private.
 */
final class DenseOps {
    private DenseOps() {
    }

    static void register(OpRegistry r) {
        String family = "dense";
        r.add(family, DenseOps::matmul, "MatMul");
        r.add(family, DenseOps::gemm, "Gemm");
    }

    static void matmul(Node n) {
        Val a = n.required(0, "A");
        Val b = n.required(1, "B");
        if (a instanceof Const ca && b instanceof Const cb) {
            n.out(0, new Const(n.charged(matmulConst(ca.t(), cb.t()))));
            return;
        }
        if (!(a instanceof View w) || !(b instanceof Const kc)) {
            throw new Refusal("multiplies " + Values.describe(a) + " by " + Values.describe(b)
                    + "; a dense layer multiplies the network's output by a constant kernel");
        }
        Tensor k = kc.t();
        if (k.rank() != 2) {
            throw new Refusal("its kernel must be a 2-D constant [in, units], got " + k);
        }
        dense(n, w, k.toFloats(), (int) k.shape[0], (int) k.shape[1], null);
    }

    private static Tensor matmulConst(Tensor a, Tensor b) {
        if (a.rank() != 2 || b.rank() != 2 || a.shape[1] != b.shape[0]) {
            throw new Refusal("folds a MatMul of constants " + a + " and " + b + " (only 2-D is supported)");
        }
        int n = (int) a.shape[0];
        int m = (int) b.shape[1];
        int kk = (int) a.shape[1];
        double[] out = new double[n * m];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                double s = 0;
                for (int x = 0; x < kk; x++) {
                    s += a.values[i * kk + x] * b.values[x * m + j];
                }
                out[i * m + j] = (float) s;
            }
        }
        return new Tensor(a.type, new long[] {n, m}, out);
    }

    static void gemm(Node n) {
        Val a = n.required(0, "A");
        Tensor b = n.requiredConst(1, "B");
        Tensor c = n.constIn(2, "C");
        if (!(a instanceof View w)) {
            throw new Refusal("multiplies " + Values.describe(a) + "; a dense layer multiplies the network's output by a constant kernel");
        }
        if (n.attrInt("transA", 0) != 0) {
            throw new Refusal("transposes its input (transA=1), which does not fit a dense layer over [batch, features]");
        }
        if (b.rank() != 2) {
            throw new Refusal("its B must be 2-D, got " + b);
        }
        float alpha = n.attrFloat("alpha", 1f);
        float beta = n.attrFloat("beta", 1f);
        boolean transB = n.attrInt("transB", 0) != 0;
        int in = (int) (transB ? b.shape[1] : b.shape[0]);
        int units = (int) (transB ? b.shape[0] : b.shape[1]);
        float[] kernel = new float[in * units];
        for (int i = 0; i < in; i++) {
            for (int j = 0; j < units; j++) {
                double v = transB ? b.values[j * in + i] : b.values[i * units + j];
                kernel[i * units + j] = (float) (alpha * v);
            }
        }
        float[] bias = null;
        if (c != null) {
            if (c.size() != units && c.size() != 1 || c.rank() == 2 && c.shape[0] != 1) {
                throw new Refusal("its C of shape " + Arrays.toString(c.shape) + " is not a bias of " + units + " units");
            }
            bias = new float[units];
            for (int j = 0; j < units; j++) {
                bias[j] = (float) (beta * c.values[c.size() == 1 ? 0 : j]);
            }
        }
        dense(n, w, kernel, in, units, bias);
    }

    private static void dense(Node n, View merged, float[] kernel, int in, int units, float[] bias) {
        // tf2onnx's Tensordot flattens [batch, time] into one axis around the MatMul: map it on the unflattened axes.
        List<List<Comp>> flat = new ArrayList<>();
        List<Integer> groups = new ArrayList<>();
        for (int k = 0; k < merged.rank() - 1; k++) {
            List<Comp> a = merged.axes.get(k);
            if (a.size() <= 1) {
                flat.add(a);
                groups.add(1);
            } else {
                for (Comp c : a) {
                    flat.add(List.of(c));
                }
                groups.add(a.size());
            }
        }
        flat.add(merged.axes.get(merged.rank() - 1));
        groups.add(1);
        View w = merged.with(flat, merged.fixed);
        View perStep = Tf2OnnxTimeDistributed.perStepDense(n, w, kernel, in, units, bias);
        if (perStep != null) {
            n.out(0, perStep);
            return;
        }
        Stream s = Streams.of(n.state, w, "its input");
        if (s.stage() instanceof InputStage) {
            throw new Refusal("applies a dense layer to the graph input; lstm4j models start with an LSTM layer");
        }
        if (s.rawLayout() != null) {
            throw new Refusal("applies a dense layer to an LSTM's raw output with a separate direction axis");
        }
        if (s.roles()[s.roles().length - 1] != Role.FEAT) {
            throw new Refusal("multiplies along an axis that is not the features axis of " + w.src);
        }
        if (s.width() != in) {
            throw new Refusal("its kernel reads " + in + " features but " + s.stage() + " gives " + s.width());
        }
        DenseStage d = new DenseStage(n.name(), n.opType(), s, in, units, kernel, bias, null, s.roles(), s.dims());
        View id = View.identity(d.source);
        List<List<Comp>> regrouped = new ArrayList<>();
        int k = 0;
        for (int g : groups) {
            List<Comp> a = new ArrayList<>();
            for (int j = 0; j < g; j++) {
                a.addAll(id.axes.get(k++));
            }
            regrouped.add(a);
        }
        n.out(0, id.with(regrouped, id.fixed));
    }

    /**
     * A constant added to a bias-less dense output: that layer's bias. Returns the view of the
     * layer with its bias, or null when {@code w} is not such an output.
     */
    static View bias(View w, Tensor c) {
        if (w.src.kind != Kind.DENSE) {
            return null;
        }
        DenseStage d = (DenseStage) w.src.stage;
        if (d.bias != null || d.activation != null || !isIdentity(w)) {
            return null;
        }
        long units = d.units;
        for (int i = 0; i < c.rank() - 1; i++) {
            if (c.shape[i] != 1) {
                throw new Refusal("adds a bias of shape " + Arrays.toString(c.shape) + " to a dense output of " + units + " units");
            }
        }
        if (c.size() != units && c.size() != 1 || c.rank() > w.rank()) {
            throw new Refusal("adds a bias of shape " + Arrays.toString(c.shape) + " to a dense output of " + units + " units");
        }
        float[] b = new float[(int) units];
        for (int i = 0; i < units; i++) {
            b[i] = (float) c.values[c.size() == 1 ? 0 : i];
        }
        return View.identityPermuted(d.withBias(d.name, b).source, w);
    }

    /** Whether a view shows its whole source, every axis once, none reversed or merged (axes may be permuted). */
    static boolean isIdentity(View w) {
        if (!w.fixed.isEmpty() || w.merge != null) {
            return false;
        }
        Set<Integer> seen = new HashSet<>();
        for (List<Comp> a : w.axes) {
            if (a.size() != 1 || !a.get(0).isFull(w.src) || a.get(0).reversed) {
                return false;
            }
            seen.add(a.get(0).axis);
        }
        return seen.size() == w.src.dims.length;
    }
}
