package org.lstm4j.onnx;

import java.util.ArrayList;
import java.util.List;
import org.lstm4j.model.Direction;
import org.lstm4j.model.MergeMode;
import org.lstm4j.model.OutputMode;
import org.lstm4j.model.Port;
import org.lstm4j.onnx.Stages.DenseStage;
import org.lstm4j.onnx.Stages.InputStage;
import org.lstm4j.onnx.Stages.LstmStage;
import org.lstm4j.onnx.Stages.Stream;
import org.lstm4j.onnx.Values.Comp;
import org.lstm4j.onnx.Values.Kind;
import org.lstm4j.onnx.Values.Dim;
import org.lstm4j.onnx.Values.Role;
import org.lstm4j.onnx.Values.Source;
import org.lstm4j.onnx.Values.View;

/**
 * Streams: what a layer (or a graph output) reads from the layer before it, worked out from a
 * view of that layer's output: which output of an LSTM (every step, the last step, the final
 * state), merged how, in which axis order, reversed or not. Package-private.
 */
final class Streams {
    private Streams() {
    }

    /**
     * What a layer (or a graph output) reads from the previous stage, or an error saying why the
     * tensor is not a layer's output in a form lstm4j maps.
     */
    static Stream of(ImportState state, View w, String what) {
        Source src = w.src;
        if (w.sortedBy != null) {
            throw new Refusal(what + " is " + src + " with its batch still sorted by the lengths in '" + w.sortedBy
                    + "' (PyTorch pack_padded_sequence) and never restored to the input order");
        }
        switch (src.kind) {
            case INPUT: {
                InputStage st = state.inputStages.get(src.inputName);
                if (st == null) {
                    throw new Refusal(what + " is graph input '" + src.inputName + "', which no LSTM reads as its sequence");
                }
                if (src.affine != null) {
                    throw new Refusal(what + " is graph input '" + src.inputName + "' preprocessed by constants; lstm4j folds such "
                            + "preprocessing into the LSTM that reads it, and nothing else may read it");
                }
                Role[] roles = new Role[w.rank()];
                Dim[] dims = w.dims();
                for (int i = 0; i < w.rank(); i++) {
                    List<Comp> a = w.axes.get(i);
                    if (a.size() != 1 || !a.get(0).isFull(src) || a.get(0).reversed) {
                        throw new Refusal(what + " is a selection of graph input '" + src.inputName + "'");
                    }
                    roles[i] = src.roles[a.get(0).axis];
                }
                return new Stream(st, roles, dims, OutputMode.SEQUENCES, MergeMode.CONCAT, false, null);
            }
            case DENSE: {
                DenseStage ds = (DenseStage) src.stage;
                if (ds.step >= 0) {
                    // A per-step dense layer that is not stacked back.
                    return of(state, Tf2OnnxTimeDistributed.asHead(w, ds, what), what);
                }
                if (!w.fixed.isEmpty() || w.merge != null) {
                    throw new Refusal(what + " selects part of the output of " + src.stage + " (for instance one time step after a "
                            + "dense layer); lstm4j maps a dense head on every step or on the selected step, not a selection after it");
                }
                Role[] roles = new Role[w.rank()];
                boolean timeReversed = false;
                for (int i = 0; i < w.rank(); i++) {
                    List<Comp> a = w.axes.get(i);
                    if (a.size() != 1 || !a.get(0).isFull(src)
                            || a.get(0).reversed && src.roles[a.get(0).axis] != Role.TIME) {
                        throw new Refusal(what + " reshapes or selects the output of " + src.stage + " in a way lstm4j does not map");
                    }
                    roles[i] = src.roles[a.get(0).axis];
                    timeReversed |= a.get(0).reversed;
                }
                if (roles[roles.length - 1] != Role.FEAT) {
                    throw new Refusal(what + " moves the features axis of " + src.stage + " away from the end");
                }
                // A dense layer works on each step alone, so a time reversal after it can only belong to the layer that
                // reads it: an LSTM reading it is go_backwards; any other reader is refused when the chain is built.
                return new Stream(src.stage, roles, w.dims(), null, null, timeReversed, null);
            }
            case EMBEDDED:
                throw new Refusal(what + " is the " + src + ", which no LSTM reads; lstm4j models run an embedding into an LSTM");
            case LSTM_Y: case LSTM_YH: case LSTM_YC:
                return lstm(w, what);
            default:
                throw new IllegalStateException(src.kind.toString());
        }
    }

