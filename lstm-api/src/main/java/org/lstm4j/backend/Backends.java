package org.lstm4j.backend;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.lstm4j.model.SequenceModel;
import org.lstm4j.predict.Predictor;
import org.lstm4j.predict.PredictorOptions;

/**
 * Finds backends on the class path and chooses one, as SLF4J chooses its provider.
 *
 * <ol>
 *   <li>An explicit name ({@link #select(String)}, {@code --backend}) wins;</li>
 *   <li>else the system property {@value #PROPERTY};</li>
 *   <li>else the environment variable {@value #ENVIRONMENT_VARIABLE};</li>
 *   <li>else the available backend with the highest {@link BackendProvider#priority() priority}.</li>
 * </ol>
 * A named backend that is unknown or unavailable is an error (never silently replaced); in the
 * automatic choice, unavailable backends are skipped with a warning. Discovery uses
 * {@link ServiceLoader} with this class's loader, and one provider that fails to load or
 * instantiate is reported without hiding the others.
 *
 * <p>Thread-safe: discovery happens once, selectors are immutable, and each provider's
 * availability is asked once. The static methods use the class path and the real environment, discovered once. Tests and
 * embedders build their own {@link Selector} to inject providers and the environment.
 */
public final class Backends {

    /** The system property that names the backend to use. */
    public static final String PROPERTY = "lstm4j.backend";
    /** The environment variable that names the backend to use, when the property is not set. */
    public static final String ENVIRONMENT_VARIABLE = "LSTM4J_BACKEND";
    /** Where the README explains the choice, for messages. */
    public static final String HELP = "see 'Choosing a backend' in the lstm4j README";

    /** Each provider's availability, by instance (weakly: tests and embedders make providers of their own). */
    private static final Map<BackendProvider, Availability> AVAILABILITY = new WeakHashMap<>();
    private static volatile Selector defaultSelector;

    private Backends() {
    }

    /** The backend the rules above choose. */
    public static BackendProvider select() {
        return defaultSelector().select();
    }

    /** The named backend; {@code null} or blank means "choose by the rules". */
    public static BackendProvider select(String name) {
        return defaultSelector().select(name);
    }

    /** Selects a backend by the rules and compiles {@code model} with it. */
    public static Predictor compile(SequenceModel model, PredictorOptions options) {
        Objects.requireNonNull(model, "model");
        return select().compile(model, options);
    }

    /** Every backend found, with its availability and load failures. */
    public static Report report() {
        return defaultSelector().report(null);
    }

    /** The selector over the class path and the real environment, discovered on first use. */
    public static Selector defaultSelector() {
        Selector s = defaultSelector;
        if (s == null) {
            synchronized (Backends.class) {
                s = defaultSelector;
                if (s == null) {
                    s = new Selector(discover(Backends.class.getClassLoader()), System::getProperty, System::getenv);
                    defaultSelector = s;
                }
            }
        }
        return s;
    }

    /**
     * Whether {@code provider} can run here, asked once per provider instance and remembered: the answer
     * costs a native library load, and it does not change while the JVM runs. A provider whose check throws
     * (an {@link UnsatisfiedLinkError} from natives that do not link, say) is unavailable with that cause.
     * Selection and {@link AbstractBackendProvider#compile} both ask here.
     */
    public static Availability availability(BackendProvider provider) {
        Objects.requireNonNull(provider, "provider");
        synchronized (AVAILABILITY) {
            return AVAILABILITY.computeIfAbsent(provider, Backends::probe);
        }
    }

    /** Whether {@link #availability(BackendProvider)} has been asked for {@code provider} already. */
    static boolean probed(BackendProvider provider) {
        synchronized (AVAILABILITY) {
            return AVAILABILITY.containsKey(provider);
        }
    }

    private static Availability probe(BackendProvider provider) {
        try {
            return Objects.requireNonNull(provider.availability(), "availability() returned null");
        } catch (Throwable t) {
            if (t instanceof VirtualMachineError vme && !(t instanceof StackOverflowError)) {
                throw vme;
            }
            return Availability.unavailable("availability check failed: " + t, t);
        }
    }

