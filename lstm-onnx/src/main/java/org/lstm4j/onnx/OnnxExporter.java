package org.lstm4j.onnx;

import static org.lstm4j.onnx.ExportGraph.attr;
import static org.lstm4j.onnx.ExportGraph.ints;
import static org.lstm4j.onnx.ExportGraph.strings;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.lstm4j.model.Activation;
import org.lstm4j.model.ActivationLayer;
import org.lstm4j.model.DenseLayer;
import org.lstm4j.model.Direction;
import org.lstm4j.model.EmbeddingLayer;
import org.lstm4j.model.Layer;
import org.lstm4j.model.LstmLayer;
import org.lstm4j.model.MaskingLayer;
import org.lstm4j.model.MergeMode;
import org.lstm4j.model.OutputMode;
import org.lstm4j.model.Port;
import org.lstm4j.model.SequenceModel;
import org.lstm4j.onnx.proto.OnnxProto.AttributeProto;
import org.lstm4j.onnx.proto.OnnxProto.ModelProto;
import org.lstm4j.onnx.proto.OnnxProto.OperatorSetIdProto;
import org.lstm4j.onnx.proto.OnnxProto.StringStringEntryProto;
import org.lstm4j.onnx.proto.OnnxProto.TensorProto;
import org.lstm4j.weights.LstmWeights;

/**
 * Writes a {@link SequenceModel} as an ONNX model: opset 17, one {@code LSTM} node (layout 0) per
 * LSTM layer and standard operators for everything the neutral model says around it.
 *
 * <p>Two forms:
 * <ul>
 *   <li>{@link #export(SequenceModel)}: the graph inputs and outputs the model declares in its
 *       {@link Port}s, with their names and layouts, for users who want a file that looks like
 *       the one they imported;</li>
 *   <li>{@link #exportForExecution(SequenceModel)}: fixed inputs and outputs for backends that run
 *       the graph: {@value #INPUT} {@code [B, T, I]}, {@value #SEQUENCE_LENGTHS} int32 {@code [B]},
 *       per LSTM layer k {@code h0_k} and {@code c0_k} {@code [D, B, H]}; outputs {@value #OUTPUT}
 *       ({@code [B, T, out]} or {@code [B, out]}) and per LSTM layer {@code hn_k}, {@code cn_k}.</li>
 * </ul>
 *
 * <p>How each model feature is written:
 * <ul>
 *   <li>direction: the LSTM's {@code direction} attribute; layout 0 (time-major) throughout, since
 *       ONNX Runtime's CPU LSTM rejects layout 1, so the batch-major input is transposed once;</li>
 *   <li>merge of two directions (Y is {@code [T, 2, B, H]}): concat = Transpose to
 *       {@code [T, B, 2, H]} and Reshape to {@code [T, B, 2H]}; sum, mul, ave = Split on the
 *       direction axis, Squeeze, then Add, Mul, or Add and Div by 2;</li>
 *   <li>reversed output order (Keras {@code go_backwards}) with sequence output: as Keras and tf2onnx
 *       write it, a forward LSTM over the time-reversed input (Slice with step -1), whose outputs are
 *       then in processing order; when the graph has lengths, ReverseSequence reverses each sequence's
 *       valid steps instead, and the outputs are put back in input order (ReverseSequence) and flipped
 *       along the whole axis, so that the padding's zeros, processed first, come first, as in Keras;</li>
 *   <li>output modes: SEQUENCES = the merged Y; FINAL_STATE = Y_h merged like Y;
 *       LAST_STEP = Gather of the merged Y at time T-1;</li>
 *   <li>activations, clip, input_forget, peepholes and sequence lengths: the LSTM operator's own
 *       attributes and inputs; alpha and beta lists hold values only for the activations that
 *       take them, in (f, g, h) order per direction, as the specification says they are consumed;</li>
 *   <li>an embedding: Gather of its table's rows over the token ids (int64 in the port form, int32 in the
 *       execution form), as PyTorch's exporters write {@code nn.Embedding}; a masking layer: nothing (it changes
 *       no value an LSTM reads);</li>
 *   <li>masks (a masking layer, {@code mask_zero}, a {@link Port.Role#STEP_MASK} input) in the port form: the
 *       rotation {@link MaskedExport} documents, over {@code sequence_lens}; the execution form takes lengths only,
 *       since lstm4j resolves masks before ONNX Runtime runs;</li>
 *   <li>dense layers: MatMul, Add and the activation (Softmax and LogSoftmax on the last axis; Affine and
 *       ScaledTanh, which opset 17 lacks as operators, as Mul/Add and Mul/Tanh/Mul); standalone
 *       activation layers: the activation alone.</li>
 * </ul>
 * Weights go through {@link LstmWeights#toOnnx()}, the one place that knows ONNX's gate order.
 */
