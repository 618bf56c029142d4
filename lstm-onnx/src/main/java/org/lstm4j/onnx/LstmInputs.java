package org.lstm4j.onnx;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.lstm4j.model.MergeMode;
import org.lstm4j.model.OutputMode;
import org.lstm4j.model.Port;
import org.lstm4j.onnx.Stages.EmbeddingStage;
import org.lstm4j.onnx.Stages.InputStage;
import org.lstm4j.onnx.Stages.LstmStage;
import org.lstm4j.onnx.Stages.StateFeed;
import org.lstm4j.onnx.Stages.Stream;
import org.lstm4j.onnx.Values.Comp;
import org.lstm4j.onnx.Values.Const;
import org.lstm4j.onnx.Values.Dim;
import org.lstm4j.onnx.Values.Fill;
import org.lstm4j.onnx.Values.Kind;
import org.lstm4j.onnx.Values.Role;
import org.lstm4j.onnx.Values.Sel;
import org.lstm4j.onnx.Values.SortedLens;
import org.lstm4j.onnx.Values.Source;
import org.lstm4j.onnx.Values.Val;
import org.lstm4j.onnx.Values.View;

/**
 * What an {@code LSTM} node reads: its sequence X (a graph input, which becomes the model's
 * sequence input, or the output of the layer before), its sequence lengths (a graph input) and
 * its initial states (zeros, or rows of a graph input). Package-private.
 */
final class LstmInputs {
    private LstmInputs() {
    }

    /**
     * The sequence X as read: its time and batch sizes, whether it is time-reversed relative to
     * the stage before (Keras go_backwards), and the lengths input its batch is sorted by (PyTorch
     * packed sequences), or null.
     */
    record Read(Dim time, Dim batch, boolean reversed, String sortedBy) {
    }

    /** Reads X into {@code st.prev}. */
    static Read sequence(Node n, LstmStage st) {
        // The sequence it reads; a batch sorted by length (PyTorch packed sequences) must come with those sorted lengths.
        View x = n.requireView(0, "X");
        String sortBy = x.sortedBy;
        if (sortBy != null) {
            x = PyTorchPackedSequences.unsortedInput(n, st, x);
        }
        if (x.rank() != 3) {
            throw new Refusal("its input X has rank " + x.rank() + ", expected 3");
        }
        return x.src.kind == Kind.INPUT || x.src.kind == Kind.EMBEDDED ? fromGraphInput(n, st, x, sortBy) : fromLayer(n, st, x, sortBy);
    }

