package org.lstm4j.backend;

import java.io.PrintStream;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.helpers.NOPLoggerFactory;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * Where selection says what it did: SLF4J at INFO (the choice) and WARN (backends skipped). Without any
 * SLF4J provider on the class path those lines would go nowhere, so the first selection of the JVM then
 * prints them once to standard error, as SLF4J itself prints its own "No SLF4J providers were found".
 */
final class SelectionLog {

    private static final Logger LOG = LoggerFactory.getLogger(Backends.class);
    private static final AtomicBoolean PRINTED = new AtomicBoolean();

    private final PrintStream fallback;
    private final boolean noProvider;

    private SelectionLog(PrintStream fallback, boolean noProvider) {
        this.fallback = fallback;
        this.noProvider = noProvider;
    }

    /** Logs through SLF4J, or to standard error (once per JVM) when SLF4J has no provider. */
    static SelectionLog standard() {
        return new SelectionLog(System.err, slf4jHasNoProvider());
    }

    /** For tests: as if SLF4J had no provider, printing to {@code out}. */
    static SelectionLog withoutSlf4j(PrintStream out) {
        return new SelectionLog(out, true);
    }

    /** Whether SLF4J had no provider, so announcements go to standard error. */
    boolean toStandardError() {
        return noProvider;
    }

    /**
     * Says what selection did: each warning (a backend skipped as unavailable, a provider that failed to
     * load) at WARN and the choice at INFO; without an SLF4J provider, all of it on one line of standard error.
     */
    void announce(List<String> warnings, String choice) {
        if (!noProvider) {
            warnings.forEach(LOG::warn);
            LOG.info(choice);
            return;
        }
        if (fallback == System.err && !PRINTED.compareAndSet(false, true)) {
            return;
        }
        fallback.println("lstm4j: " + choice + (warnings.isEmpty() ? "" : " " + String.join(" ", warnings))
                + " (No SLF4J provider, so lstm4j prints this once to standard error; add one, org.slf4j:slf4j-simple"
                + " for example, to see its log.)");
    }

    /** SLF4J fell back to its no-operation logger because it found no provider (slf4j-nop, a provider chosen for silence, does not count). */
    private static boolean slf4jHasNoProvider() {
        try {
            ILoggerFactory factory = LoggerFactory.getILoggerFactory();
            return factory instanceof NOPLoggerFactory && System.getProperty(LoggerFactory.PROVIDER_PROPERTY_KEY) == null
                    && ServiceLoader.load(SLF4JServiceProvider.class, LoggerFactory.class.getClassLoader()).stream().findAny().isEmpty();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }
}
