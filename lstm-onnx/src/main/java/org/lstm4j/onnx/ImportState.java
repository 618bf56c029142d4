package org.lstm4j.onnx;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.lstm4j.onnx.Stages.InputStage;
import org.lstm4j.onnx.Values.Source;
import org.lstm4j.onnx.Values.Val;
import org.lstm4j.onnx.proto.OnnxProto.GraphProto;
import org.lstm4j.onnx.proto.OnnxProto.ModelProto;

/**
 * What one import knows so far: the value of every tensor name met, the graph inputs as data
 * sources, and the graph inputs an LSTM reads as its sequence. Shared by the orchestrator, the
 * handlers (through {@link Node}) and the model assembly. Package-private; one per import.
 */
final class ImportState {
    final ModelProto model;
    final GraphProto graph;
    final String source;
    final TensorReader reader;
    final OnnxImportOptions options;
    /** The version of the default ONNX operator set the model imports. */
    final int opset;
    final Map<String, Val> values = new HashMap<>();
    final Map<String, Source> inputSources = new LinkedHashMap<>();
    final Map<String, InputStage> inputStages = new LinkedHashMap<>();
    /** The graph inputs of an integer type (token ids, lengths, masks). */
    final Set<String> integerInputs = new HashSet<>();

    ImportState(ModelProto model, String source, TensorReader reader, OnnxImportOptions options, int opset) {
        this.model = model;
        this.graph = model.getGraph();
        this.source = source;
        this.reader = reader;
        this.options = options;
        this.opset = opset;
    }

    /** Whether {@code v} is a view of an integer graph input (token ids, for instance). */
    boolean isIntegerInput(Values.Val v) {
        return v instanceof Values.View w && w.src.kind == Values.Kind.INPUT && integerInputs.contains(w.src.inputName);
    }

    /** An error about the file as a whole (no node to blame). */
    OnnxImportException fail(String reason) {
        return new OnnxImportException(source + ": " + reason);
    }
}
