package org.lstm4j.onnx;

import static org.lstm4j.onnx.ExportGraph.attr;
import static org.lstm4j.onnx.ExportGraph.ints;

import java.util.List;
import org.lstm4j.model.Direction;
import org.lstm4j.model.LstmLayer;
import org.lstm4j.model.MaskedOutput;
import org.lstm4j.onnx.proto.OnnxProto.TensorProto;

/**
 * How an exported graph runs a per-step mask on ONNX's LSTM, which knows only trailing
 * {@code sequence_lens} (the construction {@code org.lstm4j.predict.StepMask}'s equations allow for
 * masks whose valid steps are contiguous in each row, as lstm4j's own backends run them):
 * <ol>
 *   <li>each row's first valid step {@code s} ({@code ArgMax} of the mask) and valid-step count {@code L}
 *       ({@code ReduceSum}) are computed from the mask;</li>
 *   <li>the features are rotated left by {@code s} along time ({@code GatherElements} with index
 *       {@code (t + s) mod T}), and every LSTM runs with {@code sequence_lens = L}: a masked step keeps
 *       the state, so the valid run computes the same at the front;</li>
 *   <li>the model's sequence output is put back ({@code GatherElements} again), masked steps taking zeros or
 *       the previous output as the last LSTM's {@link MaskedOutput} says, and a {@code go_backwards} layer's
 *       outputs taking their place in processing order;</li>
 *   <li>a row whose valid steps have a hole (a masked step between two valid ones), which ONNX's LSTM cannot
 *       compute, gets NaN outputs rather than a wrong answer.</li>
 * </ol>
 * Exact for pre-, post- and two-sided padding (checked against lstm4j's reference engine in ONNX Runtime by
 * {@code MaskedExportTest}). Final states are put right where ONNX's LSTM differs: a row
 * without a valid step keeps its initial state (ONNX Runtime returns zeros for {@code sequence_lens} 0), a row
 * with a hole gets NaN. LAST_STEP outputs and an inner go_backwards layer are refused at export.
 */
final class MaskedExport {
    private static final int BOOL = TensorProto.DataType.BOOL_VALUE;
    private static final int INT32 = TensorProto.DataType.INT32_VALUE;
    private static final int INT64 = TensorProto.DataType.INT64_VALUE;
    private static final int FLOAT = TensorProto.DataType.FLOAT_VALUE;

    private final ExportGraph g;
    /** int64 {@code [B]}: each row's first valid step (0 for a row without one). */
    private final String start;
    /** int64 {@code [B]}: each row's number of valid steps. */
    private final String count;
    /** int64 scalar: the time axis's length. */
    private final String time;
    /** int64 {@code [T]}: 0 .. T-1. */
    private final String steps;
    /** bool {@code [B]}: whether a row's valid steps have a hole. */
    private final String holes;
    /** bool {@code [B]}: whether a row has no valid step. */
    private final String noStep;
    /** int32 {@code [B]}: what every LSTM node takes as sequence_lens. */
    final String lengths32;

