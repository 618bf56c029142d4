package org.lstm4j.predict;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.lstm4j.model.LstmLayer;
import org.lstm4j.model.Port;
import org.lstm4j.model.SequenceModel;
import org.lstm4j.tensor.FloatTensor;
import org.lstm4j.tensor.IntTensor;
import org.lstm4j.tensor.TensorBuilder;

/**
 * Translates between a model's named graph inputs and outputs (its {@link Port}s, in the
 * layouts its exporter chose) and the one layout predictors use. This is how {@code lstm predict}
 * feeds {@code x}, {@code h0}, {@code c0} and writes {@code y}, {@code hn}, {@code cn}.
 */
public final class PortBinding {

    private PortBinding() {
    }

    /**
     * Builds a batch from named tensors. Every sequence input must be given; state inputs that
     * are missing start from zeros; lengths come from {@code lengths} under the lengths port's name.
     *
     * @throws IllegalArgumentException for an unknown name (listing the model's inputs) or a shape that does not fit
     */
    public static SequenceBatch toBatch(SequenceModel model, Map<String, FloatTensor> tensors, Map<String, int[]> lengths) {
        Map<String, IntTensor> integers = new LinkedHashMap<>();
        lengths.forEach((name, l) -> integers.put(name, IntTensor.of(l)));
        for (String name : lengths.keySet()) {
            Port p = inputPort(model, name);
            if (p == null || p.role() != Port.Role.SEQUENCE_LENGTHS) {
                throw new IllegalArgumentException("model '" + model.name() + "' has no sequence-lengths input named '" + name
                        + "'; its inputs are " + describe(model.inputPorts()));
            }
        }
        return toBatch(model, tensors, integers, true);
    }

    /**
     * Builds a batch from named tensors as a {@code .npy} file holds them: float tensors (features,
     * states) and integer tensors, whose port says what they are: token ids {@code [batch, time]} for the
     * sequence input of a model that starts with an embedding, lengths {@code [batch]}, or a mask
     * {@code [batch, time]} (1 valid, 0 masked).
     *
     * @throws IllegalArgumentException for an unknown name (listing the model's inputs), a float tensor where
     *                                  integers belong or the reverse, or a shape that does not fit
     */
    public static SequenceBatch batchOf(SequenceModel model, Map<String, FloatTensor> floats, Map<String, IntTensor> integers) {
        return toBatch(model, floats, integers, false);
    }

    private static Port inputPort(SequenceModel model, String name) {
        return model.inputPorts().stream().filter(p -> p.name().equals(name)).findFirst().orElse(null);
    }

    private static boolean takesIntegers(SequenceModel model, Port p) {
        return p.role() == Port.Role.SEQUENCE_LENGTHS || p.role() == Port.Role.STEP_MASK
                || p.role() == Port.Role.SEQUENCE_INPUT && model.readsTokens();
    }

    private static SequenceBatch toBatch(SequenceModel model, Map<String, FloatTensor> tensors, Map<String, IntTensor> integers,
                                         boolean lengthsChecked) {
        for (String name : tensors.keySet()) {
            Port p = inputPort(model, name);
            if (p == null || takesIntegers(model, p)) {
                throw new IllegalArgumentException("model '" + model.name() + "' has no float input named '" + name
                        + "'; its inputs are " + describe(model.inputPorts()));
            }
        }
        for (String name : integers.keySet()) {
            Port p = inputPort(model, name);
            if (!lengthsChecked && (p == null || !takesIntegers(model, p))) {
                throw new IllegalArgumentException("model '" + model.name() + "' has no integer input (token ids, lengths or mask) named '"
                        + name + "'; its inputs are " + describe(model.inputPorts()));
            }
        }
        Port seqPort = model.inputPorts().stream().filter(p -> p.role() == Port.Role.SEQUENCE_INPUT).findFirst().orElseThrow();
        SequenceBatch batch = model.readsTokens() ? tokenBatch(model, seqPort, integers.get(seqPort.name()))
                : featureBatch(model, seqPort, tensors.get(seqPort.name()));
        int b = batch.batchSize();
        for (Port p : model.inputPorts()) {
            IntTensor v = integers.get(p.name());
            if (v == null) {
                continue;
            }
            if (p.role() == Port.Role.SEQUENCE_LENGTHS) {
                if (v.rank() != 1) {
                    throw new IllegalArgumentException("input '" + p.name() + "' (sequence lengths) must be [batch], got "
                            + Arrays.toString(v.shape()));
                }
                batch = batch.withLengths(v.toArray());
            } else if (p.role() == Port.Role.STEP_MASK) {
                IntTensor m = p.layout() == Port.Layout.TIME_MAJOR && v.rank() == 2 ? transpose(v) : v;
                batch = batch.withMask(StepMask.of(m));
            }
        }
        List<LstmLayer> lstms = model.lstmLayers();
        FloatTensor[] h = new FloatTensor[lstms.size()];
        FloatTensor[] c = new FloatTensor[lstms.size()];
        boolean anyState = false;
        for (Port p : model.inputPorts()) {
            if (p.role() != Port.Role.INITIAL_HIDDEN && p.role() != Port.Role.INITIAL_CELL) {
                continue;
            }
            FloatTensor t = tensors.get(p.name());
            if (t == null) {
                continue;
            }
            anyState = true;
            List<FloatTensor> perLayer = splitState(p, t, lstms, b);
            for (int k = 0; k < perLayer.size(); k++) {
                int layer = p.lstmLayers().get(k);
                (p.role() == Port.Role.INITIAL_HIDDEN ? h : c)[layer] = perLayer.get(k);
            }
        }
        if (anyState) {
            List<LstmState> states = new ArrayList<>();
            for (int i = 0; i < lstms.size(); i++) {
                LstmLayer l = lstms.get(i);
                FloatTensor zero = FloatTensor.zeros(l.directionCount(), b, l.hiddenSize());
                states.add(new LstmState(h[i] == null ? zero : h[i], c[i] == null ? zero : c[i]));
            }
            batch = batch.withInitialState(new ModelState(states));
        }
        return batch;
    }

