package org.lstm4j.onnx;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.lstm4j.model.Activation;
import org.lstm4j.model.Direction;
import org.lstm4j.model.Port;
import org.lstm4j.onnx.Stages.LstmStage;
import org.lstm4j.onnx.Values.Dim;
import org.lstm4j.onnx.Values.Kind;
import org.lstm4j.onnx.Values.Role;
import org.lstm4j.onnx.Values.Source;
import org.lstm4j.onnx.Values.View;
import org.lstm4j.onnx.proto.OnnxProto.AttributeProto;
import org.lstm4j.weights.LstmWeights;

/**
 * The {@code LSTM} node (opset 7 and later; opset 1's {@code output_sequence} is refused): its
 * attributes and weights become an {@link LstmStage}; what it reads (the sequence, lengths,
 * initial states) is worked out by {@link LstmInputs}; its outputs Y, Y_h and Y_c become views of
 * new sources, time-reversed for Keras go_backwards ({@link KerasGoBackwards}) and in sorted batch
 * order for PyTorch packed sequences ({@link PyTorchPackedSequences}). Package-private.
 */
final class LstmOp {
    private LstmOp() {
    }

    static void register(OpRegistry r) {
        // Y, Y_h and Y_c are all optional.
        r.add("LSTM", 7, OpRegistry.LATEST, OpRegistry.Outputs.between(0, 3), LstmOp::lstm, "LSTM");
    }

    static void lstm(Node n) {
        LstmStage st = stage(n);
        LstmInputs.Read x = LstmInputs.sequence(n, st);
        if (x.reversed()) {
            KerasGoBackwards.overReversedInput(n, st);
        }
        LstmInputs.lengths(n, st, x.sortedBy());
        LstmInputs.initialState(n, st, 5, Port.Role.INITIAL_HIDDEN, x.sortedBy());
        LstmInputs.initialState(n, st, 6, Port.Role.INITIAL_CELL, x.sortedBy());
        outputs(n, st, x);
    }

    /** The layer the node's attributes and weights describe. */
    private static LstmStage stage(Node n) {
        LstmStage st = new LstmStage(n.name());
        Tensor w = n.constIn(1, "W");
        Tensor r = n.constIn(2, "R");
        Tensor b = n.constIn(3, "B");
        Tensor p = n.constIn(7, "P");
        if (w == null || r == null) {
            throw new Refusal("its W or R input is missing");
        }
        String dir = n.attrString("direction", "forward");
        switch (dir) {
            case "forward": st.direction = Direction.FORWARD; break;
            case "reverse": st.direction = Direction.REVERSE; break;
            case "bidirectional": st.direction = Direction.BIDIRECTIONAL; break;
            default: throw new Refusal("direction '" + dir + "' is not forward, reverse or bidirectional");
        }
        int d = st.directions();
        if (w.rank() != 3 || w.shape[0] != d || w.shape[1] % 4 != 0 || w.shape[1] == 0) {
            throw new Refusal("W must be [" + d + ", 4*hidden, input], got " + Arrays.toString(w.shape));
        }
        int h = (int) (w.shape[1] / 4);
        int i = (int) w.shape[2];
        long hs = n.attrInt("hidden_size", h);
        if (hs != h) {
            throw new Refusal("hidden_size " + hs + " disagrees with W of shape " + Arrays.toString(w.shape));
        }
        if (!Arrays.equals(r.shape, new long[] {d, 4L * h, h})) {
            throw new Refusal("R must be [" + d + ", " + 4 * h + ", " + h + "], got " + Arrays.toString(r.shape));
        }
        if (b != null && !Arrays.equals(b.shape, new long[] {d, 8L * h})) {
            throw new Refusal("B must be [" + d + ", " + 8 * h + "], got " + Arrays.toString(b.shape));
        }
        if (p != null && !Arrays.equals(p.shape, new long[] {d, 3L * h})) {
            throw new Refusal("P must be [" + d + ", " + 3 * h + "], got " + Arrays.toString(p.shape));
        }
        st.hiddenSize = h;
        st.inputSize = i;
        st.layout = (int) n.attrInt("layout", 0);
        if (st.layout != 0 && st.layout != 1) {
            throw new Refusal("layout " + st.layout + " is neither 0 nor 1");
        }
        if (n.attr("output_sequence") != null) {
            throw new Refusal("has the output_sequence attribute of LSTM opset 1, which lstm4j does not support; re-export with opset 7 or newer");
        }
        AttributeProto clip = n.attr("clip");
        if (clip != null) {
            float c = clip.getF();
            if (!(c > 0) || !Float.isFinite(c)) {
                throw new Refusal("clip must be positive and finite, got " + c);
            }
            st.clip = c;
        }
        long forget = n.attrInt("input_forget", 0);
        if (forget != 0 && forget != 1) {
            throw new Refusal("input_forget must be 0 or 1, got " + forget);
        }
        st.inputForget = forget == 1;
        activations(n, st, d);
        float[] wv = w.toFloats();
        float[] rv = r.toFloats();
        float[] bv = b == null ? null : b.toFloats();
        float[] pv = p == null ? null : p.toFloats();
        for (int k = 0; k < d; k++) {
            try {
                st.weights.add(LstmWeights.fromOnnx(i, h,
                        Arrays.copyOfRange(wv, k * 4 * h * i, (k + 1) * 4 * h * i),
                        Arrays.copyOfRange(rv, k * 4 * h * h, (k + 1) * 4 * h * h),
                        bv == null ? null : Arrays.copyOfRange(bv, k * 8 * h, (k + 1) * 8 * h),
                        pv == null ? null : Arrays.copyOfRange(pv, k * 3 * h, (k + 1) * 3 * h)));
            } catch (IllegalArgumentException e) {
                throw new Refusal("weights of direction " + k + ": " + e.getMessage());
            }
        }
        return st;
    }