    /**
     * Loads every registered provider, each in its own try: a class that is missing or whose
     * constructor throws becomes a {@link Candidate} carrying the error.
     */
    public static List<Candidate> discover(ClassLoader loader) {
        List<Candidate> found = new ArrayList<>();
        Iterator<BackendProvider> it = ServiceLoader.load(BackendProvider.class, loader).iterator();
        while (true) {
            try {
                if (!it.hasNext()) {
                    break;
                }
                found.add(Candidate.of(it.next()));
            } catch (ServiceConfigurationError | LinkageError e) {
                found.add(Candidate.broken(e));
            }
        }
        return found;
    }

    /** A provider found on the class path, or the error that kept one from loading. */
    public static final class Candidate {
        private final BackendProvider provider;
        private final Throwable loadError;

        private Candidate(BackendProvider provider, Throwable loadError) {
            this.provider = provider;
            this.loadError = loadError;
        }

        public static Candidate of(BackendProvider provider) {
            return new Candidate(Objects.requireNonNull(provider, "provider"), null);
        }

        public static Candidate broken(Throwable loadError) {
            return new Candidate(null, loadError);
        }

        public Optional<BackendProvider> provider() {
            return Optional.ofNullable(provider);
        }

        public Optional<Throwable> loadError() {
            return Optional.ofNullable(loadError);
        }

        /** The provider's name, or a description of what failed to load. */
        public String name() {
            return provider != null ? provider.name() : "(failed to load: " + loadError.getMessage() + ")";
        }

        /** Whether {@link #availability()} has been asked already. */
        boolean probed() {
            return provider == null || Backends.probed(provider);
        }

        /** The provider's availability, asked once ({@link Backends#availability(BackendProvider)}). */
        public Availability availability() {
            if (provider == null) {
                return Availability.unavailable("failed to load: " + loadError, loadError);
            }
            return Backends.availability(provider);
        }
    }

    /** What selection saw: every candidate, the one chosen (if any) and why. */
    public record Report(List<Candidate> candidates, Optional<BackendProvider> chosen, String reason) {

        /** A table, one backend per line (name, priority, status, artifact or why it is unavailable), then the choice and why. */
        @Override
        public String toString() {
            StringBuilder out = new StringBuilder(String.format("%-10s %-9s %-11s %s%n", "NAME", "PRIORITY", "STATUS", "DETAIL"));
            for (Candidate c : candidates) {
                if (c.provider().isEmpty()) {
                    out.append(String.format("%-10s %-9s %-11s %s%n", "?", "-", "broken", c.loadError().map(Throwable::toString).orElse("")));
                    continue;
                }
                BackendProvider p = c.provider().get();
                Availability a = c.availability();
                boolean isChosen = chosen.map(x -> x == p).orElse(false);
                out.append(String.format("%-10s %-9d %-11s %s%n", p.name(), p.priority(),
                        a.available() ? (isChosen ? "CHOSEN" : "available") : "unavailable",
                        a.available() ? p.artifact() + ", capabilities: " + p.capabilities().size() : a.reason()));
            }
            out.append(System.lineSeparator());
            out.append(chosen.isPresent() ? "Chosen: " + chosen.get().name() + " (" + reason + ")." : reason);
            return out.toString();
        }
    }

    /** Selection rules over given providers, properties and environment. */
    public static final class Selector {
        private final List<Candidate> candidates;
        private final Function<String, String> properties;
        private final Function<String, String> environment;
        private final SelectionLog log;
        private final AtomicBoolean announced = new AtomicBoolean();

        public Selector(List<Candidate> candidates, Function<String, String> properties, Function<String, String> environment) {
            this(candidates, properties, environment, SelectionLog.standard());
        }

        private Selector(List<Candidate> candidates, Function<String, String> properties, Function<String, String> environment,
                         SelectionLog log) {
            this.candidates = List.copyOf(candidates);
            this.properties = Objects.requireNonNull(properties, "properties");
            this.environment = Objects.requireNonNull(environment, "environment");
            this.log = log;
        }

