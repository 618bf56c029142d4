package org.lstm4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.lstm4j.backend.Backends;
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

/** {@code lstm predict}: runs a model file on .npy inputs and writes every graph output as .npy. */
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

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        SequenceModel m = OnnxImporter.importModel(model);
        Map<String, FloatTensor> floats = new LinkedHashMap<>();
        // Integer and bool files: token ids for a model that starts with an embedding, lengths, or a mask, by the input's port.
        Map<String, IntTensor> integers = new LinkedHashMap<>();
        for (String spec : inputs) {
            int eq = spec.indexOf('=');
            String name = eq < 0 ? m.inputPorts().get(0).name() : spec.substring(0, eq);
            Path file = Path.of(eq < 0 ? spec : spec.substring(eq + 1));
            NpyArray a = Npy.read(file);
            if (a.dtype().isFloatingPoint()) {
                floats.put(name, a.toFloatTensor());
            } else {
                integers.put(name, a.toIntTensor());
            }
        }
        SequenceBatch batch = PortBinding.batchOf(m, floats, integers);
        Files.createDirectories(outputDir);
        try (Predictor p = Backends.select(backend).compile(m)) {
            Prediction prediction = p.predict(batch);
            for (Map.Entry<String, FloatTensor> e : PortBinding.toOutputs(m, prediction).entrySet()) {
                Path target = outputDir.resolve(fileName(e.getKey()) + ".npy");
                Npy.write(target, e.getValue());
                out.println("wrote " + target + " " + java.util.Arrays.toString(e.getValue().shape()));
            }
            out.println("backend: " + p.backendName());
        }
        return 0;
    }

    /** Graph names may hold characters a file name cannot ('/' and ':' from TensorFlow, say). */
    static String fileName(String graphName) {
        return graphName.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
