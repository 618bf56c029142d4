package org.lstm4j.onnx;

import org.lstm4j.onnx.Values.Const;
import org.lstm4j.onnx.Values.IdMask;
import org.lstm4j.onnx.Values.IdTerm;
import org.lstm4j.onnx.Values.Val;
import org.lstm4j.onnx.Values.View;
import org.lstm4j.onnx.Values.WrappedIds;

/**
 * Keras 3's {@code Embedding} looks ids up with {@code ops.take}, which reads a negative id as
 * {@code id + vocabulary}; tf2onnx writes that {@code where(ids < 0, ids + V, ids)} as arithmetic
 * on the ids: {@code Less(Cast(ids), 0)}, {@code Not}, {@code Cast}, and
 * {@code Add(Mul(mask, ids + V), Mul(ids, not mask))}. Followed here term by term to
 * {@link WrappedIds}, which {@link TokenEmbeddings} reads as the ids themselves: lstm4j's embedding
 * accepts ids in {@code [0, V)} and refuses a negative id (naming it) rather than wrapping it.
 * Package-private.
 */
final class KerasTokenIds {
    private KerasTokenIds() {
    }

    static void register(OpRegistry r) {
        r.add("Keras token ids", KerasTokenIds::not, "Not");
    }

    /** {@code Less(ids, 0)} on an integer graph input (cast or not). */
    static boolean isNegativeTest(Node n) {
        Val a = n.in(0);
        Val b = n.in(1);
        return n.state.isIntegerInput(a) && b instanceof Const c && c.t().size() == 1 && c.t().allEqual(0);
    }

    static IdMask negative(Node n) {
        return new IdMask((View) n.in(0), true);
    }

    static void not(Node n) {
        Val v = n.required(0, "X");
        if (v instanceof IdMask m) {
            n.out(0, new IdMask(m.ids(), !m.negative()));
            return;
        }
        if (v instanceof Const c) {
            n.out(0, new Const(n.charged(Folding.binary("Equal", c.t(), Tensor.scalar(c.t().type, 0)))));
            return;
        }
        throw new Refusal("negates " + Values.describe(v) + "; lstm4j maps Not only in Keras's wrap of negative token ids");
    }

    /** Whether an Add or Mul works on token ids or their masks. */
    static boolean involves(ImportState state, Val a, Val b) {
        return isIdValue(a) || isIdValue(b) || state.isIntegerInput(a) && b instanceof Const || state.isIntegerInput(b) && a instanceof Const
                || state.isIntegerInput(a) && b instanceof IdMask || state.isIntegerInput(b) && a instanceof IdMask;
    }

    private static boolean isIdValue(Val v) {
        return v instanceof IdMask || v instanceof IdTerm || v instanceof WrappedIds;
    }

    /** One step of the wrap: ids + V, a term times its mask, the two masked terms added. */
    static Val arithmetic(String op, Val a, Val b) {
        if (op.equals("Add") && (a instanceof View || b instanceof View)) {
            View ids = (View) (a instanceof View ? a : b);
            Val other = a instanceof View ? b : a;
            if (other instanceof Const c && c.t().size() == 1) {
                return new IdTerm(ids, (long) c.t().values[0], null);
            }
        }
        if (op.equals("Mul")) {
            IdMask mask = a instanceof IdMask m ? m : b instanceof IdMask m2 ? m2 : null;
            Val other = a == mask ? b : a;
            if (mask != null && other instanceof View ids && ids.src == mask.ids().src) {
                return new IdTerm(ids, 0, mask);
            }
            if (mask != null && other instanceof IdTerm t && t.where() == null && t.ids().src == mask.ids().src) {
                return new IdTerm(t.ids(), t.offset(), mask);
            }
        }
        if (op.equals("Add") && a instanceof IdTerm x && b instanceof IdTerm y && x.ids().src == y.ids().src && x.where() != null
                && y.where() != null && x.where().negative() != y.where().negative()) {
            IdTerm neg = x.where().negative() ? x : y;
            IdTerm pos = neg == x ? y : x;
            if (pos.offset() == 0 && neg.offset() > 0) {
                return new WrappedIds(neg.ids(), neg.offset());
            }
        }
        throw new Refusal(op + " of " + Values.describe(a) + " and " + Values.describe(b) + " computes with token ids in a way "
                + "lstm4j does not map (it maps Keras's wrap of negative ids, where(ids < 0, ids + vocabulary, ids))");
    }
}