        /** A selector over providers given directly, with no property and no environment. */
        public static Selector of(BackendProvider... providers) {
            List<Candidate> c = new ArrayList<>();
            for (BackendProvider p : providers) {
                c.add(Candidate.of(p));
            }
            return new Selector(c, k -> null, k -> null);
        }

        public Selector withProperties(Function<String, String> properties) {
            return new Selector(candidates, properties, environment, log);
        }

        public Selector withEnvironment(Function<String, String> environment) {
            return new Selector(candidates, properties, environment, log);
        }

        /** For tests: announcements printed to {@code out} as they are where SLF4J has no provider. */
        Selector withoutSlf4j(java.io.PrintStream out) {
            return new Selector(candidates, properties, environment, SelectionLog.withoutSlf4j(out));
        }

        public List<Candidate> candidates() {
            return candidates;
        }

        public BackendProvider select() {
            return select(null);
        }

        /**
         * The named backend, or the one the rules choose when {@code name} is null or blank; logs once per
         * selector which it chose and why (a named backend is used without probing the others: their engines
         * would load natives, seconds and hundreds of MB with TensorFlow and ND4J).
         *
         * @throws BackendSelectionException with a message saying what to add or set
         */
        public BackendProvider select(String name) {
            Request request = request(name);
            Report r = reportFor(request);
            if (r.chosen().isEmpty()) {
                throw failure(r, request);
            }
            announce(r, request);
            return r.chosen().get();
        }

        /** Applies the rules without throwing; the report's reason says what happened. */
        public Report report(String explicitName) {
            return reportFor(request(explicitName));
        }

        /** A backend asked for by name, and where the name came from. */
        private record Request(String name, String source) {
        }

        /** The precedence: an explicit name, else the system property, else the environment variable; null: choose automatically. */
        private Request request(String explicitName) {
            if (nonBlank(explicitName)) {
                return new Request(explicitName.strip(), "requested by name");
            }
            String p = properties.apply(PROPERTY);
            if (nonBlank(p)) {
                return new Request(p.strip(), "system property " + PROPERTY + "=" + p);
            }
            String e = environment.apply(ENVIRONMENT_VARIABLE);
            if (nonBlank(e)) {
                return new Request(e.strip(), "environment variable " + ENVIRONMENT_VARIABLE + "=" + e);
            }
            return null;
        }

        private Report reportFor(Request request) {
            if (request != null) {
                Optional<Candidate> match = loaded().filter(c -> c.provider.name().equalsIgnoreCase(request.name())).findFirst();
                if (match.isEmpty()) {
                    String missing = "Backend '" + request.name() + "' (" + request.source() + ") is not on the class path, which holds: "
                            + knownNames() + ". ";
                    return new Report(candidates, Optional.empty(), missing + KnownBackends.artifactOf(request.name())
                            .map(a -> "Add " + a + " to use it; ")
                            .orElse("lstm4j has no backend of that name; its backends are " + KnownBackends.describeAll() + "; ") + HELP + ".");
                }
                Availability a = match.get().availability();
                if (!a.available()) {
                    return new Report(candidates, Optional.empty(), "Backend '" + match.get().provider.name() + "' (" + request.source()
                            + ") is on the class path but unavailable: " + a.reason());
                }
                return new Report(candidates, Optional.of(match.get().provider), request.source());
            }

            List<Candidate> loaded = loaded()
                    .sorted(Comparator.comparingInt((Candidate c) -> c.provider.priority()).reversed().thenComparing(c -> c.provider.name()))
                    .collect(Collectors.toList());
            if (loaded.isEmpty()) {
                return new Report(candidates, Optional.empty(), noneFoundMessage());
            }
            // Probe in priority order and stop at the first that loads: starting a native engine takes
            // seconds, and one that will not be used need not be started at all.
            List<String> skipped = new ArrayList<>();
            for (Candidate c : loaded) {
                if (!c.availability().available()) {
                    skipped.add(c.provider.name() + " (" + c.availability().reason() + ")");
                    continue;
                }
                StringBuilder reason = new StringBuilder(loaded.size() == 1 ? "the only backend on the class path"
                        : "highest priority of " + loaded.stream().map(x -> x.provider.name() + " (" + x.provider.priority() + ")")
                        .collect(Collectors.joining(", ")));
                if (!skipped.isEmpty()) {
                    reason.append("; skipped as unavailable: ").append(String.join("; ", skipped));
                }
                return new Report(candidates, Optional.of(c.provider), reason.toString());
            }
            return new Report(candidates, Optional.empty(), "No lstm4j backend is available: " + String.join("; ", skipped)
                    + ". Add org.lstm4j:lstm-backend-java, which needs no native code; " + HELP + ".");
        }

