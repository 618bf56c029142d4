package org.lstm4j.onnx;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.lstm4j.onnx.Values.Comp;
import org.lstm4j.onnx.Values.Dim;
import org.lstm4j.onnx.Values.Role;
import org.lstm4j.onnx.Values.View;

/** {@code Reshape} of a view: which source axes each target size takes. Package-private. */
final class ViewReshape {
    private ViewReshape() {
    }

    /**
     * Reshape of a view: each target size maps to one input axis, several merged input axes, part
     * of a merged axis, or a new size-1 axis; a -1 takes whatever remains between its neighbours.
     */
    static View reshape(View w, Dim[] target) {
        List<Deque<Comp>> in = new ArrayList<>();
        for (List<Comp> a : w.axes) {
            in.add(new ArrayDeque<>(a));
        }
        Map<Integer, Comp> fixed = w.fixedCopy();
        int minus = -1;
        for (int i = 0; i < target.length; i++) {
            if (target[i].isKnown(-1)) {
                if (minus >= 0) {
                    throw new Refusal("has two -1 entries in its shape");
                }
                minus = i;
            }
        }
        List<List<Comp>> left = new ArrayList<>();
        int[] pos = {0};
        int end = minus >= 0 ? minus : target.length;
        for (int j = 0; j < end; j++) {
            // The last of a run of size-1 targets takes every size-1 axis left before the next real size (all sizes 1: [T,B,1,1] -> [T,B,1]).
            boolean lastOne = j + 1 == end || !target[j + 1].isKnown(1);
            left.add(takeAxis(w, in, pos, target[j], fixed, lastOne));
        }
        List<List<Comp>> right = new ArrayList<>();
        if (minus >= 0) {
            // Match from the right, then merge what is left into the -1 axis.
            List<Deque<Comp>> rev = new ArrayList<>();
            for (int k = in.size() - 1; k >= pos[0]; k--) {
                Deque<Comp> d = new ArrayDeque<>();
                in.get(k).descendingIterator().forEachRemaining(d::add);
                rev.add(d);
            }
            int[] rpos = {0};
            for (int j = target.length - 1; j > minus; j--) {
                List<Comp> a = new ArrayList<>(takeAxis(w, rev, rpos, target[j], fixed, false));
                Collections.reverse(a);
                right.add(0, a);
            }
            List<Comp> middle = new ArrayList<>();
            for (int k = rev.size() - 1; k >= rpos[0]; k--) {
                List<Comp> cs = new ArrayList<>(rev.get(k));
                Collections.reverse(cs);
                middle.addAll(cs);
            }
            fixSizeOneAxes(w, middle, fixed);
            List<List<Comp>> axes = new ArrayList<>(left);
            axes.add(middle);
            axes.addAll(right);
            return w.with(axes, fixed);
        }
        // Trailing size-1 input axes may be dropped.
        while (pos[0] < in.size()) {
            Deque<Comp> rest = in.get(pos[0]);
            for (Comp c : rest) {
                if (!c.size(w.src).isKnown(1)) {
                    throw new Refusal("reshapes " + w.src + " of shape " + Arrays.toString(w.dims()) + " to "
                            + Arrays.toString(target) + ", which does not keep its axes apart");
                }
                fixed.put(c.axis, c);
            }
            pos[0]++;
        }
        return w.with(left, fixed);
    }

    /**
     * A selected time step or a single direction that a -1 merges in front of other axes selects
     * its only index: it becomes fixed, so that {@code [1, B, H] -> [-1, H]} (PyTorch's
     * {@code h_n.view(-1, H)}) is the batch axis alone. Batch and feature axes of size 1 stay.
     */
    private static void fixSizeOneAxes(View w, List<Comp> merged, Map<Integer, Comp> fixed) {
        int k = 0;
        while (k < merged.size() - 1 && merged.get(k).size(w.src).isKnown(1)
                && (w.src.roles[merged.get(k).axis] == Role.DIR || w.src.roles[merged.get(k).axis] == Role.TIME)) {
            k++;
        }
        for (Comp c : merged.subList(0, k)) {
            fixed.put(c.axis, c);
        }
        merged.subList(0, k).clear();
    }

    /** Whether every source axis not yet taken has size 1. */
    private static boolean onlyOnesLeft(View w, List<Deque<Comp>> in, int from) {
        for (int k = from; k < in.size(); k++) {
            for (Comp c : in.get(k)) {
                if (!c.size(w.src).isKnown(1)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static List<Comp> takeAxis(View w, List<Deque<Comp>> in, int[] pos, Dim want, Map<Integer, Comp> fixed, boolean takeAllOnes) {
        while (true) {
            if (pos[0] < in.size() && in.get(pos[0]).isEmpty()) {
                // An inserted size-1 axis: it becomes the wanted size-1 axis, or disappears.
                pos[0]++;
                if (want.isKnown(1)) {
                    return List.of();
                }
                continue;
            }
            if (pos[0] >= in.size()) {
                if (want.isKnown(1)) {
                    return List.of();
                }
                throw new Refusal("reshapes " + w.src + " of shape " + Arrays.toString(w.dims()) + " to a shape with an extra axis of size " + want);
            }
            Deque<Comp> cur = in.get(pos[0]);
            Comp head = cur.peekFirst();
            Dim hs = head.size(w.src);
            if (want.isKnown(1)) {
                if (hs.isKnown(1)) {
                    List<Comp> ones = new ArrayList<>();
                    do {
                        ones.add(in.get(pos[0]).pollFirst());
                        if (in.get(pos[0]).isEmpty()) {
                            pos[0]++;
                        }
                    } while (takeAllOnes && onlyOnesLeft(w, in, pos[0]) && pos[0] < in.size() && !in.get(pos[0]).isEmpty());
                    return ones;
                }
                return List.of();
            }
            if (hs.isKnown(1)) {
                fixed.put(head.axis, head);
                cur.pollFirst();
                if (cur.isEmpty()) {
                    pos[0]++;
                }
                continue;
            }
            break;
        }
        // Take source axes, across input axes if need be, until their sizes multiply to the wanted size.
        List<Comp> taken = new ArrayList<>();
        List<Dim> sizes = new ArrayList<>();
        while (true) {
            if (pos[0] >= in.size()) {
                throw new Refusal("reshapes " + w.src + " of shape " + Arrays.toString(w.dims()) + ": no axes left for a size " + want);
            }
            Deque<Comp> d = in.get(pos[0]);
            if (d.isEmpty()) {
                pos[0]++;
                continue;
            }
            Comp c = d.pollFirst();
            taken.add(c);
            sizes.add(c.size(w.src));
            if (d.isEmpty()) {
                pos[0]++;
            }
            Dim p = Values.product(sizes);
            if (p.equals(want)) {
                // Size-1 axes that follow belong here too unless a size-1 target comes next ([T,B,2,1] -> [T,B,2]).
                while (takeAllOnes && onlyOnesLeft(w, in, pos[0]) && pos[0] < in.size() && !in.get(pos[0]).isEmpty()) {
                    taken.add(in.get(pos[0]).pollFirst());
                    if (in.get(pos[0]).isEmpty()) {
                        pos[0]++;
                    }
                }
                return taken;
            }
            if (want.known() && (!p.known() || p.value > want.value) || !want.known() && !(want.sym instanceof Values.ProdKey)) {
                throw new Refusal("reshapes " + w.src + " of shape " + Arrays.toString(w.dims()) + " to a size " + want
                        + " that splits or mixes its axes");
            }
        }
    }
}
