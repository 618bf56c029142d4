package org.lstm4j.conformance.keras;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.lstm4j.tensor.FloatTensor;
import org.lstm4j.tensor.Npy;

/**
 * What one container export wrote into {@link #folder()}: {@code model.onnx}, the inputs Keras was fed
 * ({@code inputs/<name>.npy}) and Keras's own outputs for them ({@code expected/<name>.npy}), keyed by the ONNX
 * graph's input and output names; also {@code input.npy}, {@code keras_output.npy} (the first of each) and
 * {@code export.json} (route, versions, ONNX Runtime's largest difference from Keras).
 *
 * @param inputNames  the ONNX graph's inputs (the Keras input names), in order
 * @param outputNames the ONNX graph's outputs, in order
 * @param log         what {@code export_keras.py} printed (route, ops, ONNX Runtime vs Keras)
 */
public record KerasExport(Path folder, List<String> inputNames, List<String> outputNames, List<String> log) {

    public KerasExport {
        inputNames = List.copyOf(inputNames);
        outputNames = List.copyOf(outputNames);
        log = List.copyOf(log);
    }

    public Path model() {
        return folder.resolve("model.onnx");
    }

    /** The inputs Keras was fed, by graph input name. */
    public Map<String, FloatTensor> inputs() {
        return read("inputs", inputNames);
    }

    /** Keras's outputs for {@link #inputs()}, by graph output name. */
    public Map<String, FloatTensor> expected() {
        return read("expected", outputNames);
    }

    private Map<String, FloatTensor> read(String sub, List<String> names) {
        Map<String, FloatTensor> out = new LinkedHashMap<>();
        for (String n : names) {
            Path file = folder.resolve(sub).resolve(n + ".npy");
            try {
                out.put(n, Npy.read(file).toFloatTensor());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file + " of the Keras export", e);
            }
        }
        return out;
    }
}
