package org.lstm4j.onnx;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.lstm4j.model.Activation;
import org.lstm4j.model.ActivationLayer;
import org.lstm4j.model.DenseLayer;
import org.lstm4j.model.Direction;
import org.lstm4j.model.EmbeddingLayer;
import org.lstm4j.model.LstmLayer;
import org.lstm4j.model.MergeMode;
import org.lstm4j.model.OutputMode;
import org.lstm4j.model.Port;
import org.lstm4j.model.SequenceModel;
import org.lstm4j.onnx.Stages.DenseStage;
import org.lstm4j.onnx.Stages.EmbeddingStage;
import org.lstm4j.onnx.Stages.InputStage;
import org.lstm4j.onnx.Stages.LstmStage;
import org.lstm4j.onnx.Stages.Stage;
import org.lstm4j.onnx.Stages.StateFeed;
import org.lstm4j.onnx.Stages.Stream;
import org.lstm4j.onnx.Values.Comp;
import org.lstm4j.onnx.Values.Kind;
import org.lstm4j.onnx.Values.Role;
import org.lstm4j.onnx.Values.Source;
import org.lstm4j.onnx.Values.StateStack;
import org.lstm4j.onnx.Values.Val;
import org.lstm4j.onnx.Values.View;
import org.lstm4j.onnx.proto.OnnxProto.GraphProto;
import org.lstm4j.onnx.proto.OnnxProto.StringStringEntryProto;
import org.lstm4j.onnx.proto.OnnxProto.ValueInfoProto;
import org.lstm4j.weights.DenseWeights;
import org.lstm4j.weights.EmbeddingWeights;

/**
 * Model assembly, once every node is mapped: the graph output that is the model's output (the
 * deepest layer's), the chain of layers back from it to the sequence input, and the graph inputs
 * and outputs as {@link Port}s (sequence, lengths, initial and final states). Package-private.
 */
final class ModelAssembly {
    private final ImportState state;
    private final GraphProto graph;
    private final String source;

    ModelAssembly(ImportState state) {
        this.state = state;
        this.graph = state.graph;
        this.source = state.source;
    }

