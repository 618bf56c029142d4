package org.lstm4j.onnx;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.lstm4j.model.Direction;
import org.lstm4j.model.OutputMode;
import org.lstm4j.onnx.Stages.DenseStage;
import org.lstm4j.onnx.Stages.LstmStage;
import org.lstm4j.onnx.Stages.Stream;
import org.lstm4j.onnx.Values.Comp;
import org.lstm4j.onnx.Values.Dim;
import org.lstm4j.onnx.Values.Kind;
import org.lstm4j.onnx.Values.Role;
import org.lstm4j.onnx.Values.Sel;
import org.lstm4j.onnx.Values.Val;
import org.lstm4j.onnx.Values.View;

/**
 * tf2onnx's form of Keras {@code TimeDistributed(Dense)} over a sequence of known length: the
 * sequence gathered step by step, one {@code MatMul}/{@code Add} per step, and the steps stacked
 * back with {@code Concat}. Each per-step dense output is a {@link DenseStage} that knows its
 * step; the stack of all steps in order is the dense layer over the whole sequence, and the last
 * step alone is the dense head on the last step. Package-private.
 */
final class Tf2OnnxTimeDistributed {
    private Tf2OnnxTimeDistributed() {
    }

    /**
     * A dense layer applied to one time step of an LSTM output: its per-step stage, which a later
     * Concat of all steps makes whole again; null when {@code w} is not one step of an LSTM output.
     */
    static View perStepDense(Node n, View w, float[] kernel, int in, int units, float[] bias) {
        int timeAxis = w.src.kind == Kind.LSTM_Y ? w.src.axisOf(Role.TIME) : -1;
        Comp step = timeAxis >= 0 ? w.fixed.get(timeAxis) : null;
        if (step == null || step.sel != Sel.RANGE || step.hi - step.lo != 1) {
            return null;
        }
        Map<Integer, Comp> fixed = w.fixedCopy();
        fixed.remove(timeAxis);
        List<List<Comp>> axes = new ArrayList<>();
        axes.add(List.of(new Comp(timeAxis, Sel.RANGE, 0, w.src.dims[timeAxis].value, step.reversed)));
        axes.addAll(w.axes);
        Stream full = Streams.of(n.state, w.with(axes, fixed), "its input");
        if (full.width() != in) {
            throw new Refusal("its kernel reads " + in + " features but " + full.stage() + " gives " + full.width());
        }
        Role[] roles = Arrays.copyOfRange(full.roles(), 1, full.roles().length);
        Dim[] dims = Arrays.copyOfRange(full.dims(), 1, full.dims().length);
        DenseStage d = new DenseStage(n.name(), n.opType(), full, in, units, kernel, bias, null, roles, dims);
        d.step = (int) step.lo;
        d.steps = (int) w.src.dims[timeAxis].value;
        d.stepReversed = step.reversed;
        return View.identity(d.source);
    }

    /** Keras TimeDistributed(Dense) unrolled by tf2onnx: the same dense layer on every step, stacked along a new axis. */
    static View stackSteps(List<Val> ins, int ax) {
        DenseStage first = (DenseStage) ((View) ins.get(0)).src.stage;
        int n = first.steps;
        if (ins.size() != n) {
            List<Integer> steps = new ArrayList<>();
            for (Val v : ins) {
                steps.add(((DenseStage) ((View) v).src.stage).step);
            }
            throw new Refusal("stacks " + ins.size() + " per-step dense outputs (steps " + steps + ") of a sequence of " + n
                    + " steps: a dense head on a slice of the time axis (Keras Lambda(x[:, -k:]) then TimeDistributed(Dense), "
                    + "unrolled by tf2onnx), which lstm4j has no layer for; apply the Dense to every step and slice the "
                    + "model's output instead, or run the file as it is (lstm predict --raw)");
        }
        for (int j = 0; j < n; j++) {
            View w = (View) ins.get(j);
            DenseStage d = (DenseStage) w.src.stage;
            int want = d.stepReversed ? n - 1 - j : j;
            if (!d.sameLayerAs(first) || d.step != want || d.stepReversed != first.stepReversed) {
                throw new Refusal("stacks per-step dense outputs that are not one layer over steps 0.." + (n - 1) + " in order");
            }
            if (!w.fixed.isEmpty() || w.rank() != d.source.dims.length + 1 || !w.axes.get(ax).isEmpty()) {
                throw new Refusal("stacks per-step dense outputs along an axis other than a new one");
            }
            for (int k = 0, m = 0; k < w.rank(); k++) {
                if (k == ax) {
                    continue;
                }
                List<Comp> a = w.axes.get(k);
                if (a.size() != 1 || a.get(0).axis != m++ || !a.get(0).isFull(w.src)) {
                    throw new Refusal("stacks rearranged per-step dense outputs");
                }
            }
        }
        Stream full = first.prev;
        // The whole sequence's roles with the time axis where the stack put it.
        List<Role> roles = new ArrayList<>(Arrays.asList(first.source.roles));
        List<Dim> dims = new ArrayList<>(Arrays.asList(first.source.dims));
        roles.add(ax, Role.TIME);
        dims.add(ax, Dim.of(n));
        dims.set(dims.size() - 1, Dim.of(first.inputSize));
        Stream prev = new Stream(full.stage(), full.roles(), full.dims(), full.mode(), full.merge(), full.reversed(), null);
        DenseStage whole = new DenseStage(first.name, first.opType, prev, first.inputSize, first.units, first.kernel, first.bias,
                first.activation, roles.toArray(new Role[0]), dims.toArray(new Dim[0]));
        return View.identity(whole.source);
    }

    /**
     * A per-step dense output read as it is (not stacked back): on the last step (or step 0 of a
     * reverse layer) it is the ordinary dense head on that step's output, returned as a view of
     * such a head; any other step is refused.
     */
    static View asHead(View w, DenseStage ds, String what) {
        LstmStage lstm = (LstmStage) ds.prev.stage();
        OutputMode mode = ds.step == ds.steps - 1 ? OutputMode.LAST_STEP
                : ds.step == 0 && lstm.direction == Direction.REVERSE ? OutputMode.FINAL_STATE : null;
        if (mode == null) {
            throw new Refusal(what + " is " + ds + " applied to time step " + ds.step + " of " + ds.steps + " only; lstm4j maps "
                    + "such per-step dense layers when the steps are stacked back into a whole sequence");
        }
        Dim[] inDims = ds.source.dims.clone();
        inDims[inDims.length - 1] = Dim.of(ds.inputSize);
        Stream one = new Stream(lstm, ds.source.roles, inDims, mode, ds.prev.merge(), false, null);
        DenseStage conv = new DenseStage(ds.name, ds.opType, one, ds.inputSize, ds.units, ds.kernel, ds.bias,
                ds.activation, ds.source.roles, ds.source.dims);
        return new View(conv.source, w.axes, w.fixed, w.merge, w.scale, w.sortedBy, w.sortedAxis);
    }
}
