package org.lstm4j.onnx;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The handlers of the importer, by op type and the opset range each covers (as onnx2torch
 * registers its converters by {@code (op_type, version)}): a new op, or an op whose semantics
 * changed at some opset, is a new registration, never an edit in the middle of a big class.
 * {@link #standard()} holds every op family lstm4j maps. Package-private; immutable once built.
 */
final class OpRegistry {

    /** How many outputs an op's schema allows (optional ones left unnamed count: ONNX counts outputs by position). */
    record Outputs(int min, int max) {
        static final Outputs ONE = new Outputs(1, 1);

        static Outputs between(int min, int max) {
            return new Outputs(min, max);
        }

        /** At least {@code min}, as many as the node likes (variadic). */
        static Outputs atLeast(int min) {
            return new Outputs(min, Integer.MAX_VALUE);
        }

        boolean allows(int count) {
            return min <= count && count <= max;
        }

        @Override
        public String toString() {
            return min == max ? Integer.toString(min) : max == Integer.MAX_VALUE ? min + " or more" : min + " to " + max;
        }
    }

    /**
     * A handler for {@code opType} at opsets {@code since..until} (inclusive), from the op family named
     * {@code family}, with the number of outputs the op's schema allows at those opsets.
     */
    record Entry(String opType, int since, int until, String family, Outputs outputs, OpHandler handler) {
        boolean covers(int opset) {
            return since <= opset && opset <= until;
        }

        @Override
        public String toString() {
            return opType + " " + (until == Integer.MAX_VALUE ? since + "+" : since + "-" + until) + " (" + family + ")";
        }
    }

    /** The newest opset is open-ended. */
    static final int LATEST = Integer.MAX_VALUE;

    private final Map<String, List<Entry>> byOp = new LinkedHashMap<>();

    private static final OpRegistry STANDARD = build();

    private static OpRegistry build() {
        OpRegistry r = new OpRegistry();
        ConstantOps.register(r);
        ShapeOps.register(r);
        LayoutOps.register(r);
        SliceOps.register(r);
        ConcatOps.register(r);
        ArithmeticOps.register(r);
        DenseOps.register(r);
        ActivationOps.register(r);
        LstmOp.register(r);
        KerasGoBackwards.register(r);
        KerasTokenIds.register(r);
        PyTorchPackedSequences.register(r);
        RecurrenceLoops.register(r);
        return r;
    }

    /** Every handler lstm4j has. */
    static OpRegistry standard() {
        return STANDARD;
    }

    /** Registers {@code handler} for each of {@code opTypes}, ops with one output, at every opset. */
    OpRegistry add(String family, OpHandler handler, String... opTypes) {
        return add(family, 1, LATEST, Outputs.ONE, handler, opTypes);
    }

    /** Registers {@code handler} for each of {@code opTypes}, ops with one output, at opsets {@code since..until}. */
    OpRegistry add(String family, int since, int until, OpHandler handler, String... opTypes) {
        return add(family, since, until, Outputs.ONE, handler, opTypes);
    }

    /** Registers {@code handler} for each of {@code opTypes} at opsets {@code since..until}; ranges of one op must not overlap. */
    OpRegistry add(String family, int since, int until, Outputs outputs, OpHandler handler, String... opTypes) {
        for (String op : opTypes) {
            List<Entry> entries = byOp.computeIfAbsent(op, k -> new ArrayList<>());
            for (Entry e : entries) {
                if (e.since() <= until && since <= e.until()) {
                    throw new IllegalStateException("two handlers for " + op + " at overlapping opsets: " + e + " and " + family);
                }
            }
            entries.add(new Entry(op, since, until, family, outputs, handler));
        }
        return this;
    }

    /** The handler for {@code opType} at {@code opset}, or null when there is none. */
    OpHandler find(String opType, int opset) {
        Entry e = entry(opType, opset);
        return e == null ? null : e.handler();
    }

    /** The registration for {@code opType} at {@code opset}, or null when there is none. */
    Entry entry(String opType, int opset) {
        for (Entry e : byOp.getOrDefault(opType, List.of())) {
            if (e.covers(opset)) {
                return e;
            }
        }
        return null;
    }

    /** Every registration, by op type in the order registered (for documentation and tests). */
    List<Entry> entries() {
        List<Entry> all = new ArrayList<>();
        byOp.values().forEach(all::addAll);
        return Collections.unmodifiableList(all);
    }
}