    SequenceModel assemble() {
        List<ValueInfoProto> outs = graph.getOutputList();
        if (outs.isEmpty()) {
            throw state.fail("the graph has no outputs");
        }
        // The main output: the stream from the deepest stage, preferring every-step or dense outputs over Y_h.
        Stream main = null;
        String mainName = null;
        int mainDepth = -1;
        boolean mainIsState = false;
        Map<String, Stream> streams = new LinkedHashMap<>();
        Map<String, String> notStream = new LinkedHashMap<>();
        for (ValueInfoProto o : outs) {
            Val v = state.values.get(o.getName());
            if (v instanceof View w && w.src.kind != Kind.INPUT && w.src.kind != Kind.LSTM_YC
                    && !(w.src.kind == Kind.LSTM_YH && w.rank() == 3)) {
                try {
                    Stream s = Streams.of(state, w, "graph output '" + o.getName() + "'");
                    streams.put(o.getName(), s);
                    int depth = depth(s.stage());
                    boolean isState = w.src.kind == Kind.LSTM_YH;
                    if (depth > mainDepth || depth == mainDepth && mainIsState && !isState) {
                        main = s;
                        mainName = o.getName();
                        mainDepth = depth;
                        mainIsState = isState;
                    }
                } catch (Refusal e) {
                    notStream.put(o.getName(), source + ": " + e.reason());
                }
            }
        }
        if (main == null) {
            // Only final states are outputs (as in ONNX's own LSTM node tests): the chain ends at the deepest LSTM they name.
            for (ValueInfoProto o : outs) {
                Val v = state.values.get(o.getName());
                List<View> parts = v instanceof StateStack st ? st.parts() : v instanceof View w ? List.of(w) : List.of();
                for (View w : parts) {
                    if ((w.src.kind == Kind.LSTM_YH || w.src.kind == Kind.LSTM_YC) && depth(w.src.stage) > mainDepth) {
                        mainDepth = depth(w.src.stage);
                        main = new Stream(w.src.stage, new Role[] {Role.BATCH, Role.TIME, Role.FEAT}, null,
                                OutputMode.SEQUENCES, MergeMode.CONCAT, false, null);
                    }
                }
            }
        }
        if (main == null) {
            if (!notStream.isEmpty()) {
                throw new OnnxImportException(notStream.values().iterator().next());
            }
            throw state.fail("no graph output is the output of an LSTM or dense layer (outputs: "
                    + outs.stream().map(ValueInfoProto::getName).toList() + ")");
        }
        // The chain of layers, from the graph input to the main output.
        List<Stage> chain = new ArrayList<>();
        Map<Stage, Stream> readBy = new HashMap<>();
        Stream consumer = main;
        Stage s = main.stage();
        while (!(s instanceof InputStage)) {
            chain.add(0, s);
            readBy.put(s, consumer);
            consumer = s.prev;
            s = s.prev.stage();
        }
        InputStage input = (InputStage) s;
        List<LstmStage> lstms = new ArrayList<>();
        for (Stage c : chain) {
            if (c instanceof LstmStage l) {
                lstms.add(l);
            }
        }
        int inputSize = !chain.isEmpty() && chain.get(0) instanceof EmbeddingStage e ? e.vocabulary
                : lstms.isEmpty() ? 0 : lstms.get(0).inputSize;
        String name = graph.getName().isEmpty() ? source : graph.getName();
        SequenceModel.Builder mb = SequenceModel.builder(inputSize).name(name);
        for (Stage c : chain) {
            Stream r = readBy.get(c);
            if (c instanceof LstmStage l) {
                boolean reversedOut = r.reversed() && r.mode() == OutputMode.SEQUENCES;
                if (r.reversed() && r.mode() != OutputMode.SEQUENCES) {
                    throw new OnnxImportException(source + ": the output of time-reversed " + l + " is read as " + r.mode()
                            + ", which lstm4j does not map");
                }
                LstmLayer.Builder lb = LstmLayer.builder(l.inputSize, l.hiddenSize).name(l.name).direction(l.direction)
                        .mergeMode(l.direction == Direction.BIDIRECTIONAL ? r.merge() : MergeMode.CONCAT)
                        .outputMode(r.mode()).reversedOutputOrder(reversedOut)
                        .activations(l.f, l.g, l.h).cellClip(l.clip).coupledInputForget(l.inputForget).weights(l.weights);
                mb.add(build(() -> lb.build(), l.toString()));
            } else if (c instanceof EmbeddingStage e) {
                mb.add(build(() -> EmbeddingLayer.of(e.name, EmbeddingWeights.fromOnnx(e.vocabulary, e.dimension, e.table)), e.toString()));
            } else {
                DenseStage dst = (DenseStage) c;
                if (r.reversed()) {
                    throw new OnnxImportException(source + ": the output of " + dst + " is read time-reversed by "
                            + (r == main ? "the graph output" : "the next layer") + "; lstm4j maps a time reversal after a dense "
                            + "layer only as the input of a forward LSTM (Keras go_backwards)");
                }
                Activation act = dst.activation == null ? Activation.linear() : dst.activation;
                if (dst.kernel == null) {
                    mb.add(build(() -> ActivationLayer.of(dst.name, dst.units, act), dst.toString()));
                } else {
                    mb.add(build(() -> DenseLayer.of(dst.name, DenseWeights.of(dst.inputSize, dst.units, dst.kernel, dst.bias), act),
                            dst.toString()));
                }
            }
        }
        // Sequence lengths go to every LSTM or to none: they are one property of the batch.
        Set<String> lensPorts = new HashSet<>();
        for (LstmStage l : lstms) {
            lensPorts.add(l.seqLensPort == null ? "" : l.seqLensPort);
        }
        if (lensPorts.size() > 1) {
            throw new OnnxImportException(source + ": sequence_lens is given to some LSTM layers but not others (" + lstms.stream()
                    .map(l -> l.name + ": " + (l.seqLensPort == null ? "none" : "'" + l.seqLensPort + "'")).toList()
                    + "); lstm4j applies one set of lengths to every layer");
        }
        String lensPort = lensPorts.iterator().next();
        // Initial state ports.
        Map<String, List<int[]>> feedRows = new LinkedHashMap<>();
        Map<String, StateFeed> feedKind = new HashMap<>();
        for (int k = 0; k < lstms.size(); k++) {
            for (StateFeed f : lstms.get(k).feeds) {
                StateFeed prev = feedKind.putIfAbsent(f.port(), f);
                if (prev != null && (prev.role() != f.role() || prev.layout() != f.layout())) {
                    throw new OnnxImportException(source + ": graph input '" + f.port() + "' feeds both " + prev.role() + " "
                            + prev.layout() + " and " + f.role() + " " + f.layout());
                }
                feedRows.computeIfAbsent(f.port(), x -> new ArrayList<>()).add(new int[] {(int) f.rowLo(), f.rows(), k});
            }
        }
        Map<String, Port> ports = new LinkedHashMap<>();
        for (ValueInfoProto gi : graph.getInputList()) {
            String n = gi.getName();
            if (n.equals(input.name)) {
                ports.put(n, new Port(n, Port.Role.SEQUENCE_INPUT, input.layout, List.of()));
            } else if (n.equals(lensPort)) {
                ports.put(n, new Port(n, Port.Role.SEQUENCE_LENGTHS, Port.Layout.BATCH_MAJOR, List.of()));
            } else if (feedRows.containsKey(n)) {
                List<int[]> rows = feedRows.get(n);
                rows.sort((a, b) -> Integer.compare(a[0], b[0]));
                int next = 0;
                List<Integer> layers = new ArrayList<>();
                for (int[] r : rows) {
                    if (r[0] != next) {
                        throw new OnnxImportException(source + ": initial-state graph input '" + n + "' is read at rows " + r[0]
                                + ".." + (r[0] + r[1]) + " but rows from " + next + " are not read by the next layer; lstm4j maps "
                                + "a state input that stacks consecutive layers");
                    }
                    next += r[1];
                    layers.add(r[2]);
                }
                Source src = state.inputSources.get(n);
                StateFeed f = feedKind.get(n);
                int rowAxis = f.layout() == Port.Layout.STACKED_BATCHWISE ? 1 : 0;
                if (f.layout() != Port.Layout.SQUEEZED && src.dims[rowAxis].known() && src.dims[rowAxis].value != next) {
                    throw new OnnxImportException(source + ": initial-state graph input '" + n + "' has " + src.dims[rowAxis]
                            + " rows but the layers read only " + next);
                }
                ports.put(n, new Port(n, f.role(), f.layout(), layers));
            }
        }
        if (!ports.containsKey(input.name)) {
            throw state.fail("the sequence input '" + input.name + "' is not a graph input");
        }
        Map<LstmStage, Integer> index = new HashMap<>();
        for (int k = 0; k < lstms.size(); k++) {
            index.put(lstms.get(k), k);
        }
        for (ValueInfoProto o : outs) {
            String n = o.getName();
            if (n.equals(mainName)) {
                Port.Layout layout = main.rawLayout() != null ? main.rawLayout()
                        : main.roles()[0] == Role.TIME ? Port.Layout.TIME_MAJOR : Port.Layout.BATCH_MAJOR;
                ports.put(n, new Port(n, Port.Role.OUTPUT, layout, List.of()));
                continue;
            }
            ports.put(n, statePort(n, state.values.get(n), index, notStream.get(n)));
        }
        mb.ports(new ArrayList<>(ports.values()));
        for (StringStringEntryProto e : state.model.getMetadataPropsList()) {
            mb.metadata(e.getKey(), e.getValue());
        }
        return build(mb::build, "the model");
    }