    /** @param valid bool {@code [B, T]}, true for a valid step; {@code x} the batch-major input it masks (for the time axis's length) */
    MaskedExport(ExportGraph g, String valid, String x) {
        this.g = g;
        String validLong = g.op("Cast", "mask_int64", List.of(valid), attr("to", (long) INT64));
        time = g.op("Gather", "time_steps", List.of(g.op("Shape", "input_shape", List.of(x)), g.longScalar("time_axis", 1)), attr("axis", 0L));
        steps = g.op("Range", "steps", List.of(g.longScalar("zero", 0), time, g.longScalar("one", 1)));
        start = g.op("ArgMax", "first_valid_step", List.of(validLong), attr("axis", 1L), attr("keepdims", 0L));
        count = g.op("ReduceSum", "valid_steps", List.of(validLong, g.longs("time_axes", 1)), attr("keepdims", 0L));
        lengths32 = g.op("Cast", "sequence_lens", List.of(count), attr("to", (long) INT32));
        // last valid step = T - 1 - (first valid step of the mask reversed in time); a hole when last - first + 1 > count
        String reversed = g.op("Slice", "mask_reversed", List.of(validLong, g.longs("rev_starts", -1), g.longs("rev_ends", Long.MIN_VALUE),
                g.longs("rev_axes", 1), g.longs("rev_steps", -1)));
        String lastFromEnd = g.op("ArgMax", "last_valid_from_end", List.of(reversed), attr("axis", 1L), attr("keepdims", 0L));
        String span = g.op("Sub", "valid_span", List.of(g.op("Sub", "time_minus_from_end", List.of(time, lastFromEnd)), start));
        String someValid = g.op("Greater", "some_valid_step", List.of(count, g.longScalar("no_step", 0)));
        holes = g.op("And", "has_holes", List.of(g.op("Greater", "span_exceeds_count", List.of(span, count)), someValid));
        noStep = g.op("Not", "no_valid_step", List.of(someValid));
    }

    /** Rows of a batch-major {@code [B, T, F]} tensor rotated so that each row's valid run starts at step 0. */
    String rotate(String batchMajor) {
        return gatherTime(batchMajor, modTime(g.op("Add", "rotation_index", List.of(row(steps), column(start)))), "rotated_input");
    }

    /**
     * The model's batch-major sequence output {@code [B, T, W]} from the rotated run put back at its steps,
     * masked steps filled as {@code last} (the last LSTM) says; NaN in rows with holes.
     */
    String restoreSequences(String rotated, LstmLayer last) {
        String p = row(steps);                                                   // [1, T]
        String s = column(start);                                                // [B, 1]
        String len = column(count);
        String back = modTime(g.op("Sub", "unrotated_index", List.of(g.op("Add", "p_plus_t", List.of(p, time)), s)));  // (p - s) mod T
        String index;
        boolean previous = last.maskedOutput() == MaskedOutput.PREVIOUS;
        if (last.reversedOutputOrder()) {
            // go_backwards writes in processing order: output k reads rotated k + s; the steps processed after the valid
            // run (k >= T - s) repeat the last valid output (rotated T - 1) or take a zero step (rotated 0).
            String plain = modTime(g.op("Add", "k_plus_s", List.of(p, s)));
            String after = g.op("GreaterOrEqual", "processed_after_run", List.of(p, g.op("Sub", "t_minus_s", List.of(time, s))));
            String fill = previous ? g.op("Sub", "last_rotated", List.of(time, g.longScalar("one_more", 1))) : g.longScalar("zero_step", 0);
            index = g.op("Where", "restore_index", List.of(after, fill, plain));
        } else if (previous) {
            String any = g.op("Greater", "has_valid_step", List.of(len, g.longScalar("none", 0)));
            boolean reverse = last.direction() == Direction.REVERSE;
            // forward: steps after the run repeat its last output (rotated L - 1); reverse: steps before it repeat its first (rotated 0)
            String outside = reverse ? g.op("Less", "before_run", List.of(p, s))
                    : g.op("GreaterOrEqual", "after_run", List.of(p, g.op("Add", "run_end", List.of(s, len))));
            String held = reverse ? g.longScalar("first_rotated", 0) : g.op("Sub", "last_of_run", List.of(len, g.longScalar("one_less", 1)));
            index = g.op("Where", "restore_index", List.of(g.op("And", "holds_previous", List.of(outside, any)), held, back));
        } else {
            index = back;  // masked steps land on rotated steps past the run, where ONNX's LSTM outputs zeros
        }
        return nanWhereHoles(gatherTime(rotated, index, "restored_output"), true);
    }

    /** A per-sequence output {@code [B, W]}, NaN in rows with holes. */
    String guardVectors(String output) {
        return nanWhereHoles(output, false);
    }

