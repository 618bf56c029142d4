package org.lstm4j.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.lstm4j.backend.Availability;
import org.lstm4j.backend.BackendProvider;
import org.lstm4j.backend.Backends;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code lstm backends}: what is on the class path, which one is chosen and why. */
@Command(name = "backends", description = "List the discovered backends, which one is chosen and why, and why any is unavailable.")
final class BackendsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--backend", description = "Explain the choice of this backend instead of the automatic one.")
    String backend;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Backends.Report report = Backends.defaultSelector().report(backend);
        out.printf("%-10s %-9s %-11s %s%n", "NAME", "PRIORITY", "STATUS", "DETAIL");
        for (Backends.Candidate c : report.candidates()) {
            if (c.provider().isEmpty()) {
                out.printf("%-10s %-9s %-11s %s%n", "?", "-", "broken", c.loadError().map(Throwable::toString).orElse(""));
                continue;
            }
            BackendProvider p = c.provider().get();
            Availability a = c.availability();
            boolean chosen = report.chosen().map(x -> x == p).orElse(false);
            out.printf("%-10s %-9d %-11s %s%n", p.name(), p.priority(), a.available() ? (chosen ? "CHOSEN" : "available") : "unavailable",
                    a.available() ? p.artifact() + ", capabilities: " + p.capabilities().size() : a.reason());
        }
        out.println();
        if (report.chosen().isPresent()) {
            out.println("Chosen: " + report.chosen().get().name() + " (" + report.reason() + ").");
            out.println("Choose another with --backend NAME, -D" + Backends.PROPERTY + "=NAME or " + Backends.ENVIRONMENT_VARIABLE + "=NAME.");
            return 0;
        }
        out.println(report.reason());
        return 2;
    }
}
