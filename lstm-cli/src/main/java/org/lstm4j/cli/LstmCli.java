package org.lstm4j.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code lstm} command-line tool. */
@Command(name = "lstm", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "LSTM sequence models in Java: inspect, predict, forecast, and check that backends agree.",
        subcommands = {BackendsCommand.class, InspectCommand.class, PredictCommand.class, ForecastCommand.class,
            ConformanceCommand.class, ExampleCommand.class, KerasExportCommand.class, CommandLine.HelpCommand.class})
public final class LstmCli implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the tool with the given output streams; returns the exit code (for tests). */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new LstmCli());
        cli.setOut(out);
        cli.setErr(err);
        // `lstm example NAME ARGS...` passes everything after NAME to the example, options such as --stream included.
        cli.getSubcommands().get("example").setStopAtPositional(true).setUnmatchedOptionsArePositionalParams(true);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            // Users see the library's message (it names the file, node or shape), not a stack trace.
            commandLine.getErr().println("lstm: " + e.getMessage());
            if (System.getenv("LSTM4J_DEBUG") != null) {
                e.printStackTrace(commandLine.getErr());
            }
            return 1;
        });
        return cli.execute(args);
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 0;
    }
}
