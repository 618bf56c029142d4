package org.lstm4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Callable;
import org.lstm4j.backend.BackendProvider;
import org.lstm4j.backend.Backends;
import org.lstm4j.backend.java.ReferenceBackendProvider;
import org.lstm4j.conformance.Agreement;
import org.lstm4j.testing.Fixture;
import org.lstm4j.testing.Tolerance;
import org.lstm4j.model.SequenceModel;
import org.lstm4j.onnx.OnnxImporter;
import org.lstm4j.predict.PortBinding;
import org.lstm4j.predict.SequenceBatch;
import org.lstm4j.tensor.FloatTensor;
import org.lstm4j.tensor.Npy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code lstm conformance}: run a model on every backend and show how far apart their answers are. */
@Command(name = "conformance", sortOptions = false,
        description = {"Run a model on every available backend and print a matrix of max absolute and relative differences",
            "(every pair, the reference engine 'java' among them). Exits 1 when a pair disagrees beyond the tolerance.",
            "With --fixtures: the same over lstm4j's whole golden corpus."})
final class ConformanceCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--model", paramLabel = "M.onnx", description = "The model file.")
    Path model;

    @Option(names = "--input", paramLabel = "FILE.npy", description = "Input [batch, time, features] (default: --random 4).")
    Path input;

    @Option(names = "--random", paramLabel = "N", description = "N random sequences (uniform in [-1, 1), seed 1) of --time steps.")
    Integer random;

    @Option(names = "--time", paramLabel = "T", description = "Steps per random sequence (default 16).")
    int time = 16;

    @Option(names = "--fixtures", description = "Check every model of the golden corpus instead of one file.")
    boolean fixtures;

    @Option(names = "--backends", split = ",", paramLabel = "a,b,c", description = "Backends to compare (default: every available one).")
    List<String> backends;

    @Option(names = "--atol", description = "Absolute tolerance (default 1e-5).")
    double atol = 1e-5;

    @Option(names = "--rtol", description = "Relative tolerance (default 1e-5).")
    double rtol = 1e-5;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        List<BackendProvider> chosen = new ArrayList<>();
        if (backends == null) {
            chosen.addAll(Agreement.availableBackends());
        } else {
            for (String name : backends) {
                chosen.add(Backends.select(name));
            }
        }
        out.println("backends: " + chosen.stream().map(BackendProvider::name).toList());
        Tolerance tolerance = new Tolerance(atol, rtol);
        if (fixtures) {
            return corpus(out, chosen, tolerance);
        }
        if (model == null) {
            throw new IllegalArgumentException("give --model M.onnx (or --fixtures)");
        }
        SequenceModel m = OnnxImporter.importModel(model);
        FloatTensor x;
        if (input != null) {
            x = Npy.read(input).toFloatTensor();
        } else {
            int n = random == null ? 4 : random;
            Random rnd = new Random(1);
            float[] v = new float[n * time * m.inputSize()];
            for (int i = 0; i < v.length; i++) {
                v[i] = rnd.nextFloat() * 2 - 1;
            }
            x = FloatTensor.of(new int[] {n, time, m.inputSize()}, v);
        }
        out.println("model: " + model + ", input " + Arrays.toString(x.shape()));
        Agreement.Report r = Agreement.check(m, SequenceBatch.of(x), chosen, tolerance);
        out.print(r.matrix());
        out.println(r.agrees() ? "all pairs agree" : "backends DISAGREE");
        return r.agrees() ? 0 : 1;
    }

    private static double maxAbsDiff(FloatTensor a, FloatTensor b) {
        double max = 0;
        for (int k = 0; k < a.size(); k++) {
            max = Math.max(max, Math.abs(a.get(k) - b.get(k)));
        }
        return max;
    }

    private int corpus(PrintWriter out, List<BackendProvider> chosen, Tolerance tolerance) {
        List<Fixture> all = Fixture.all().stream().filter(Fixture::expectsMatch).toList();
        Progress progress = new Progress(spec.commandLine().getErr(), "fixtures", all.size());
        int failures = 0;
        double[] worstVsReference = new double[chosen.size()];
        double[] worstVsGolden = new double[chosen.size()];
        for (int i = 0; i < all.size(); i++) {
            Fixture f = all.get(i);
            progress.update(i, f.id());
            Agreement.Report r;
            try {
                SequenceModel m = OnnxImporter.importModel(f.modelBytes(), f.id());
                SequenceBatch batch = PortBinding.batchOf(m, f.floatInputs(), f.integerInputs());
                r = Agreement.check(m, batch, chosen, tolerance.absolute() > f.tolerance().absolute() ? tolerance : f.tolerance());
            } catch (RuntimeException e) {
                failures++;
                out.println(f.id() + ": " + e.getMessage());
                continue;
            }
            Map<String, FloatTensor> golden = f.expected();
            for (int b = 0; b < chosen.size(); b++) {
                String name = chosen.get(b).name();
                Optional<Agreement.Pair> vsReference = r.pair(ReferenceBackendProvider.NAME, name);
                if (vsReference.isPresent()) {
                    worstVsReference[b] = Math.max(worstVsReference[b], vsReference.get().maxAbsolute());
                }
                for (Agreement.Run run : r.runs()) {
                    if (run.backend().equals(name) && run.ran()) {
                        for (Map.Entry<String, FloatTensor> e : golden.entrySet()) {
                            worstVsGolden[b] = Math.max(worstVsGolden[b], maxAbsDiff(e.getValue(), run.outputs().get(e.getKey())));
                        }
                    }
                }
            }
            if (!r.agrees()) {
                failures++;
                out.println(f.id() + ":");
                out.print(r.matrix());
            }
        }
        progress.update(all.size(), null);
        out.println(all.size() + " fixtures, " + failures + " with disagreeing backends");
        out.printf("  %-10s %28s %32s%n", "backend", "max |diff| vs reference 'java'", "max |diff| vs the fixtures' source");
        for (int b = 0; b < chosen.size(); b++) {
            out.printf("  %-10s %28.2e %32.2e%n", chosen.get(b).name(), worstVsReference[b], worstVsGolden[b]);
        }
        return failures == 0 ? 0 : 1;
    }
}