    /**
     * A final state {@code [D, B, H]} of one LSTM: its initial state in rows without a valid step (ONNX Runtime
     * returns zeros for {@code sequence_lens} 0; lstm4j and Keras keep the initial state), NaN in rows with holes.
     *
     * @param initial the layer's initial state {@code [D, B, H]}, or null for zeros
     */
    String guardState(String state, String initial) {
        String kept = state;
        if (initial != null) {
            String rows = g.op("Unsqueeze", "no_step_1b1", List.of(noStep, g.longs("axes_02", 0, 2)));
            kept = g.op("Where", "initial_state_kept", List.of(rows, initial, state));
        }
        String rows = g.op("Unsqueeze", "holes_1b1", List.of(holes, g.longs("axes_02", 0, 2)));
        return g.op("Where", "state_holes_to_nan", List.of(rows, g.scalar("nan", Float.NaN), kept));
    }

    private String nanWhereHoles(String t, boolean sequences) {
        String rows = sequences ? g.op("Unsqueeze", "holes_bt1", List.of(holes, g.longs("axes_12", 1, 2)))
                : g.op("Unsqueeze", "holes_b1", List.of(holes, g.longs("axes_1", 1)));
        return g.op("Where", "holes_to_nan", List.of(rows, g.scalar("nan", Float.NaN), t));
    }

    private String gatherTime(String batchMajor, String index, String name) {
        String expanded = g.op("Expand", name + "_index", List.of(g.op("Unsqueeze", name + "_index_3d", List.of(index, g.longs("axes_2", 2))),
                g.op("Shape", name + "_shape", List.of(batchMajor))));
        return g.op("GatherElements", name, List.of(batchMajor, expanded), attr("axis", 1L));
    }

    private String modTime(String v) {
        return g.op("Mod", "mod_time", List.of(v, time));
    }

    private String row(String vector) {
        return g.op("Unsqueeze", "as_row", List.of(vector, g.longs("axes_0", 0)));
    }

    private String column(String vector) {
        return g.op("Unsqueeze", "as_column", List.of(vector, g.longs("axes_1c", 1)));
    }

    /** bool {@code [B, T]}: valid where not every feature of the step equals {@code value} (Keras Masking). */
    static String fromMaskValue(ExportGraph g, String batchMajorFeatures, float value) {
        String differs = g.op("Not", "differs_from_mask_value", List.of(g.op("Equal", "equals_mask_value",
                List.of(batchMajorFeatures, g.scalar("mask_value", value)))));
        String any = g.op("ReduceMax", "any_feature_differs", List.of(g.op("Cast", "differs_float", List.of(differs), attr("to", (long) FLOAT))),
                ints("axes", 2), attr("keepdims", 0L));
        return g.op("Cast", "masking_valid", List.of(any), attr("to", (long) BOOL));
    }

    /** bool {@code [B, T]}: ids other than 0 (Keras mask_zero). */
    static String fromNonZeroIds(ExportGraph g, String batchMajorIds) {
        return g.op("Not", "mask_zero_valid", List.of(g.op("Equal", "id_is_zero", List.of(batchMajorIds, g.longScalar("zero_id", 0)))));
    }

    /** bool {@code [B, T]}: the first {@code lengths} steps of each row. */
    static String fromLengths(ExportGraph g, String lengths32, String batchMajor) {
        String time = g.op("Gather", "length_time", List.of(g.op("Shape", "length_shape", List.of(batchMajor)), g.longScalar("length_axis", 1)),
                attr("axis", 0L));
        String steps = g.op("Range", "length_steps", List.of(g.longScalar("length_zero", 0), time, g.longScalar("length_one", 1)));
        String lengths = g.op("Cast", "lengths_int64", List.of(lengths32), attr("to", (long) INT64));
        return g.op("Less", "within_length", List.of(g.op("Unsqueeze", "steps_row", List.of(steps, g.longs("l_axes_0", 0))),
                g.op("Unsqueeze", "lengths_column", List.of(lengths, g.longs("l_axes_1", 1)))));
    }

    static String and(ExportGraph g, String a, String b) {
        return a == null ? b : g.op("And", "mask_and", List.of(a, b));
    }
}