    private static void outputs(Node n, LstmStage st, LstmInputs.Read x) {
        int d = st.directions();
        Dim dd = Dim.of(d);
        Dim hh = Dim.of(st.hiddenSize);
        Dim timeDim = x.time();
        Dim batchDim = x.batch();
        Source y = st.layout == 0
                ? new Source(Kind.LSTM_Y, st, null, new Dim[] {timeDim, dd, batchDim, hh}, new Role[] {Role.TIME, Role.DIR, Role.BATCH, Role.FEAT})
                : new Source(Kind.LSTM_Y, st, null, new Dim[] {batchDim, timeDim, dd, hh}, new Role[] {Role.BATCH, Role.TIME, Role.DIR, Role.FEAT});
        Dim[] sd = st.layout == 0 ? new Dim[] {dd, batchDim, hh} : new Dim[] {batchDim, dd, hh};
        Role[] sr = st.layout == 0 ? new Role[] {Role.DIR, Role.BATCH, Role.FEAT} : new Role[] {Role.BATCH, Role.DIR, Role.FEAT};
        View yv = View.identity(y);
        if (x.reversed()) {
            yv = KerasGoBackwards.inProcessingOrder(yv);
        }
        st.yh = new Source(Kind.LSTM_YH, st, null, sd, sr);
        Source yc = new Source(Kind.LSTM_YC, st, null, sd.clone(), sr.clone());
        View hv = View.identity(st.yh);
        View cv = View.identity(yc);
        if (x.sortedBy() != null) {
            // Outputs stay in the sorted batch order until a Gather by the inverse permutation restores it.
            yv = yv.sorted(x.sortedBy(), y.axisOf(Role.BATCH));
            hv = hv.sorted(x.sortedBy(), st.yh.axisOf(Role.BATCH));
            cv = cv.sorted(x.sortedBy(), yc.axisOf(Role.BATCH));
        }
        n.out(0, yv);
        n.out(1, hv);
        n.out(2, cv);
    }

    private static void activations(Node n, LstmStage st, int d) {
        AttributeProto acts = n.attr("activations");
        List<String> names = new ArrayList<>();
        if (acts == null) {
            for (int k = 0; k < d; k++) {
                names.addAll(List.of("Sigmoid", "Tanh", "Tanh"));
            }
        } else {
            for (int k = 0; k < acts.getStringsCount(); k++) {
                names.add(acts.getStrings(k).toStringUtf8());
            }
        }
        if (names.size() != 3 * d) {
            throw new Refusal("activations lists " + names.size() + " functions; an LSTM with " + d + " direction(s) needs " + 3 * d);
        }
        AttributeProto al = n.attr("activation_alpha");
        AttributeProto be = n.attr("activation_beta");
        int ai = 0;
        int bi = 0;
        Activation[] parsed = new Activation[names.size()];
        for (int k = 0; k < names.size(); k++) {
            String fn = names.get(k);
            Set<String> usesAlpha = Set.of("affine", "leakyrelu", "thresholdedrelu", "scaledtanh", "hardsigmoid", "elu");
            Set<String> usesBeta = Set.of("affine", "scaledtanh", "hardsigmoid");
            String lower = fn.toLowerCase(Locale.ROOT);
            float alpha = Float.NaN;
            float beta = Float.NaN;
            // alpha and beta values are consumed in order by the functions that take them (as ONNX Runtime reads them).
            if (usesAlpha.contains(lower) && al != null && ai < al.getFloatsCount()) {
                alpha = al.getFloats(ai++);
            }
            if (usesBeta.contains(lower) && be != null && bi < be.getFloatsCount()) {
                beta = be.getFloats(bi++);
            }
            try {
                parsed[k] = Activation.fromOnnx(fn, alpha, beta);
            } catch (IllegalArgumentException e) {
                throw new Refusal(e.getMessage());
            }
        }
        if (d == 2) {
            for (int k = 0; k < 3; k++) {
                if (!parsed[k].equals(parsed[k + 3])) {
                    throw new Refusal("its forward and backward directions use different activations (" + names.subList(0, 3) + " vs "
                            + names.subList(3, 6) + "); lstm4j layers use one set for both directions");
                }
            }
        }
        st.f = parsed[0];
        st.g = parsed[1];
        st.h = parsed[2];
    }
}