public final class OnnxExporter {

    /** The operator set exported graphs import. */
    public static final int OPSET = 17;
    /** The IR version that goes with opset 17 (ONNX 1.12). */
    static final int IR_VERSION = 8;

    /** Execution form: the sequence input, {@code [batch, time, features]} float. */
    public static final String INPUT = "x";
    /** Execution form: the sequence lengths, {@code [batch]} int32. */
    public static final String SEQUENCE_LENGTHS = "seq_lens";
    /** Execution form: the model output. */
    public static final String OUTPUT = "output";

    private static final String BATCH = "batch";
    private static final String TIME = "time";
    private static final int FLOAT = TensorProto.DataType.FLOAT_VALUE;
    private static final int INT32 = TensorProto.DataType.INT32_VALUE;
    private static final int INT64 = TensorProto.DataType.INT64_VALUE;
    private static final int BOOL = TensorProto.DataType.BOOL_VALUE;

    private OnnxExporter() {
    }

    /** Execution form: the initial hidden state of LSTM layer {@code k}, {@code [D, B, H]}. */
    public static String initialHidden(int k) {
        return "h0_" + k;
    }

    /** Execution form: the initial cell state of LSTM layer {@code k}, {@code [D, B, H]}. */
    public static String initialCell(int k) {
        return "c0_" + k;
    }

    /** Execution form: the final hidden state of LSTM layer {@code k}, {@code [D, B, H]}. */
    public static String finalHidden(int k) {
        return "hn_" + k;
    }

    /** Execution form: the final cell state of LSTM layer {@code k}, {@code [D, B, H]}. */
    public static String finalCell(int k) {
        return "cn_" + k;
    }

    /** The model with the graph inputs and outputs its ports declare, as serialized ModelProto bytes. */
    public static byte[] export(SequenceModel model) {
        return exportModel(model).toByteArray();
    }

    /** The model with the fixed inputs and outputs backends feed and read, as serialized ModelProto bytes. */
    public static byte[] exportForExecution(SequenceModel model) {
        return exportModelForExecution(model).toByteArray();
    }

    /** {@link #export(SequenceModel)} as a protobuf message. */
    public static ModelProto exportModel(SequenceModel model) {
        ExportGraph g = new ExportGraph(model.name());
        new Writer(g, model).writeWithPorts();
        return wrap(g, model);
    }

    /** {@link #exportForExecution(SequenceModel)} as a protobuf message. */
    public static ModelProto exportModelForExecution(SequenceModel model) {
        ExportGraph g = new ExportGraph(model.name());
        new Writer(g, model).writeForExecution();
        return wrap(g, model);
    }

    private static ModelProto wrap(ExportGraph g, SequenceModel model) {
        ModelProto.Builder m = ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setProducerName("lstm4j")
                .setProducerVersion(producerVersion())
                .setGraph(g.build());
        for (Map.Entry<String, String> e : model.metadata().entrySet()) {
            m.addMetadataProps(StringStringEntryProto.newBuilder().setKey(e.getKey()).setValue(e.getValue()));
        }
        return m.build();
    }

