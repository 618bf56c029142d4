package org.lstm4j.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.lstm4j.conformance.keras.KerasContainerExporter;
import org.lstm4j.conformance.keras.KerasContainerOptions;
import org.lstm4j.conformance.keras.KerasExport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code lstm keras-export --model M.keras --out DIR}: the Keras -> ONNX export in a Docker container. */
@Command(name = "keras-export", description = {"Convert a Keras 3 model (.keras) to ONNX with tools/keras/export_keras.py "
        + "inside a Docker container (tools/keras/Dockerfile), for machines without Python. Needs a running Docker "
        + "engine; without one, run export_keras.py with Python as tools/keras/README.md says.",
        "Without Docker Hub or PyPI: eval \"$(tools/docker/local-engine.sh start)\" first; it sets "
        + KerasContainerOptions.BASE_IMAGE_VARIABLE + " and " + KerasContainerOptions.WHEELHOUSE_VARIABLE
        + ", the defaults of --base-image and --wheelhouse."})
final class KerasExportCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "M.keras", description = "The Keras model file.")
    Path model;

    @Option(names = "--out", required = true, paramLabel = "DIR",
            description = "Where model.onnx, input.npy, keras_output.npy, export.json, inputs/ and expected/ go (created if missing).")
    Path out;

    @Option(names = "--time-steps", defaultValue = "0", paramLabel = "T",
            description = "Time steps of the sample input; needed when the model's time dimension is None "
                    + "(default: 0, the model's own).")
    int timeSteps;

    @Option(names = "--base-image", paramLabel = "IMAGE", description = "The image to build FROM: Python 3.11 with pip "
            + "(default: $" + KerasContainerOptions.BASE_IMAGE_VARIABLE + ", else the Dockerfile's python:3.11-slim).")
    String baseImage;

    @Option(names = "--wheelhouse", paramLabel = "DIR", description = "Install the pinned packages offline from these wheels "
            + "(default: $" + KerasContainerOptions.WHEELHOUSE_VARIABLE + ", else from PyPI).")
    Path wheelhouse;

    @Option(names = "--network", paramLabel = "MODE", description = "Network mode of the export run "
            + "(default: $" + KerasContainerOptions.NETWORK_VARIABLE + ", else none: the export needs no network).")
    String network;

    @Override
    public Integer call() {
        KerasContainerOptions options = KerasContainerOptions.fromEnvironment();
        if (baseImage != null) {
            options = options.withBaseImage(baseImage);
        }
        if (wheelhouse != null) {
            options = options.withWheelhouse(wheelhouse);
        }
        if (network != null) {
            options = options.withNetwork(network);
        }
        KerasExport export = new KerasContainerExporter(options).export(model, out, timeSteps);
        // export_keras.py's summary (route, graph names, ops, ONNX Runtime vs Keras), without TensorFlow's start-up notices
        export.log().stream().filter(l -> l.startsWith("route:") || l.startsWith("inputs:") || l.startsWith("ops:")
                || l.startsWith("ONNX Runtime")).forEach(spec.commandLine().getOut()::println);
        spec.commandLine().getOut().println("wrote " + export.model() + " and, beside it, "
                + String.join(", ", KerasContainerExporter.OUTPUT_FILES.subList(1, KerasContainerExporter.OUTPUT_FILES.size()))
                + ", inputs/ and expected/ (Keras's sample input and prediction, and the export's record)");
        return 0;
    }
}