    private <T> T build(Supplier<T> f, String what) {
        try {
            return f.get();
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new OnnxImportException(source + ": " + what + ": " + e.getMessage(), e);
        }
    }

    private static int depth(Stage s) {
        int d = 0;
        while (!(s instanceof InputStage)) {
            d++;
            s = s.prev.stage();
        }
        return d;
    }

    private Port statePort(String name, Val v, Map<LstmStage, Integer> index, String whyNotOutput) {
        List<View> parts = v instanceof StateStack st ? st.parts() : v instanceof View w ? List.of(w) : List.of();
        String problem = "graph output '" + name + "' is neither the model's output nor a final state of its LSTM layers"
                + (whyNotOutput == null ? "" : " (" + whyNotOutput + ")") + "; lstm4j models have one output";
        if (parts.isEmpty()) {
            throw new OnnxImportException(source + ": " + problem);
        }
        Kind kind = parts.get(0).src.kind;
        if (kind != Kind.LSTM_YH && kind != Kind.LSTM_YC) {
            throw new OnnxImportException(source + ": " + problem);
        }
        Port.Layout layout = null;
        List<Integer> layers = new ArrayList<>();
        for (View w : parts) {
            LstmStage st = (LstmStage) w.src.stage;
            Integer k = index.get(st);
            if (w.src.kind != kind || k == null) {
                throw new OnnxImportException(source + ": " + problem + (k == null ? " (its LSTM is not on the path to the output)" : ""));
            }
            Port.Layout l = stateLayout(w, st);
            if (l == null || layout != null && l != layout) {
                throw new OnnxImportException(source + ": " + problem + " (the state is arranged as " + w + ")");
            }
            layout = l;
            layers.add(k);
        }
        if (layout == Port.Layout.SQUEEZED && layers.size() != 1 || layout == Port.Layout.STACKED_BATCHWISE && parts.size() != 1) {
            throw new OnnxImportException(source + ": " + problem);
        }
        return new Port(name, kind == Kind.LSTM_YH ? Port.Role.FINAL_HIDDEN : Port.Role.FINAL_CELL, layout, layers);
    }

    private static Port.Layout stateLayout(View w, LstmStage st) {
        if (w.sortedBy != null) {
            return null;
        }
        int dir = w.src.axisOf(Role.DIR);
        int batch = w.src.axisOf(Role.BATCH);
        int hid = w.src.axisOf(Role.FEAT);
        if (w.merge != null) {
            return null;
        }
        if (w.rank() == 3 && w.fixed.isEmpty()) {
            int[] order = new int[3];
            for (int i = 0; i < 3; i++) {
                List<Comp> a = w.axes.get(i);
                if (a.size() != 1 || !a.get(0).isFull(w.src)) {
                    return null;
                }
                order[i] = a.get(0).axis;
            }
            if (order[0] == dir && order[1] == batch && order[2] == hid) {
                return Port.Layout.STACKED;
            }
            if (order[0] == batch && order[1] == dir && order[2] == hid) {
                return Port.Layout.STACKED_BATCHWISE;
            }
            return null;
        }
        if (w.rank() == 2 && st.directions() == 1 && w.fixed.size() == 1 && w.fixed.containsKey(dir)) {
            List<Comp> a = w.axes.get(0);
            List<Comp> b = w.axes.get(1);
            if (a.size() == 1 && a.get(0).axis == batch && b.size() == 1 && b.get(0).axis == hid) {
                return Port.Layout.SQUEEZED;
            }
        }
        return null;
    }
}
