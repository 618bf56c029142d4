package org.lstm4j.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.Callable;
import org.lstm4j.backend.BackendProvider;
import org.lstm4j.backend.Backends;
import org.lstm4j.backend.Capabilities;
import org.lstm4j.backend.Capability;
import org.lstm4j.backend.onnx.OnnxRuntimeBackendProvider;
import org.lstm4j.backend.onnx.RawOnnxModel;
import org.lstm4j.model.Layer;
import org.lstm4j.model.Port;
import org.lstm4j.model.SequenceModel;
import org.lstm4j.onnx.OnnxImportException;
import org.lstm4j.onnx.OnnxImporter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code lstm inspect M.onnx}: what the importer made of a model file, and who can run it. */
@Command(name = "inspect", description = "Print the imported model (layers, sizes, parameters, graph inputs and outputs, "
        + "which backends can run it), or why it cannot be imported and whether it runs raw (as it is, in ONNX Runtime).")
final class InspectCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL", description = "An .onnx file.")
    Path model;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        SequenceModel m;
        try {
            m = OnnxImporter.importModel(model);
        } catch (OnnxImportException e) {
            out.println(model + " cannot be imported as an LSTM model:");
            out.println("  " + e.getMessage());
            describeRaw(out);
            return 1;
        }
        out.println("Model '" + m.name() + "' from " + model);
        out.printf("  input: %d features per step; output: %s%n", m.inputSize(),
                m.outputsSequences() ? "[batch, time, " + m.outputSize() + "]" : "[batch, " + m.outputSize() + "]");
        out.printf("  parameters: %,d%n", m.parameterCount());
        out.println("Layers:");
        int i = 0;
        for (Layer l : m.layers()) {
            out.printf("  %d. %s (%,d parameters)%n", i++, l, l.parameterCount());
        }
        out.println("Graph inputs:");
        for (Port p : m.inputPorts()) {
            out.println("  " + describe(p));
        }
        out.println("Graph outputs:");
        for (Port p : m.outputPorts()) {
            out.println("  " + describe(p));
        }
        if (!m.metadata().isEmpty()) {
            out.println("Metadata:");
            m.metadata().forEach((k, v) -> out.println("  " + k + " = " + v));
        }
        out.println("Backends:");
        Set<Capability> needs = Capabilities.requiredBy(m);
        for (Backends.Candidate c : Backends.defaultSelector().candidates()) {
            if (c.provider().isEmpty()) {
                continue;
            }
            BackendProvider p = c.provider().get();
            Set<Capability> missing = EnumSet.noneOf(Capability.class);
            missing.addAll(needs);
            missing.removeAll(p.capabilities());
            String verdict = !c.availability().available() ? "unavailable: " + c.availability().reason()
                    : missing.isEmpty() ? "can run it" : "cannot run it: lacks " + missing;
            out.printf("  %-9s %s%n", p.name(), verdict);
        }
        return 0;
    }

    /** Whether ONNX Runtime runs the file as it is, and how (raw mode), or why not. */
    private void describeRaw(PrintWriter out) {
        try (RawOnnxModel raw = OnnxRuntimeBackendProvider.openRaw(model)) {
            out.println("It can only run raw: as it is in ONNX Runtime (backend onnx), by its graph's names:");
            out.println("  " + raw.signature());
            StringBuilder cmd = new StringBuilder("  lstm predict --raw --model ").append(model);
            for (String in : raw.inputNames()) {
                cmd.append(" --input ").append(in).append('=').append(PredictCommand.fileName(in)).append(".npy");
            }
            out.println(cmd.append(" --output-dir out/"));
        } catch (RuntimeException | LinkageError e) {
            out.println("ONNX Runtime cannot run it as it is either: " + e.getMessage());
        }
    }

    private static String describe(Port p) {
        String layers = p.lstmLayers().isEmpty() ? "" : " of LSTM layer(s) " + p.lstmLayers();
        return "'" + p.name() + "': " + p.role().name().toLowerCase().replace('_', ' ') + layers + ", " + p.layout().name().toLowerCase();
    }
}
