package org.lstm4j.onnx;

import java.util.ArrayList;
import java.util.List;
import org.lstm4j.onnx.Stages.LstmStage;
import org.lstm4j.onnx.Values.Comp;
import org.lstm4j.onnx.Values.Dim;
import org.lstm4j.onnx.Values.Fill;
import org.lstm4j.onnx.Values.InversePerm;
import org.lstm4j.onnx.Values.Iota;
import org.lstm4j.onnx.Values.Kind;
import org.lstm4j.onnx.Values.ShapeVec;
import org.lstm4j.onnx.Values.SortPerm;
import org.lstm4j.onnx.Values.SortedLens;
import org.lstm4j.onnx.Values.StateStack;
import org.lstm4j.onnx.Values.Val;
import org.lstm4j.onnx.Values.View;
import org.lstm4j.onnx.Values.Const;

/**
 * PyTorch's {@code pack_padded_sequence(..., enforce_sorted=False)} and
 * {@code pad_packed_sequence} as {@code torch.onnx.export} writes them: {@code TopK} sorts the
 * sequence-lengths graph input, a {@code Gather} by that permutation sorts the batch before the
 * LSTM (which reads the sorted lengths), and a {@code Gather} by the inverse permutation
 * ({@code ScatterElements} of 0..n-1) restores the order after. Views carry the lengths input their
 * batch is sorted by, so that an unrestored order is refused. Package-private.
 */
final class PyTorchPackedSequences {
    private PyTorchPackedSequences() {
    }

    static void register(OpRegistry r) {
        String family = "PyTorch packed sequences";
        r.add(family, 1, OpRegistry.LATEST, OpRegistry.Outputs.between(2, 2), PyTorchPackedSequences::topK, "TopK");
        r.add(family, PyTorchPackedSequences::scatter, "ScatterElements", "Scatter");
    }

    /** TopK sorting the lengths graph input, descending: the sorted lengths and the sorting permutation. */
    static void topK(Node n) {
        Val v = n.required(0, "X");
        Val k = n.required(1, "K");
        if (!(v instanceof View w) || w.src.kind != Kind.INPUT || w.src.affine != null || w.rank() != 1 || !w.fixed.isEmpty()
                || w.axes.get(0).size() != 1 || !w.axes.get(0).get(0).isFull(w.src)) {
            throw new Refusal("TopK of " + Values.describe(v) + "; lstm4j maps TopK only as PyTorch's sort of a sequence-lengths graph input");
        }
        Dim count = w.dim(0);
        Dim kd = k instanceof ShapeVec ks && ks.elems().length == 1 ? ks.elems()[0]
                : k instanceof Const kc && kc.t().size() == 1 ? Dim.of((long) kc.t().values[0]) : null;
        if (kd == null || !kd.equals(count) || n.attrInt("largest", 1) != 1 || n.attrInt("sorted", 1) != 1) {
            throw new Refusal("TopK that is not a full descending sort of graph input '" + w.src.inputName + "'");
        }
        n.out(0, new SortedLens(w.src.inputName));
        n.out(1, new SortPerm(w.src.inputName, count));
    }

    /** ScatterElements(zeros, perm, 0..n-1): the inverse permutation PyTorch's pad_packed_sequence applies. */
    static void scatter(Node n) {
        Val data = n.required(0, "data");
        Val idx = n.required(1, "indices");
        Val upd = n.required(2, "updates");
        if (data instanceof Fill && idx instanceof SortPerm p && upd instanceof Iota io && io.n().equals(p.n())
                && n.attrInt("axis", 0) == 0) {
            n.out(0, new InversePerm(p.port()));
            return;
        }
        throw new Refusal("ScatterElements of " + Values.describe(data) + " is not the inverse of a length sort; lstm4j does not map it");
    }

    /** Gather by a sort permutation or its inverse (from {@link SliceOps#gather}); null when {@code v} is not network data. */
    static Val gatherBatch(Val v, int ax, Val perm) {
        if (v instanceof Fill f) {
            // One value repeated is the same in any batch order: nn.LSTM sorts an explicit zero h0 with the batch (permute_hidden).
            return f;
        }
        if (v instanceof View w) {
            return permuteBatch(w, ax, perm);
        }
        if (v instanceof StateStack st) {
            List<View> parts = new ArrayList<>();
            for (View p : st.parts()) {
                parts.add(permuteBatch(p, ax, perm));
            }
            return new StateStack(parts);
        }
        return null;
    }

    private static View permuteBatch(View w, int ax, Val perm) {
        List<Comp> a = w.axes.get(ax);
        if (a.size() != 1 || !a.get(0).isFull(w.src)) {
            throw new Refusal("reorders a selection of " + w.src + " by sequence length");
        }
        int srcAxis = a.get(0).axis;
        if (perm instanceof SortPerm p) {
            if (w.sortedBy != null) {
                throw new Refusal("sorts " + w.src + " by length twice");
            }
            return w.sorted(p.port(), srcAxis);
        }
        InversePerm inv = (InversePerm) perm;
        if (!inv.port().equals(w.sortedBy) || w.sortedAxis != srcAxis) {
            throw new Refusal("restores the batch order of " + w.src + ", which is not sorted by '" + inv.port() + "' on that axis");
        }
        return w.sorted(null, -1);
    }

    /** An LSTM's X sorted by length: checked against its sequence_lens, and read as unsorted (the LSTM sees one batch either way). */
    static View unsortedInput(Node n, LstmStage st, View x) {
        String sortBy = x.sortedBy;
        int batchPos = st.layout == 0 ? 1 : 0;
        if (x.rank() != 3 || x.axes.get(batchPos).size() != 1 || x.axes.get(batchPos).get(0).axis != x.sortedAxis) {
            throw new Refusal("its input X is sorted by length along an axis that is not its batch axis");
        }
        if (!(n.in(4) instanceof SortedLens sl) || !sl.port().equals(sortBy)) {
            throw new Refusal("its input X is sorted by the lengths in '" + sortBy + "' but its sequence_lens are not those sorted lengths");
        }
        return x.sorted(null, -1);
    }

    /** The lengths port behind sorted sequence_lens, which only an X sorted the same way may come with. */
    static String sortedLengths(SortedLens lens, String sortBy) {
        if (sortBy == null) {
            throw new Refusal("its sequence_lens are sorted by length but its input X is in the original batch order");
        }
        return lens.port();
    }
}