    private static SequenceBatch featureBatch(SequenceModel model, Port seqPort, FloatTensor x) {
        if (x == null) {
            throw new IllegalArgumentException("input '" + seqPort.name() + "' (the sequence, " + layoutText(seqPort, model) + ") is missing");
        }
        if (x.rank() != 3) {
            throw new IllegalArgumentException("input '" + seqPort.name() + "' must be " + layoutText(seqPort, model) + ", got "
                    + Arrays.toString(x.shape()));
        }
        return SequenceBatch.of(seqPort.layout() == Port.Layout.TIME_MAJOR ? x.swapFirstAxes() : x);
    }

    private static SequenceBatch tokenBatch(SequenceModel model, Port seqPort, IntTensor ids) {
        String layout = seqPort.layout() == Port.Layout.TIME_MAJOR ? "[time, batch]" : "[batch, time]";
        if (ids == null) {
            throw new IllegalArgumentException("input '" + seqPort.name() + "' (the token ids, " + layout + " int32 or int64) is missing");
        }
        if (ids.rank() != 2) {
            throw new IllegalArgumentException("input '" + seqPort.name() + "' (token ids) must be " + layout + ", got "
                    + Arrays.toString(ids.shape()));
        }
        return SequenceBatch.ofTokens(seqPort.layout() == Port.Layout.TIME_MAJOR ? transpose(ids) : ids);
    }

    private static IntTensor transpose(IntTensor t) {
        int r = t.dim(0);
        int c = t.dim(1);
        int[] out = new int[r * c];
        for (int i = 0; i < r; i++) {
            for (int j = 0; j < c; j++) {
                out[j * r + i] = t.get(i * c + j);
            }
        }
        return IntTensor.of(new int[] {c, r}, out);
    }

    /** The prediction under the model's output names, in declaration order. */
    public static Map<String, FloatTensor> toOutputs(SequenceModel model, Prediction prediction) {
        Map<String, FloatTensor> out = new LinkedHashMap<>();
        for (Port p : model.outputPorts()) {
            switch (p.role()) {
                case OUTPUT:
                    out.put(p.name(), layoutOutput(model, p, prediction.output()));
                    break;
                case FINAL_HIDDEN:
                case FINAL_CELL:
                    List<FloatTensor> parts = new ArrayList<>();
                    for (int layer : p.lstmLayers()) {
                        LstmState s = prediction.finalState().layer(layer);
                        parts.add(p.role() == Port.Role.FINAL_HIDDEN ? s.hidden() : s.cell());
                    }
                    out.put(p.name(), joinState(p, parts));
                    break;
                default:
                    throw new IllegalStateException("input port among outputs: " + p);
            }
        }
        return out;
    }

