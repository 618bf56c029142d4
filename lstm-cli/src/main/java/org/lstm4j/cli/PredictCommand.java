package org.lstm4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.lstm4j.backend.Backends;
import org.lstm4j.backend.onnx.OnnxRuntimeBackendProvider;
import org.lstm4j.backend.onnx.RawOnnxModel;
import org.lstm4j.model.SequenceModel;
import org.lstm4j.onnx.OnnxImporter;
import org.lstm4j.predict.PortBinding;
import org.lstm4j.predict.Prediction;
import org.lstm4j.predict.Predictor;
import org.lstm4j.predict.SequenceBatch;
import org.lstm4j.tensor.FloatTensor;
import org.lstm4j.tensor.IntTensor;
import org.lstm4j.tensor.Npy;
import org.lstm4j.tensor.NpyArray;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code lstm predict}: runs a model file on .npy inputs and writes every graph output as .npy,
 * through the importer and a backend, or with {@code --raw} as it is in ONNX Runtime.
 */
@Command(name = "predict", description = "Run a model on .npy inputs; writes DIR/<graph output name>.npy for every graph output.")
final class PredictCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "M.onnx", description = "The model file.")
    Path model;

    @Option(names = "--input", required = true, paramLabel = "NAME=FILE.npy",
            description = "A graph input and its .npy file; repeat for each input. FILE.npy alone feeds the first graph input. "
                    + "Float files are features or states; int32, int64 or bool files are token ids, lengths or a mask, as the input is.")
    List<String> inputs = new ArrayList<>();

    @Option(names = "--output-dir", required = true, paramLabel = "DIR", description = "Where to write the outputs.")
    Path outputDir;

    @Option(names = "--backend", paramLabel = "NAME", description = "Backend to run on (default: chosen by the rules of 'lstm backends').")
    String backend;

    @Option(names = "--raw", description = "Run the file as it is in ONNX Runtime (backend onnx), by its graph's own names, without "
            + "importing it: for models outside the LSTM family ('lstm inspect' says when a model can only run so). Float .npy "
            + "files feed float inputs, integer and bool ones integer inputs; integer outputs are written as int32 .npy.")
    boolean raw;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        Map<String, NpyArray> arrays = new LinkedHashMap<>();
        Map<String, Path> bare = new LinkedHashMap<>();
        for (String s : inputs) {
            int eq = s.indexOf('=');
            Path file = Path.of(eq < 0 ? s : s.substring(eq + 1));
            if (eq < 0) {
                bare.put(s, file);
            } else {
                arrays.put(s.substring(0, eq), Npy.read(file));
            }
        }
        Files.createDirectories(outputDir);
        if (raw) {
            return runRaw(out, arrays, bare);
        }
        SequenceModel m = OnnxImporter.importModel(model);
        for (Path file : bare.values()) {
            arrays.put(m.inputPorts().get(0).name(), Npy.read(file));
        }
        Map<String, FloatTensor> floats = new LinkedHashMap<>();
        Map<String, IntTensor> ints = new LinkedHashMap<>();
        split(arrays, floats, ints);
        SequenceBatch batch = PortBinding.batchOf(m, floats, ints);
        try (Predictor p = Backends.select(backend).compile(m)) {
            Prediction prediction = p.predict(batch);
            for (Map.Entry<String, FloatTensor> e : PortBinding.toOutputs(m, prediction).entrySet()) {
                write(out, e.getKey(), e.getValue().shape(), target -> Npy.write(target, e.getValue()));
            }
            out.println("backend: " + p.backendName());
        }
        return 0;
    }

    private int runRaw(PrintWriter out, Map<String, NpyArray> arrays, Map<String, Path> bare) throws IOException {
        if (backend != null && !backend.equals("onnx")) {
            throw new IllegalArgumentException("--raw runs the graph as it is in ONNX Runtime (backend onnx); backend '" + backend
                    + "' runs imported models only");
        }
        try (RawOnnxModel m = OnnxRuntimeBackendProvider.openRaw(model)) {
            for (Path file : bare.values()) {
                arrays.put(m.inputNames().iterator().next(), Npy.read(file));
            }
            Map<String, FloatTensor> floats = new LinkedHashMap<>();
            Map<String, IntTensor> ints = new LinkedHashMap<>();
            split(arrays, floats, ints);
            RawOnnxModel.Outputs result = m.runAll(floats, ints);
            for (Map.Entry<String, FloatTensor> e : result.floats().entrySet()) {
                write(out, e.getKey(), e.getValue().shape(), target -> Npy.write(target, e.getValue()));
            }
            for (Map.Entry<String, IntTensor> e : result.ints().entrySet()) {
                write(out, e.getKey(), e.getValue().shape(), target -> Npy.write(target, e.getValue()));
            }
        }
        out.println("backend: onnx (raw: the graph as it is)");
        return 0;
    }

    private static void split(Map<String, NpyArray> arrays, Map<String, FloatTensor> floats, Map<String, IntTensor> ints) {
        arrays.forEach((name, a) -> {
            if (a.dtype().isFloatingPoint()) {
                floats.put(name, a.toFloatTensor());
            } else {
                ints.put(name, a.toIntTensor());
            }
        });
    }

    private interface Writer {
        void write(Path target) throws IOException;
    }

    private void write(PrintWriter out, String graphName, int[] shape, Writer writer) throws IOException {
        Path target = outputDir.resolve(fileName(graphName) + ".npy");
        writer.write(target);
        out.println("wrote " + target + " " + Arrays.toString(shape));
    }

    /** Graph names may hold characters a file name cannot ('/' and ':' from TensorFlow, say). */
    static String fileName(String graphName) {
        return graphName.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