    private static Stream lstm(View w, String what) {
        Source src = w.src;
        LstmStage st = (LstmStage) src.stage;
        int dirAxis = src.axisOf(Role.DIR);
        int hidAxis = src.axisOf(Role.FEAT);
        int timeAxis = src.axisOf(Role.TIME);
        int batchAxis = src.axisOf(Role.BATCH);
        int d = st.directions();
        if (src.kind == Kind.LSTM_YC) {
            throw new Refusal(what + " is the cell state Y_c of " + st + "; a model's output is the hidden state");
        }
        List<Role> roles = new ArrayList<>();
        List<Dim> dims = new ArrayList<>();
        boolean reversed = false;
        boolean dirVisible = false;
        boolean featSeen = false;
        MergeMode merge = null;
        for (List<Comp> a : w.axes) {
            if (a.size() == 1 && a.get(0).axis == batchAxis && a.get(0).isFull(src)) {
                roles.add(Role.BATCH);
                dims.add(a.get(0).size(src));
            } else if (a.size() == 1 && a.get(0).axis == timeAxis && a.get(0).isFull(src)) {
                roles.add(Role.TIME);
                dims.add(a.get(0).size(src));
                reversed = a.get(0).reversed;
            } else if (a.size() == 2 && a.get(0).axis == dirAxis && a.get(0).isFull(src) && !a.get(0).reversed
                    && a.get(1).axis == hidAxis && a.get(1).isFull(src) && w.merge == null) {
                roles.add(Role.FEAT);
                dims.add(Dim.of(2L * st.hiddenSize));
                merge = MergeMode.CONCAT;
                featSeen = true;
            } else if (a.size() == 1 && a.get(0).axis == hidAxis && a.get(0).isFull(src)) {
                roles.add(Role.FEAT);
                dims.add(Dim.of(st.hiddenSize));
                featSeen = true;
            } else if (a.size() == 1 && a.get(0).axis == dirAxis && a.get(0).isFull(src)) {
                roles.add(Role.DIR);
                dims.add(Dim.of(d));
                dirVisible = true;
            } else {
                throw new Refusal(what + " is " + w + ", an arrangement of the output of " + st + " that lstm4j does not map");
            }
        }
        if (!featSeen) {
            throw new Refusal(what + " has no features axis from " + st);
        }
        OutputMode mode;
        if (src.kind == Kind.LSTM_YH) {
            mode = OutputMode.FINAL_STATE;
        } else if (roles.contains(Role.TIME)) {
            mode = OutputMode.SEQUENCES;
        } else {
            Comp t = w.fixed.get(timeAxis);
            if (t == null) {
                throw new Refusal(what + " has lost the time axis of " + st);
            }
            if (t.isLast(src)) {
                mode = OutputMode.LAST_STEP;
            } else if (t.isFirst() && st.direction == Direction.REVERSE) {
                // Position 0 is the last step a reverse layer computes: its final state (Keras go_backwards without return_sequences).
                mode = OutputMode.FINAL_STATE;
            } else {
                throw new Refusal(what + " takes time step " + describeSel(t, src) + " of the output of " + st
                        + "; lstm4j maps every step, the last step (y[:, -1]) or the final state (Y_h)");
            }
        }
        Port.Layout raw = null;
        if (dirVisible) {
            if (mode != OutputMode.SEQUENCES || !roles.contains(Role.TIME)) {
                throw new Refusal(what + " keeps the direction axis of " + st + " apart in a form lstm4j does not map");
            }
            if (roles.equals(List.of(Role.TIME, Role.DIR, Role.BATCH, Role.FEAT))) {
                raw = Port.Layout.ONNX_Y;
            } else if (roles.equals(List.of(Role.BATCH, Role.TIME, Role.DIR, Role.FEAT))) {
                raw = Port.Layout.ONNX_Y_BATCHWISE;
            } else {
                throw new Refusal(what + " arranges the raw output of " + st + " as " + roles + ", which lstm4j does not map");
            }
            merge = MergeMode.CONCAT;
            roles.remove(Role.DIR);
            dims.remove(dims.size() - 1);
            dims.remove(dims.size() - 1);
            dims.add(Dim.of((long) d * st.hiddenSize));
        } else if (merge == null) {
            if (w.merge != null) {
                merge = w.merge;
                if (w.scale != 1.0) {
                    throw new Refusal(what + " scales a merged output");
                }
            } else {
                Comp dc = w.fixed.get(dirAxis);
                if (d == 2) {
                    throw new Refusal(what + " takes only the " + (dc != null && dc.index() == 1 ? "backward" : "forward")
                            + " direction of bidirectional " + st + " (PyTorch's h_n[-1] of a bidirectional LSTM is the backward "
                            + "direction only); lstm4j maps both directions concatenated, e.g. torch.cat((h_n[-2], h_n[-1]), dim=1)");
                }
                merge = MergeMode.CONCAT;
            }
        }
        if (!roles.contains(Role.BATCH)) {
            throw new Refusal(what + " has no batch axis");
        }
        if (roles.get(roles.size() - 1) != Role.FEAT && raw == null) {
            throw new Refusal(what + " moves the features axis of " + st + " away from the end");
        }
        return new Stream(st, roles.toArray(new Role[0]), dims.toArray(new Dim[0]), mode, merge, reversed, raw);
    }

    private static String describeSel(Comp c, Source s) {
        switch (c.sel) {
            case FIRST: return "0";
            case LAST: return "-1";
            case RANGE: return c.lo + (c.hi - c.lo == 1 ? "" : ":" + c.hi) + " (of " + s.dims[c.axis] + ")";
            default: return "all";
        }
    }
}