    /**
     * X is the graph input, or the embedding of its token ids, which becomes the model's sequence
     * input: its layout (which axis is time) is decided here.
     */
    private static Read fromGraphInput(Node n, LstmStage st, View x, String sortBy) {
        int i = st.inputSize;
        boolean reversedInput = false;
        Source src = x.src;
        if (src.kind == Kind.INPUT && n.state.integerInputs.contains(src.inputName)) {
            throw new Refusal("its input X is integer graph input '" + src.inputName + "' (token ids?); an LSTM reads features, "
                    + "and token ids need an embedding (a Gather into a table) first");
        }
        if (src.dims.length != 3) {
            throw new Refusal("its input X is graph input '" + src.inputName + "' of rank " + src.dims.length + ", expected 3");
        }
        for (int k = 0; k < 3; k++) {
            List<Comp> a = x.axes.get(k);
            if (a.size() != 1 || !a.get(0).isFull(src)) {
                throw new Refusal("its input X selects part of graph input '" + src.inputName + "'");
            }
            if (a.get(0).reversed) {
                reversedInput = true;
            }
        }
        if (x.axes.get(2).get(0).axis != 2) {
            throw new Refusal("its input X moves the features axis of graph input '" + src.inputName
                    + "'; the sequence input must be [batch, time, features] or [time, batch, features]");
        }
        int tAxis = x.axes.get(st.layout == 0 ? 0 : 1).get(0).axis;
        Port.Layout layout = tAxis == 0 ? Port.Layout.TIME_MAJOR : Port.Layout.BATCH_MAJOR;
        Source input = n.state.inputSources.get(src.inputName);
        InputStage is = n.state.inputStages.get(src.inputName);
        if (is == null) {
            is = new InputStage(src.inputName, input);
            is.layout = layout;
            n.state.inputStages.put(src.inputName, is);
            input.roles[tAxis] = Role.TIME;
            input.roles[1 - tAxis] = Role.BATCH;
            if (input.roles.length > 2) {
                input.roles[2] = Role.FEAT;
            }
        } else if (is.layout != layout) {
            throw new Refusal("reads graph input '" + src.inputName + "' with its time axis at a different position than another LSTM");
        }
        if (src != input) {
            src.roles[tAxis] = Role.TIME;
            src.roles[1 - tAxis] = Role.BATCH;
        }
        if (src.dims[2].known() && src.dims[2].value != i) {
            throw new Refusal("W reads " + i + " features but graph input '" + src.inputName + "' has " + src.dims[2]);
        }
        if (src.affine != null) {
            if (src.affine.axis() >= 0 && src.affine.axis() != 2) {
                throw new Refusal("reads graph input '" + src.inputName + "' preprocessed by constants along its axis " + src.affine.axis()
                        + ", which this LSTM reads as " + (src.affine.axis() == tAxis ? "time" : "batch")
                        + "; lstm4j folds only per-feature preprocessing into the LSTM");
            }
            st.weights.replaceAll(w -> InputPreprocessing.fold(w, src.affine));
        }
        Role[] roles = {src.roles[x.axes.get(0).get(0).axis], src.roles[x.axes.get(1).get(0).axis], Role.FEAT};
        Stream read = new Stream(is, roles, x.dims(), OutputMode.SEQUENCES, MergeMode.CONCAT, reversedInput, null);
        if (src.stage instanceof EmbeddingStage e) {
            // The chain runs ids -> embedding -> LSTM; the embedding reads the ids as the LSTM reads its rows.
            if (e.prev != null && e.prev.stage() != is) {
                throw new Refusal("reads an embedding that another layer already reads");
            }
            e.prev = read;
            read = new Stream(e, roles, x.dims(), OutputMode.SEQUENCES, MergeMode.CONCAT, reversedInput, null);
        }
        st.prev = read;
        return new Read(x.dim(st.layout == 0 ? 0 : 1), x.dim(st.layout == 0 ? 1 : 0), reversedInput, sortBy);
    }

    /** X is the output of the layer before, read as a sequence in the node's layout. */
    private static Read fromLayer(Node n, LstmStage st, View x, String sortBy) {
        int i = st.inputSize;
        Role[] want = st.layout == 0 ? new Role[] {Role.TIME, Role.BATCH, Role.FEAT} : new Role[] {Role.BATCH, Role.TIME, Role.FEAT};
        Stream s = Streams.of(n.state, x, "its input X");
        if (s.mode() != OutputMode.SEQUENCES && s.stage() instanceof LstmStage) {
            throw new Refusal("its input X is the " + s.mode() + " output of " + s.stage() + ", not a sequence");
        }
        if (s.rawLayout() != null) {
            throw new Refusal("its input X is the raw output of " + s.stage() + " with a separate direction axis");
        }
        if (!Arrays.equals(s.roles(), want)) {
            throw new Refusal("its input X has axes " + Arrays.toString(s.roles()) + " but layout " + st.layout + " reads "
                    + Arrays.toString(want));
        }
        if (s.width() != i) {
            throw new Refusal("W reads " + i + " features but " + s.stage() + " gives " + s.width());
        }
        // s.reversed() is the time order of X relative to the positions of the previous stage's output. A go_backwards
        // stage writes Y already reversed (in processing order): that reversal is the previous layer's reversed output
        // order, and only a further explicit reversal (ReverseSequence, step -1 Slice) makes this layer go_backwards.
        // Counting the previous stage's own reversal here as well would mark both layers as reversed.
        boolean ownReversal = s.stage() instanceof LstmStage writer && writer.overReversedInput;
        st.prev = new Stream(s.stage(), s.roles(), s.dims(), s.mode(), s.merge(), ownReversal, null);
        return new Read(s.dims()[st.layout == 0 ? 0 : 1], s.dims()[st.layout == 0 ? 1 : 0], s.reversed() != ownReversal, sortBy);
    }

