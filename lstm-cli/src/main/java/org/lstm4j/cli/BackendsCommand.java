package org.lstm4j.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
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
        out.println(report);
        if (report.chosen().isPresent()) {
            out.println("Choose another with --backend NAME, -D" + Backends.PROPERTY + "=NAME or " + Backends.ENVIRONMENT_VARIABLE + "=NAME.");
            return 0;
        }
        return 2;
    }
}
