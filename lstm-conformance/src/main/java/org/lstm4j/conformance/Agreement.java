package org.lstm4j.conformance;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.lstm4j.backend.BackendProvider;
import org.lstm4j.backend.Backends;
import org.lstm4j.backend.Capabilities;
import org.lstm4j.backend.UnsupportedInputException;
import org.lstm4j.backend.UnsupportedModelException;
import org.lstm4j.backend.java.ReferenceBackendProvider;
import org.lstm4j.model.SequenceModel;
import org.lstm4j.predict.PortBinding;
import org.lstm4j.predict.Predictor;
import org.lstm4j.predict.SequenceBatch;
import org.lstm4j.tensor.FloatTensor;
import org.lstm4j.testing.Tolerance;

/**
 * Runs one model on several backends and compares every pair of results, output by output: the
 * check behind {@code lstm conformance} and {@link AgreementAssertions}. A backend that cannot
 * run the model (it lacks a capability) is reported as such, not counted as agreeing.
 */
public final class Agreement {

    /** One backend's outputs by graph name, or why it produced none. */
    public record Run(String backend, Map<String, FloatTensor> outputs, String skipped) {
        public boolean ran() {
            return skipped == null;
        }
    }

    /** The largest differences between two backends over every output, and whether they are within tolerance. */
    public record Pair(String first, String second, double maxAbsolute, double maxRelative, boolean agrees, String worst) {
    }

    /** All runs and pairs. */
    public record Report(SequenceModel model, Tolerance tolerance, List<Run> runs, List<Pair> pairs) {

        public boolean agrees() {
            return pairs.stream().allMatch(Pair::agrees);
        }

        public Optional<Pair> pair(String a, String b) {
            return pairs.stream().filter(p -> p.first.equals(a) && p.second.equals(b) || p.first.equals(b) && p.second.equals(a)).findFirst();
        }

        /** The matrix of max absolute and relative differences, every pair, as text. */
        public String matrix() {
            List<String> names = runs.stream().filter(Run::ran).map(Run::backend).toList();
            StringBuilder sb = new StringBuilder();
            sb.append("max |a - b| (upper) and max |a - b| / max(|a|, |b|) (lower); tolerance ").append(tolerance).append('\n');
            sb.append(String.format("%-10s", ""));
            names.forEach(n -> sb.append(String.format("%12s", n)));
            sb.append('\n');
            for (int i = 0; i < names.size(); i++) {
                sb.append(String.format("%-10s", names.get(i)));
                for (int j = 0; j < names.size(); j++) {
                    if (i == j) {
                        sb.append(String.format("%12s", "-"));
                        continue;
                    }
                    Pair p = pair(names.get(i), names.get(j)).orElseThrow();
                    double v = i < j ? p.maxAbsolute : p.maxRelative;
                    sb.append(String.format("%11.2e%s", v, p.agrees ? " " : "!"));
                }
                sb.append('\n');
            }
            for (Run r : runs) {
                if (!r.ran()) {
                    sb.append(r.backend).append(": not run: ").append(r.skipped).append('\n');
                }
            }
            for (Pair p : pairs) {
                if (!p.agrees) {
                    sb.append("DISAGREE ").append(p.first).append(" vs ").append(p.second).append(": ").append(p.worst).append('\n');
                }
            }
            return sb.toString();
        }
    }

    private Agreement() {
    }

    /** Every available backend on the class path, the reference engine first. */
    public static List<BackendProvider> availableBackends() {
        List<BackendProvider> out = new ArrayList<>();
        for (Backends.Candidate c : Backends.defaultSelector().candidates()) {
            if (c.provider().isPresent() && c.availability().available()) {
                out.add(c.provider().get());
            }
        }
        out.sort((a, b) -> a.name().equals(ReferenceBackendProvider.NAME) ? -1 : b.name().equals(ReferenceBackendProvider.NAME) ? 1
                : a.name().compareTo(b.name()));
        return out;
    }