        /**
         * Says once what selection did: the backend chosen and why, the other lstm4j artifacts when the class path
         * holds several (one artifact counts once: lstm-backend-java brings java and java-fast), and, after an
         * automatic choice, the backends it skipped as unavailable.
         */
        private void announce(Report r, Request request) {
            if (!announced.compareAndSet(false, true)) {
                return;
            }
            List<String> warnings = new ArrayList<>();
            for (Candidate c : candidates) {
                // Only candidates selection already probed: asking the others would start their engines.
                if (c.provider == null || request == null && c.probed() && !c.availability().available()) {
                    warnings.add("lstm4j backend " + c.name() + " is unavailable and was skipped: " + c.availability().reason());
                }
            }
            BackendProvider chosen = r.chosen().orElseThrow();
            List<String> artifacts = loaded().map(c -> c.provider.artifact()).distinct().sorted().toList();
            String choice = artifacts.size() > 1
                    ? "Class path contains several lstm4j backends: " + describeLoaded() + ". Using '" + chosen.name() + "' (" + r.reason()
                    + "). Choose another with -D" + PROPERTY + "=NAME or " + ENVIRONMENT_VARIABLE + "=NAME."
                    : "Using lstm4j backend '" + chosen.name() + "' from " + chosen.artifact() + " (" + r.reason() + ").";
            log.announce(warnings, choice);
        }

        /**
         * The exception for a failed selection, caused by the requested backend's own failure (a
         * named backend by property or environment included), else by the first candidate's.
         */
        private BackendSelectionException failure(Report r, Request request) {
            Throwable cause = null;
            for (Candidate c : candidates) {
                // The name first: asking a candidate's availability starts its engine.
                if ((request == null || c.name().equalsIgnoreCase(request.name())) && c.availability().failure().isPresent()) {
                    cause = c.availability().failure().get();
                    break;
                }
            }
            return new BackendSelectionException(r.reason(), cause);
        }

        private java.util.stream.Stream<Candidate> loaded() {
            return candidates.stream().filter(c -> c.provider != null);
        }

        /**
         * The backends on the class path by artifact, without starting any engine:
         * "java, java-fast (org.lstm4j:lstm-backend-java), onnx (org.lstm4j:lstm-backend-onnx)".
         */
        public String describe() {
            String loaded = describeLoaded();
            return loaded.isEmpty() ? "none" : loaded;
        }

        private String describeLoaded() {
            return loaded().collect(Collectors.groupingBy(c -> c.provider.artifact(), java.util.TreeMap::new,
                    Collectors.mapping(c -> c.provider.name(), Collectors.joining(", "))))
                    .entrySet().stream().map(e -> e.getValue() + " (" + e.getKey() + ")").collect(Collectors.joining(", "));
        }

        private String knownNames() {
            List<String> names = loaded().map(c -> c.provider.name()).sorted().collect(Collectors.toList());
            return names.isEmpty() ? "none" : String.join(", ", names);
        }

        private String noneFoundMessage() {
            StringBuilder sb = new StringBuilder("No lstm4j backends were found on the class path. Add one of: "
                    + KnownBackends.describeAll() + " (org.lstm4j:lstm-backend-java needs no native code); " + HELP + ".");
            for (Candidate c : candidates) {
                c.loadError().ifPresent(e -> sb.append(" A provider failed to load: ").append(e));
            }
            return sb.toString();
        }

        private static boolean nonBlank(String s) {
            return s != null && !s.isBlank();
        }
    }

}