    private static FloatTensor layoutOutput(SequenceModel model, Port p, FloatTensor y) {
        switch (p.layout()) {
            case BATCH_MAJOR:
                return y;
            case TIME_MAJOR:
                return y.rank() == 3 ? y.swapFirstAxes() : y;
            case ONNX_Y:
            case ONNX_Y_BATCHWISE: {
                LstmLayer last = model.lstmLayers().get(model.lstmLayers().size() - 1);
                int d = last.directionCount();
                int hs = last.hiddenSize();
                int b = y.dim(0);
                int t = y.dim(1);
                // [B, T, D*H] is [B, T, D, H] in memory: batchwise Y is a reshape, time-major Y a transpose.
                if (p.layout() == Port.Layout.ONNX_Y_BATCHWISE) {
                    return y.reshape(b, t, d, hs);
                }
                float[] src = y.toArray();
                TensorBuilder o = new TensorBuilder(t, d, b, hs);
                float[] dst = o.values();
                for (int bi = 0; bi < b; bi++) {
                    for (int ti = 0; ti < t; ti++) {
                        for (int di = 0; di < d; di++) {
                            System.arraycopy(src, ((bi * t + ti) * d + di) * hs, dst, ((ti * d + di) * b + bi) * hs, hs);
                        }
                    }
                }
                return o.build();
            }
            default:
                throw new IllegalStateException("layout " + p.layout() + " on output port '" + p.name() + "'");
        }
    }

    private static List<FloatTensor> splitState(Port p, FloatTensor t, List<LstmLayer> lstms, int batch) {
        List<FloatTensor> out = new ArrayList<>();
        if (p.layout() == Port.Layout.SQUEEZED) {
            LstmLayer l = lstms.get(p.lstmLayers().get(0));
            if (t.rank() != 2 || t.dim(0) != batch || t.dim(1) != l.hiddenSize()) {
                throw new IllegalArgumentException("input '" + p.name() + "' must be [batch, hidden] = [" + batch + ", "
                        + l.hiddenSize() + "], got " + Arrays.toString(t.shape()));
            }
            out.add(t.reshape(1, batch, l.hiddenSize()));
            return out;
        }
        FloatTensor stacked = p.layout() == Port.Layout.STACKED_BATCHWISE && t.rank() == 3 ? t.swapFirstAxes() : t;
        int rows = 0;
        int hidden = lstms.get(p.lstmLayers().get(0)).hiddenSize();
        for (int i : p.lstmLayers()) {
            rows += lstms.get(i).directionCount();
            if (lstms.get(i).hiddenSize() != hidden) {
                throw new IllegalStateException("port '" + p.name() + "' stacks layers of different hidden sizes");
            }
        }
        if (stacked.rank() != 3 || stacked.dim(0) != rows || stacked.dim(1) != batch || stacked.dim(2) != hidden) {
            throw new IllegalArgumentException("input '" + p.name() + "' must be " + layoutText(p, null) + " = "
                    + Arrays.toString(p.layout() == Port.Layout.STACKED ? new int[] {rows, batch, hidden} : new int[] {batch, rows, hidden})
                    + ", got " + Arrays.toString(t.shape()));
        }
        int row = 0;
        for (int i : p.lstmLayers()) {
            int d = lstms.get(i).directionCount();
            out.add(stacked.slice0(row, row + d));
            row += d;
        }
        return out;
    }

    private static FloatTensor joinState(Port p, List<FloatTensor> parts) {
        FloatTensor stacked = FloatTensor.concat0(parts);
        switch (p.layout()) {
            case STACKED:
                return stacked;
            case STACKED_BATCHWISE:
                return stacked.swapFirstAxes();
            case SQUEEZED:
                return stacked.reshape(stacked.dim(1), stacked.dim(2));
            default:
                throw new IllegalStateException("layout " + p.layout() + " on state port '" + p.name() + "'");
        }
    }

    private static String layoutText(Port p, SequenceModel model) {
        String f = model == null ? "features" : Integer.toString(model.inputSize());
        switch (p.layout()) {
            case TIME_MAJOR: return "[time, batch, " + f + "]";
            case BATCH_MAJOR: return "[batch, time, " + f + "]";
            case STACKED: return "[layers x directions, batch, hidden]";
            case STACKED_BATCHWISE: return "[batch, layers x directions, hidden]";
            case SQUEEZED: return "[batch, hidden]";
            default: return p.layout().toString();
        }
    }

    private static String describe(List<Port> ports) {
        StringBuilder sb = new StringBuilder();
        for (Port p : ports) {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append('\'').append(p.name()).append("' (").append(p.role().name().toLowerCase().replace('_', ' ')).append(')');
        }
        return sb.toString();
    }
}