    private static String producerVersion() {
        String v = OnnxExporter.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    /** Writes one model's graph; holds the names that later nodes refer to. */
    private static final class Writer {
        private final ExportGraph g;
        private final SequenceModel model;
        private final List<LstmLayer> lstms;
        /** The sequence, time-major {@code [T, B, I]}. */
        private String xTimeMajor;
        /** int32 {@code [B]}, or null when the graph has none (every sequence full length). */
        private String lengths32;
        /** int64 {@code [B]} for ReverseSequence, made on first use. */
        private String lengths64;
        /** The raw Y {@code [T, D, B, H]} of the LSTM written last, or null when it has none. */
        private String lastRawY;

        Writer(ExportGraph g, SequenceModel model) {
            this.g = g;
            this.model = model;
            this.lstms = model.lstmLayers();
        }

        void writeForExecution() {
            // Token ids are int32 here (the onnx backend feeds them); Gather takes int32 or int64 indices.
            String x = model.readsTokens() ? embed(g.input(INPUT, INT32, BATCH, TIME)) : g.input(INPUT, FLOAT, BATCH, TIME, model.inputSize());
            lengths32 = g.input(SEQUENCE_LENGTHS, INT32, BATCH);
            int n = lstms.size();
            String[] h0 = new String[n];
            String[] c0 = new String[n];
            String[] hn = new String[n];
            String[] cn = new String[n];
            for (int k = 0; k < n; k++) {
                LstmLayer l = lstms.get(k);
                h0[k] = g.input(initialHidden(k), FLOAT, l.directionCount(), BATCH, l.hiddenSize());
                c0[k] = g.input(initialCell(k), FLOAT, l.directionCount(), BATCH, l.hiddenSize());
            }
            // Reserved before the body so that no helper tensor takes these names.
            g.reserve(OUTPUT);
            for (int k = 0; k < n; k++) {
                hn[k] = g.reserve(finalHidden(k));
                cn[k] = g.reserve(finalCell(k));
            }
            xTimeMajor = g.op("Transpose", "x_time_major", List.of(x), ints("perm", 1, 0, 2));
            Body body = body(h0, c0, hn, cn);
            if (body.sequences) {
                g.opTo("Transpose", OUTPUT, List.of(body.output), ints("perm", 1, 0, 2));
                g.output(OUTPUT, FLOAT, BATCH, TIME, model.outputSize());
            } else {
                g.opTo("Identity", OUTPUT, List.of(body.output));
                g.output(OUTPUT, FLOAT, BATCH, model.outputSize());
            }
            for (int k = 0; k < n; k++) {
                LstmLayer l = lstms.get(k);
                g.output(hn[k], FLOAT, l.directionCount(), BATCH, l.hiddenSize());
                g.output(cn[k], FLOAT, l.directionCount(), BATCH, l.hiddenSize());
            }
        }

        void writeWithPorts() {
            int n = lstms.size();
            String[] h0 = new String[n];
            String[] c0 = new String[n];
            String features = null;   // [B, T, F] or, when timeMajor, [T, B, F]; after the embedding for token ids
            String ids = null;        // token ids as the port lays them out, int64
            boolean timeMajorInput = false;
            String mask = null;       // bool [B, T], true for a valid step, when the model or its ports give a mask
            String lengthsPort = null;
            for (Port p : model.inputPorts()) {
                boolean timeMajor = p.layout() == Port.Layout.TIME_MAJOR;
                switch (p.role()) {
                    case SEQUENCE_INPUT: {
                        if (!timeMajor && p.layout() != Port.Layout.BATCH_MAJOR) {
                            throw unsupported(p);
                        }
                        timeMajorInput = timeMajor;
                        if (model.readsTokens()) {
                            // Token ids as PyTorch feeds nn.Embedding: int64; Gather keeps their layout and adds the features.
                            ids = timeMajor ? g.input(p.name(), INT64, TIME, BATCH) : g.input(p.name(), INT64, BATCH, TIME);
                            features = embed(ids);
                        } else {
                            features = timeMajor ? g.input(p.name(), FLOAT, TIME, BATCH, model.inputSize())
                                    : g.input(p.name(), FLOAT, BATCH, TIME, model.inputSize());
                        }
                        break;
                    }
                    case SEQUENCE_LENGTHS:
                        lengthsPort = g.input(p.name(), INT32, BATCH);
                        break;
                    case STEP_MASK: {
                        String in = timeMajor ? g.input(p.name(), BOOL, TIME, BATCH) : g.input(p.name(), BOOL, BATCH, TIME);
                        mask = MaskedExport.and(g, mask, timeMajor ? g.op("Transpose", p.name() + "_batch_major", List.of(in), ints("perm", 1, 0)) : in);
                        break;
                    }
                    case INITIAL_HIDDEN:
                    case INITIAL_CELL: {
                        String[] perLayer = splitStatePort(p);
                        for (int i = 0; i < perLayer.length; i++) {
                            (p.role() == Port.Role.INITIAL_HIDDEN ? h0 : c0)[p.lstmLayers().get(i)] = perLayer[i];
                        }
                        break;
                    }
                    default:
                        throw new IllegalStateException("output role among input ports: " + p);
                }
            }
            MaskedExport masked = null;
            if (mask != null || model.masksInput()) {
                String batchMajor = timeMajorInput ? g.op("Transpose", "input_batch_major", List.of(features), ints("perm", 1, 0, 2)) : features;
                for (Layer l : model.layers()) {
                    if (l instanceof EmbeddingLayer e && e.masksZero()) {
                        String batchIds = timeMajorInput ? g.op("Transpose", "ids_batch_major", List.of(ids), ints("perm", 1, 0)) : ids;
                        mask = MaskedExport.and(g, mask, MaskedExport.fromNonZeroIds(g, batchIds));
                    } else if (l instanceof MaskingLayer m) {
                        mask = MaskedExport.and(g, mask, MaskedExport.fromMaskValue(g, batchMajor, m.maskValue()));
                    }
                }
                refuseWhatTheMaskedExportCannotWrite();
                if (lengthsPort != null) {
                    mask = MaskedExport.and(g, mask, MaskedExport.fromLengths(g, lengthsPort, batchMajor));
                }
                masked = new MaskedExport(g, mask, batchMajor);
                lengths32 = masked.lengths32;
                xTimeMajor = g.op("Transpose", "x_time_major", List.of(masked.rotate(batchMajor)), ints("perm", 1, 0, 2));
            } else {
                lengths32 = lengthsPort;
                xTimeMajor = timeMajorInput ? features : g.op("Transpose", "x_time_major", List.of(features), ints("perm", 1, 0, 2));
            }
            // Output port names are reserved first so that helper tensors never take them.
            for (Port p : model.outputPorts()) {
                g.reserve(p.name());
            }
            Body body = body(h0, c0, new String[n], new String[n]);
            if (masked != null) {
                String out = body.sequences
                        ? g.op("Transpose", "output_time_major", List.of(masked.restoreSequences(
                                g.op("Transpose", "output_batch_major", List.of(body.output), ints("perm", 1, 0, 2)), lstms.get(n - 1))),
                                ints("perm", 1, 0, 2))
                        : masked.guardVectors(body.output);
                body = new Body(out, body.sequences, body.hn, body.cn, null);
            }
            for (Port p : model.outputPorts()) {
                switch (p.role()) {
                    case OUTPUT:
                        writeOutputPort(p, body);
                        break;
                    case FINAL_HIDDEN:
                    case FINAL_CELL: {
                        boolean hidden = p.role() == Port.Role.FINAL_HIDDEN;
                        String[] states = (hidden ? body.hn : body.cn).clone();
                        if (masked != null) {
                            for (int k : p.lstmLayers()) {
                                states[k] = masked.guardState(states[k], (hidden ? h0 : c0)[k]);
                            }
                        }
                        joinStatePort(p, states);
                        break;
                    }
                    default:
                        throw new IllegalStateException("input role among output ports: " + p);
                }
            }
        }

        /** What {@link MaskedExport}'s rotation cannot compute as lstm4j does. */
        private void refuseWhatTheMaskedExportCannotWrite() {
            String why = null;
            for (int k = 0; k < lstms.size() - 1; k++) {
                if (lstms.get(k).reversedOutputOrder()) {
                    why = "LSTM layer '" + lstms.get(k).name() + "' (go_backwards) feeds another LSTM, which rotated rows would misalign";
                }
            }
            if (lstms.get(lstms.size() - 1).outputMode() == OutputMode.LAST_STEP) {
                why = "its last LSTM outputs the batch's last time step (LAST_STEP), which a rotated row moves";
            }
            if (why != null) {
                throw new IllegalArgumentException("model '" + model.name() + "' makes a mask and " + why
                        + "; the ONNX export cannot write that (lstm4j's java backends run it)");
            }
        }

        private IllegalArgumentException unsupported(Port p) {
            return new IllegalArgumentException("model '" + model.name() + "': port '" + p.name() + "' (" + p.role()
                    + ") cannot have layout " + p.layout());
        }

        /** A state input port as one {@code [D, B, H]} tensor per layer it holds. */
        private String[] splitStatePort(Port p) {
            List<Integer> layers = p.lstmLayers();
            int hidden = lstms.get(layers.get(0)).hiddenSize();
            int rows = 0;
            for (int k : layers) {
                rows += lstms.get(k).directionCount();
                if (lstms.get(k).hiddenSize() != hidden) {
                    throw new IllegalArgumentException("model '" + model.name() + "': state port '" + p.name()
                            + "' stacks LSTM layers of different hidden sizes");
                }
            }
            String stacked;
            switch (p.layout()) {
                case SQUEEZED: {
                    String in = g.input(p.name(), FLOAT, BATCH, hidden);
                    return new String[] {g.op("Unsqueeze", p.name() + "_stacked", List.of(in, g.longs("axes", 0)))};
                }
                case STACKED:
                    stacked = g.input(p.name(), FLOAT, rows, BATCH, hidden);
                    break;
                case STACKED_BATCHWISE: {
                    String in = g.input(p.name(), FLOAT, BATCH, rows, hidden);
                    stacked = g.op("Transpose", p.name() + "_stacked", List.of(in), ints("perm", 1, 0, 2));
                    break;
                }
                default:
                    throw unsupported(p);
            }
            if (layers.size() == 1) {
                return new String[] {stacked};
            }
            String[] out = new String[layers.size()];
            int row = 0;
            for (int i = 0; i < layers.size(); i++) {
                int d = lstms.get(layers.get(i)).directionCount();
                out[i] = g.op("Slice", p.name() + "_layer" + layers.get(i),
                        List.of(stacked, g.longs("starts", row), g.longs("ends", row + d), g.longs("axes", 0)));
                row += d;
            }
            return out;
        }

        /** Writes a state output port from the layers' {@code [D, B, H]} states. */
        private void joinStatePort(Port p, String[] perLayer) {
            List<Integer> layers = p.lstmLayers();
            int hidden = lstms.get(layers.get(0)).hiddenSize();
            int rows = 0;
            List<String> parts = new ArrayList<>();
            for (int k : layers) {
                rows += lstms.get(k).directionCount();
                parts.add(perLayer[k]);
            }
            switch (p.layout()) {
                case SQUEEZED:
                    g.opTo("Squeeze", p.name(), List.of(parts.get(0), g.longs("axes", 0)));
                    g.output(p.name(), FLOAT, BATCH, hidden);
                    return;
                case STACKED:
                    if (parts.size() == 1) {
                        g.opTo("Identity", p.name(), parts);
                    } else {
                        g.opTo("Concat", p.name(), parts, attr("axis", 0L));
                    }
                    g.output(p.name(), FLOAT, rows, BATCH, hidden);
                    return;
                case STACKED_BATCHWISE: {
                    String stacked = parts.size() == 1 ? parts.get(0) : g.op("Concat", p.name() + "_stacked", parts, attr("axis", 0L));
                    g.opTo("Transpose", p.name(), List.of(stacked), ints("perm", 1, 0, 2));
                    g.output(p.name(), FLOAT, BATCH, rows, hidden);
                    return;
                }
                default:
                    throw unsupported(p);
            }
        }

        /** Writes the output port from the body's output (time-major {@code [T, B, F]} or {@code [B, F]}). */
        private void writeOutputPort(Port p, Body body) {
            int width = model.outputSize();
            if (!body.sequences) {
                if (p.layout() != Port.Layout.BATCH_MAJOR && p.layout() != Port.Layout.TIME_MAJOR) {
                    throw new IllegalArgumentException("model '" + model.name() + "': output port '" + p.name() + "' has layout "
                            + p.layout() + " but the model outputs one vector per sequence");
                }
                g.opTo("Identity", p.name(), List.of(body.output));
                g.output(p.name(), FLOAT, BATCH, width);
                return;
            }
            switch (p.layout()) {
                case TIME_MAJOR:
                    g.opTo("Identity", p.name(), List.of(body.output));
                    g.output(p.name(), FLOAT, TIME, BATCH, width);
                    return;
                case BATCH_MAJOR:
                    g.opTo("Transpose", p.name(), List.of(body.output), ints("perm", 1, 0, 2));
                    g.output(p.name(), FLOAT, BATCH, TIME, width);
                    return;
                case ONNX_Y:
                case ONNX_Y_BATCHWISE: {
                    LstmLayer last = lstms.get(lstms.size() - 1);
                    int d = last.directionCount();
                    int h = last.hiddenSize();
                    if (d * h != width) {
                        throw new IllegalArgumentException("model '" + model.name() + "': output port '" + p.name() + "' has layout "
                                + p.layout() + " but the output width " + width + " is not directions x hidden = " + d + " x " + h);
                    }
                    if (body.rawY() == null) {
                        throw new IllegalArgumentException("model '" + model.name() + "': output port '" + p.name() + "' has layout "
                                + p.layout() + ", an LSTM's own Y, but the model's last layer is not an LSTM that outputs sequences");
                    }
                    // The LSTM's own Y is this layout already (ONNX_Y) or one transpose away (batchwise).
                    if (p.layout() == Port.Layout.ONNX_Y) {
                        g.opTo("Identity", p.name(), List.of(body.rawY()));
                        g.output(p.name(), FLOAT, TIME, d, BATCH, h);
                    } else {
                        g.opTo("Transpose", p.name(), List.of(body.rawY()), ints("perm", 2, 0, 1, 3));
                        g.output(p.name(), FLOAT, BATCH, TIME, d, h);
                    }
                    return;
                }
                default:
                    throw unsupported(p);
            }
        }

        /** What the layers compute: the output and each LSTM's final states. */
        /** {@code rawY}: the last layer's raw LSTM Y {@code [T, D, B, H]} when the last layer is an LSTM outputting sequences, else null. */
        private record Body(String output, boolean sequences, String[] hn, String[] cn, String rawY) {
        }

        /**
         * Writes every layer. {@code h0}/{@code c0} entries may be null (zeros); {@code hnNames}/{@code cnNames}
         * entries name the LSTM's Y_h/Y_c outputs, or are null for fresh names.
         */
        private Body body(String[] h0, String[] c0, String[] hnNames, String[] cnNames) {
            String current = xTimeMajor;
            boolean sequences = true;
            String[] hn = new String[lstms.size()];
            String[] cn = new String[lstms.size()];
            int k = 0;
            for (Layer layer : model.layers()) {
                if (layer instanceof LstmLayer lstm) {
                    String yh = hnNames[k] != null ? hnNames[k] : g.fresh(lstm.name() + "_Y_h");
                    String yc = cnNames[k] != null ? cnNames[k] : g.fresh(lstm.name() + "_Y_c");
                    current = lstm(lstm, current, h0[k], c0[k], yh, yc);
                    hn[k] = yh;
                    cn[k] = yc;
                    sequences = lstm.outputMode() == OutputMode.SEQUENCES;
                    k++;
                } else if (layer instanceof DenseLayer dense) {
                    current = dense(dense, current);
                } else if (layer instanceof ActivationLayer a) {
                    current = activation(a.activation(), current, a.name());
                } else if (!(layer instanceof EmbeddingLayer) && !(layer instanceof MaskingLayer)) {
                    // An embedding is written with the input it reads, and a masking layer changes no value an LSTM reads.
                    throw new IllegalArgumentException("model '" + model.name() + "': the ONNX exporter does not write " + layer + " yet");
                }
            }
            boolean lastIsLstm = model.layers().get(model.layers().size() - 1) instanceof LstmLayer;
            return new Body(current, sequences, hn, cn, lastIsLstm && sequences ? lastRawY : null);
        }

        /** One LSTM node and what turns its outputs into the layer's output; returns that output's name. */
        private String lstm(LstmLayer l, String x, String h0, String c0, String yh, String yc) {
            String name = l.name();
            int d = l.directionCount();
            int h = l.hiddenSize();
            int in = l.inputSize();
            float[] w = new float[d * 4 * h * in];
            float[] r = new float[d * 4 * h * h];
            float[] b = new float[d * 8 * h];
            float[] p = l.hasPeepholes() ? new float[d * 3 * h] : null;
            for (int dir = 0; dir < d; dir++) {
                LstmWeights.OnnxLstm o = l.weights().get(dir).toOnnx();
                System.arraycopy(o.w(), 0, w, dir * o.w().length, o.w().length);
                System.arraycopy(o.r(), 0, r, dir * o.r().length, o.r().length);
                System.arraycopy(o.b(), 0, b, dir * o.b().length, o.b().length);
                if (p != null) {
                    System.arraycopy(o.p(), 0, p, dir * o.p().length, o.p().length);
                }
            }
            // Keras go_backwards written as Keras and tf2onnx write it: a forward pass over the time-reversed sequence
            // (each sequence's valid steps reversed, padding left at the end), whose outputs are then already in
            // processing order. Only the sequence output shows the order; other output modes use a plain reverse LSTM.
            boolean goBackwards = l.reversedOutputOrder() && l.outputMode() == OutputMode.SEQUENCES;
            List<String> inputs = new ArrayList<>(Arrays.asList(
                    goBackwards ? reverseTime(x, name) : x,
                    g.floats(name + "_W", new int[] {d, 4 * h, in}, w),
                    g.floats(name + "_R", new int[] {d, 4 * h, h}, r),
                    g.floats(name + "_B", new int[] {d, 8 * h}, b),
                    lengths32 == null ? "" : lengths32,
                    h0 == null ? "" : h0,
                    c0 == null ? "" : c0,
                    p == null ? "" : g.floats(name + "_P", new int[] {d, 3 * h}, p)));
            while (inputs.get(inputs.size() - 1).isEmpty()) {
                inputs.remove(inputs.size() - 1);  // trailing optional inputs are left out, as the spec allows
            }
            String y = l.outputMode() == OutputMode.FINAL_STATE ? "" : g.fresh(name + "_Y");
            lastRawY = y.isEmpty() ? null : y;

            List<AttributeProto> attrs = new ArrayList<>();
            attrs.add(attr("hidden_size", (long) h));
            attrs.add(attr("direction", goBackwards ? "forward" : onnxDirection(l.direction())));
            attrs.add(attr("layout", 0L));
            if (!l.hasDefaultActivations()) {
                List<String> names = new ArrayList<>();
                List<Float> alphas = new ArrayList<>();
                List<Float> betas = new ArrayList<>();
                for (int dir = 0; dir < d; dir++) {
                    for (Activation a : List.of(l.gateActivation(), l.cellActivation(), l.hiddenActivation())) {
                        names.add(a.kind().onnxName());
                        if (a.usesAlpha()) {
                            alphas.add(a.alpha());
                        }
                        if (a.usesBeta()) {
                            betas.add(a.beta());
                        }
                    }
                }
                attrs.add(strings("activations", names));
                if (!alphas.isEmpty()) {
                    attrs.add(ExportGraph.floats("activation_alpha", alphas));
                }
                if (!betas.isEmpty()) {
                    attrs.add(ExportGraph.floats("activation_beta", betas));
                }
            }
            if (l.hasCellClip()) {
                attrs.add(attr("clip", l.cellClip()));
            }
            if (l.coupledInputForget()) {
                attrs.add(attr("input_forget", 1L));
            }
            g.node("LSTM", name, inputs, List.of(y, yh, yc), attrs.toArray(new AttributeProto[0]));

            switch (l.outputMode()) {
                case FINAL_STATE:
                    return merge(l, yh, 0, name + "_final");
                case LAST_STEP: {
                    String seq = merge(l, y, 1, name + "_output");
                    return g.op("Gather", name + "_last_step", List.of(seq, g.longScalar("last", -1)), attr("axis", 0L));
                }
                default: {
                    String seq = merge(l, y, 1, name + "_output");
                    if (!goBackwards || lengths32 == null) {
                        return seq;
                    }
                    // Over a row's reversed valid steps the forward pass writes them first; Keras writes them after the
                    // padding it meets first: back into input order (ReverseSequence), then the whole axis flipped.
                    return flipTime(reverseTime(seq, name + "_output"), name + "_output");
                }
            }
        }

        /**
         * Removes the direction axis {@code axis} of {@code t} (Y {@code [T, D, B, H]} at axis 1, Y_h
         * {@code [D, B, H]} at axis 0), merging two directions by the layer's merge mode.
         */
        private String merge(LstmLayer l, String t, int axis, String base) {
            if (l.directionCount() == 1) {
                return g.op("Squeeze", base, List.of(t, g.longs("axes", axis)));
            }
            if (l.mergeMode() == MergeMode.CONCAT) {
                // Forward then backward features: move the direction axis next to the features and fold it in.
                long[] perm = axis == 1 ? new long[] {0, 2, 1, 3} : new long[] {1, 0, 2};
                String moved = g.op("Transpose", base + "_directions_last", List.of(t), ints("perm", perm));
                String shape = axis == 1 ? g.longs("shape", 0, 0, -1) : g.longs("shape", 0, -1);
                return g.op("Reshape", base, List.of(moved, shape));
            }
            String fwd = g.fresh(base + "_forward");
            String bwd = g.fresh(base + "_backward");
            g.node("Split", base + "_split", List.of(t), List.of(fwd, bwd), attr("axis", (long) axis));
            String f = g.op("Squeeze", fwd + "_squeezed", List.of(fwd, g.longs("axes", axis)));
            String b = g.op("Squeeze", bwd + "_squeezed", List.of(bwd, g.longs("axes", axis)));
            switch (l.mergeMode()) {
                case SUM:
                    return g.op("Add", base, List.of(f, b));
                case MUL:
                    return g.op("Mul", base, List.of(f, b));
                default: {
                    String sum = g.op("Add", base + "_sum", List.of(f, b));
                    return g.op("Div", base, List.of(sum, g.scalar("two", 2f)));
                }
            }
        }

        /**
         * The time-major sequence {@code x} with each sequence's valid steps in reverse order: ReverseSequence
         * over the lengths (int64, its type), or, without lengths (every sequence full), a Slice with step -1.
         */
        private String reverseTime(String x, String layerName) {
            if (lengths32 != null) {
                if (lengths64 == null) {
                    lengths64 = g.op("Cast", "seq_lens_int64", List.of(lengths32), attr("to", (long) INT64));
                }
                return g.op("ReverseSequence", layerName + "_reversed_input", List.of(x, lengths64),
                        attr("batch_axis", 1L), attr("time_axis", 0L));
            }
            return flipTime(x, layerName);
        }

        /** The time-major sequence {@code x} reversed along its whole time axis (Slice with step -1). */
        private String flipTime(String x, String base) {
            return g.op("Slice", base + "_reversed_input",
                    List.of(x, g.longs("starts", -1), g.longs("ends", Long.MIN_VALUE), g.longs("axes", 0), g.longs("steps", -1)));
        }

        /** The model's embedding over token ids (either layout): a Gather of its table's rows, as PyTorch's exporters write nn.Embedding. */
        private String embed(String ids) {
            EmbeddingLayer e = model.embedding().orElseThrow();
            String table = g.floats(e.name() + "_table", new int[] {e.vocabularySize(), e.outputSize()}, e.weights().table());
            return g.opNamed("Gather", e.name(), e.name() + "_output", List.of(table, ids), attr("axis", 0L));
        }

        private String dense(DenseLayer d, String x) {
            String name = d.name();
            // The MatMul carries the layer's name: the importer names the dense layer after it.
            String product = g.opNamed("MatMul", name, name + "_matmul",
                    List.of(x, g.floats(name + "_kernel", new int[] {d.inputSize(), d.outputSize()}, d.weights().kernel())));
            String biased = g.op("Add", name + "_biased", List.of(product, g.floats(name + "_bias", new int[] {d.outputSize()}, d.weights().bias())));
            return activation(d.activation(), biased, name + "_" + d.activation().kind().onnxName().toLowerCase(java.util.Locale.ROOT));
        }

        /** Applies {@code a} to {@code x}; the (first) node is named {@code name}, the output after it. */
        private String activation(Activation a, String x, String name) {
            String out = name;
            switch (a.kind()) {
                case LINEAR:
                    return x;
                case SOFTMAX:
                    return g.opNamed("Softmax", name, out, List.of(x), attr("axis", -1L));
                case LOG_SOFTMAX:
                    return g.opNamed("LogSoftmax", name, out, List.of(x), attr("axis", -1L));
                case SIGMOID:
                case TANH:
                case RELU:
                case SOFTSIGN:
                case SOFTPLUS:
                    return g.opNamed(a.kind().onnxName(), name, out, List.of(x));
                case HARD_SIGMOID:
                    return g.opNamed("HardSigmoid", name, out, List.of(x), attr("alpha", a.alpha()), attr("beta", a.beta()));
                case LEAKY_RELU:
                case THRESHOLDED_RELU:
                case ELU:
                    return g.opNamed(a.kind().onnxName(), name, out, List.of(x), attr("alpha", a.alpha()));
                case AFFINE: {
                    String scaled = g.opNamed("Mul", name, out + "_scaled", List.of(x, g.scalar("alpha", a.alpha())));
                    return g.op("Add", out, List.of(scaled, g.scalar("beta", a.beta())));
                }
                case SCALED_TANH: {
                    String inner = g.opNamed("Mul", name, out + "_inner", List.of(x, g.scalar("beta", a.beta())));
                    String tanh = g.op("Tanh", out + "_tanh", List.of(inner));
                    return g.op("Mul", out, List.of(tanh, g.scalar("alpha", a.alpha())));
                }
                default:
                    throw new IllegalStateException("activation " + a + " has no ONNX form");
            }
        }

        private static String onnxDirection(Direction d) {
            switch (d) {
                case FORWARD: return "forward";
                case REVERSE: return "reverse";
                default: return "bidirectional";
            }
        }
    }
}