    public static Report check(SequenceModel model, SequenceBatch batch, List<BackendProvider> backends, Tolerance tolerance) {
        List<Run> runs = runs(model, batch, backends);
        List<Pair> pairs = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            for (int j = i + 1; j < runs.size(); j++) {
                if (runs.get(i).ran() && runs.get(j).ran()) {
                    pairs.add(compare(runs.get(i), runs.get(j), tolerance));
                }
            }
        }
        return new Report(model, tolerance, runs, pairs);
    }

    /** How far one backend's output is from an independent source's (a framework's, a golden's). */
    public record Deviation(String backend, String output, Tolerance.Comparison comparison) {
        public boolean within() {
            return comparison.passed();
        }
    }

    /**
     * Every backend that ran, output by output, against {@code expected} (by graph output name; a framework's
     * outputs, so its values are the expected ones and the relative part of the tolerance scales with them).
     */
    public static List<Deviation> deviations(List<Run> runs, Map<String, FloatTensor> expected, Tolerance tolerance) {
        List<Deviation> out = new ArrayList<>();
        for (Run run : runs) {
            if (!run.ran()) {
                continue;
            }
            for (Map.Entry<String, FloatTensor> e : expected.entrySet()) {
                FloatTensor got = run.outputs().get(e.getKey());
                Tolerance.Comparison c = got != null ? tolerance.compare(e.getValue(), got)
                        : new Tolerance.Comparison(false, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, -1,
                                "no output named '" + e.getKey() + "' (the model's outputs: " + run.outputs().keySet() + ")");
                out.add(new Deviation(run.backend(), e.getKey(), c));
            }
        }
        return out;
    }

    /** Each backend's outputs for {@code batch} by graph output name, or why it cannot run the model. */
    public static List<Run> runs(SequenceModel model, SequenceBatch batch, List<BackendProvider> backends) {
        List<Run> runs = new ArrayList<>();
        for (BackendProvider b : backends) {
            try {
                Capabilities.requireSupported(b, model);
                try (Predictor p = b.compile(model)) {
                    runs.add(new Run(b.name(), PortBinding.toOutputs(model, p.predict(batch)), null));
                }
            } catch (UnsupportedModelException | UnsupportedInputException e) {
                runs.add(new Run(b.name(), Map.of(), e.getMessage()));
            }
        }
        return runs;
    }

    /**
     * Compares two runs. When one of them is the reference engine its values are the expected ones;
     * otherwise the tolerance's relative part applies to the larger magnitude of the two.
     */
    static Pair compare(Run a, Run b, Tolerance tolerance) {
        boolean aIsReference = a.backend.equals(ReferenceBackendProvider.NAME);
        double maxAbs = 0;
        double maxRel = 0;
        boolean agrees = true;
        String worst = "";
        Map<String, FloatTensor> left = new LinkedHashMap<>(a.outputs);
        for (Map.Entry<String, FloatTensor> e : left.entrySet()) {
            FloatTensor x = e.getValue();
            FloatTensor y = b.outputs.get(e.getKey());
            if (y == null || !Arrays.equals(x.shape(), y.shape())) {
                return new Pair(a.backend, b.backend, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, false,
                        "output '" + e.getKey() + "' has shape " + (y == null ? "none" : Arrays.toString(y.shape())) + " vs "
                                + Arrays.toString(x.shape()));
            }
            for (int k = 0; k < x.size(); k++) {
                double u = x.get(k);
                double v = y.get(k);
                double diff = Math.abs(u - v);
                double scale = aIsReference ? Math.abs(u) : b.backend.equals(ReferenceBackendProvider.NAME) ? Math.abs(v) : Math.max(Math.abs(u), Math.abs(v));
                boolean ok = Double.isNaN(u) || Double.isNaN(v) ? Double.isNaN(u) && Double.isNaN(v)
                        : diff <= tolerance.absolute() + tolerance.relative() * scale;
                if (!Double.isNaN(diff)) {
                    if (diff > maxAbs) {
                        maxAbs = diff;
                        if (!ok || worst.isEmpty()) {
                            worst = "output '" + e.getKey() + "' element " + k + ": " + u + " vs " + v;
                        }
                    }
                    double mag = Math.max(Math.abs(u), Math.abs(v));
                    if (mag > 0) {
                        maxRel = Math.max(maxRel, diff / mag);
                    }
                }
                if (!ok && agrees) {
                    agrees = false;
                    worst = "output '" + e.getKey() + "' element " + k + ": " + u + " vs " + v + " (|diff| " + diff + ")";
                }
            }
        }
        return new Pair(a.backend, b.backend, maxAbs, maxRel, agrees, worst);
    }
}
