package org.lstm4j.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.lstm4j.cli.keras.KerasContainerExporter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code lstm keras-export --model M.keras --out DIR}: the Keras -> ONNX export in a Docker container. */
@Command(name = "keras-export", description = "Convert a Keras 3 model (.keras) to ONNX with tools/keras/export_keras.py "
        + "inside a Docker container (tools/keras/Dockerfile), for machines without Python. Needs a running Docker "
        + "engine; without one, run export_keras.py with Python as tools/keras/README.md says.")
final class KerasExportCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "M.keras", description = "The Keras model file.")
    Path model;

    @Option(names = "--out", required = true, paramLabel = "DIR",
            description = "Where model.onnx, input.npy, keras_output.npy and export.json go (created if missing).")
    Path out;

    @Option(names = "--time-steps", defaultValue = "0", paramLabel = "T",
            description = "Time steps of the sample input; needed when the model's time dimension is None "
                    + "(default: 0, the model's own).")
    int timeSteps;

    @Override
    public Integer call() {
        Path onnx = new KerasContainerExporter().export(model, out, timeSteps);
        spec.commandLine().getOut().println("wrote " + onnx + " and, beside it, "
                + String.join(", ", KerasContainerExporter.OUTPUT_FILES.subList(1, KerasContainerExporter.OUTPUT_FILES.size()))
                + " (Keras's sample input and prediction, and the export's record)");
        return 0;
    }
}
