package org.lstm4j.onnx;

import java.util.ArrayList;
import java.util.List;
import org.lstm4j.onnx.Stages.EmbeddingStage;
import org.lstm4j.onnx.Values.Comp;
import org.lstm4j.onnx.Values.Dim;
import org.lstm4j.onnx.Values.Kind;
import org.lstm4j.onnx.Values.Role;
import org.lstm4j.onnx.Values.Source;
import org.lstm4j.onnx.Values.View;
import org.lstm4j.onnx.Values.WrappedIds;

/**
 * Token embeddings: {@code Gather(table, ids)} on axis 0, where the table is a constant
 * {@code [vocabulary, dimension]} and the ids an integer graph input {@code [batch, time]}: PyTorch's
 * {@code nn.Embedding} with both exporters, and Keras's {@code Embedding} through tf2onnx (whose ids
 * come wrapped, {@link KerasTokenIds}). The result is a view of an embedding source with the ids'
 * axes and a features axis; the LSTM that reads it decides which axis is time and makes the ids
 * input the model's sequence input ({@link LstmInputs}). Package-private.
 */
final class TokenEmbeddings {
    private TokenEmbeddings() {
    }

    /** Whether {@code Gather(data, indices)} on {@code axis} is an embedding lookup this class maps. */
    static boolean isLookup(ImportState state, Values.Val data, Values.Val indices, int axis) {
        return axis == 0 && data instanceof Values.Const c && c.t().rank() == 2 && c.t().isFloat()
                && (state.isIntegerInput(indices) || indices instanceof WrappedIds);
    }

    static View lookup(Node n, Tensor table, Values.Val indices) {
        View ids;
        if (indices instanceof WrappedIds w) {
            if (w.modulus() != table.shape[0]) {
                throw new Refusal("looks up ids that wrap negative values by " + w.modulus() + " in a table of " + table.shape[0]
                        + " rows");
            }
            ids = w.ids();
        } else {
            ids = (View) indices;
        }
        Source in = ids.src;
        if (in.dims.length != 2 || ids.rank() != 2 || !ids.fixed.isEmpty()) {
            throw new Refusal("looks up token ids of shape " + java.util.Arrays.toString(ids.dims()) + " from graph input '"
                    + in.inputName + "'; an embedding reads token ids [batch, time]");
        }
        for (List<Comp> a : ids.axes) {
            if (a.size() != 1 || !a.get(0).isFull(in) || a.get(0).reversed) {
                throw new Refusal("looks up a selection of the token ids of graph input '" + in.inputName + "'");
            }
        }
        int vocabulary = (int) table.shape[0];
        int dimension = (int) table.shape[1];
        EmbeddingStage st = new EmbeddingStage(n.name(), vocabulary, dimension, table.toFloats());
        Source emb = new Source(Kind.EMBEDDED, st, in.inputName, new Dim[] {in.dims[0], in.dims[1], Dim.of(dimension)},
                new Role[] {Role.UNKNOWN, Role.UNKNOWN, Role.FEAT});
        // The embedding's first two axes are the ids' own: the ids' view carries over, the features axis comes last.
        List<List<Comp>> axes = new ArrayList<>(ids.axes);
        axes.add(List.of(Comp.full(emb, 2)));
        return new View(emb, axes, ids.fixed, null, 1.0, ids.sortedBy, ids.sortedAxis);
    }
}
