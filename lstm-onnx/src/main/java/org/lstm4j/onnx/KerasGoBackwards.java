package org.lstm4j.onnx;

import java.util.ArrayList;
import java.util.List;
import org.lstm4j.model.Direction;
import org.lstm4j.onnx.Stages.LstmStage;
import org.lstm4j.onnx.Values.Comp;
import org.lstm4j.onnx.Values.Const;
import org.lstm4j.onnx.Values.Dim;
import org.lstm4j.onnx.Values.DimFill;
import org.lstm4j.onnx.Values.Fill;
import org.lstm4j.onnx.Values.Role;
import org.lstm4j.onnx.Values.Val;
import org.lstm4j.onnx.Values.View;

/**
 * Keras {@code go_backwards=True} as Keras and tf2onnx write it: a forward LSTM over the
 * time-reversed sequence ({@code ReverseSequence} over whole sequences, as tf2onnx writes ReverseV2,
 * or a {@code Slice} with step -1), whose outputs come in processing order. It maps to a reverse
 * layer with a reversed output order. Package-private.
 */
final class KerasGoBackwards {
    private KerasGoBackwards() {
    }

    static void register(OpRegistry r) {
        r.add("Keras go_backwards", KerasGoBackwards::reverseSequence, "ReverseSequence");
    }

    /** Reversal of every sequence over its full length (tf2onnx's ReverseV2 for Keras go_backwards). */
    static void reverseSequence(Node n) {
        View w = n.requireView(0, "input");
        Val lens = n.required(1, "sequence_lens");
        int t = Shapes.axis(n.attrInt("time_axis", 0), w.rank());
        List<Comp> a = w.axes.get(t);
        if (a.size() != 1 || !a.get(0).isFull(w.src)) {
            throw new Refusal("reverses an axis of " + w.src + " that is not a whole time axis");
        }
        Comp c = a.get(0);
        Dim time = c.size(w.src);
        boolean full = lens instanceof DimFill df && df.value().equals(time)
                || lens instanceof Fill f && time.known() && f.value() == time.value
                || lens instanceof Const k && time.known() && k.t().allEqual(time.value);
        if (!full) {
            throw new Refusal("reverses sequences by lengths computed from " + Values.describe(lens) + "; lstm4j maps only the reversal "
                    + "of whole sequences (Keras go_backwards), not per-sequence lengths");
        }
        List<List<Comp>> axes = new ArrayList<>(w.axes);
        axes.set(t, List.of(new Comp(c.axis, c.sel, c.lo, c.hi, !c.reversed)));
        n.out(0, w.with(axes, w.fixed));
    }

    /** A forward LSTM over a time-reversed input is Keras go_backwards: a reverse layer whose outputs come in processing order. */
    static void overReversedInput(Node n, LstmStage st) {
        if (st.direction != Direction.FORWARD) {
            throw new Refusal("reads a time-reversed input with direction " + n.attrString("direction", "forward")
                    + "; only a forward LSTM over a reversed input (Keras go_backwards) is mapped");
        }
        st.direction = Direction.REVERSE;
        st.overReversedInput = true;
        if (n.in(4) != null) {
            throw new Refusal("reads a time-reversed input and has sequence_lens; a reversal of padded sequences does not map to a reverse layer");
        }
    }

    /** Y of the forward pass over reversed input: the reverse layer's outputs in processing order. */
    static View inProcessingOrder(View y) {
        List<List<Comp>> axes = new ArrayList<>(y.axes);
        int t = y.src.axisOf(Role.TIME);
        Comp c = axes.get(t).get(0);
        axes.set(t, List.of(new Comp(c.axis, c.sel, c.lo, c.hi, true)));
        return y.with(axes, y.fixed);
    }
}