    /** The sequence_lens input: a graph input, or (PyTorch packed sequences) its lengths sorted along with X. */
    static void lengths(Node n, LstmStage st, String sortBy) {
        Val lens = n.in(4);
        if (lens instanceof SortedLens sl) {
            st.seqLensPort = PyTorchPackedSequences.sortedLengths(sl, sortBy);
        } else if (lens != null) {
            if (sortBy != null) {
                throw new Refusal("its input X is sorted by length but its sequence_lens are not sorted with it");
            }
            if (lens instanceof View lv && lv.src.kind == Kind.INPUT && lv.src.affine == null && lv.rank() == 1 && lv.src.dims.length == 1) {
                st.seqLensPort = lv.src.inputName;
            } else {
                throw new Refusal("its sequence_lens is computed from " + Values.describe(lens) + "; lstm4j maps sequence lengths only when "
                        + "they are a graph input");
            }
        }
    }

    static void initialState(Node n, LstmStage st, int index, Port.Role role, String sortBy) {
        int d = st.directions();
        int h = st.hiddenSize;
        Val v = n.in(index);
        String what = role == Port.Role.INITIAL_HIDDEN ? "initial_h" : "initial_c";
        if (v == null) {
            return;
        }
        if (v instanceof Fill f && f.value() == 0 || v instanceof Const c && c.t().allEqual(0)) {
            // Zeros built at run time (or stored) are the default initial state.
            return;
        }
        if (v instanceof Fill || v instanceof Const) {
            throw new Refusal("its " + what + " is a constant non-zero state; lstm4j models start from zeros or from a state graph input");
        }
        if (!(v instanceof View w0) || w0.src.kind != Kind.INPUT || w0.src.affine != null) {
            throw new Refusal("its " + what + " is computed from " + Values.describe(v) + "; initial states must be graph inputs");
        }
        if (!Objects.equals(w0.sortedBy, sortBy)) {
            throw new Refusal("its " + what + " and its input X are not in the same batch order (sorted by length or not)");
        }
        View w = w0.sorted(null, -1);
        if (w.rank() != 3) {
            throw new Refusal("its " + what + " has rank " + w.rank());
        }
        int rowsAt = st.layout == 0 ? 0 : 1;
        int batchAt = 1 - rowsAt;
        List<Comp> rows = w.axes.get(rowsAt);
        List<Comp> batch = w.axes.get(batchAt);
        List<Comp> hid = w.axes.get(2);
        Source src = w.src;
        if (batch.size() != 1 || !batch.get(0).isFull(src) || hid.size() != 1 || !hid.get(0).isFull(src)
                || !hid.get(0).size(src).isKnown(h) && hid.get(0).size(src).known()) {
            throw new Refusal("its " + what + " is an arrangement of graph input '" + src.inputName + "' that is not [directions, batch, hidden]");
        }
        Port.Layout layout;
        long lo = 0;
        if (rows.isEmpty()) {
            if (d != 1 || src.dims.length != 2 || batch.get(0).axis != 0 || hid.get(0).axis != 1) {
                throw new Refusal("its " + what + " is graph input '" + src.inputName + "' with a new axis, which fits only a one-direction "
                        + "[batch, hidden] state");
            }
            layout = Port.Layout.SQUEEZED;
        } else {
            Comp rc = rows.get(0);
            if (rows.size() != 1 || rc.sel != Sel.RANGE || rc.hi - rc.lo != d || rc.reversed || src.dims.length != 3 || hid.get(0).axis != 2) {
                throw new Refusal("its " + what + " takes " + (rows.size() == 1 ? rc.size(src) : "?") + " rows of graph input '" + src.inputName
                        + "' where " + d + " direction(s) need " + d);
            }
            lo = rc.lo;
            if (rc.axis == 0 && batch.get(0).axis == 1) {
                layout = Port.Layout.STACKED;
            } else if (rc.axis == 1 && batch.get(0).axis == 0) {
                layout = Port.Layout.STACKED_BATCHWISE;
            } else {
                throw new Refusal("its " + what + " arranges graph input '" + src.inputName + "' in a way lstm4j does not map");
            }
        }
        st.feeds.add(new StateFeed(src.inputName, role, layout, lo, d));
    }
}
