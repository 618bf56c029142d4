package org.lstm4j.cli;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.lstm4j.examples.ForecastExample;
import org.lstm4j.examples.KerasImportExample;
import org.lstm4j.examples.SeedModelExample;
import org.lstm4j.examples.SparkScoringExample;
import org.lstm4j.examples.SpeechExample;
import org.lstm4j.examples.StreamingExample;
import org.lstm4j.examples.TextClassificationExample;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code lstm example NAME}: runs one of the example programs in org.lstm4j.examples. */
@Command(name = "example", description = "Run an example program: seed, streaming, forecast, keras-import, text, spark, speech (source in lstm-examples/src/main/java/org/lstm4j/examples).")
final class ExampleCommand implements Callable<Integer> {

    static final Map<String, Consumer<String[]>> EXAMPLES = new LinkedHashMap<>();

    static {
        EXAMPLES.put("seed", SeedModelExample::main);
        EXAMPLES.put("streaming", StreamingExample::main);
        EXAMPLES.put("forecast", ForecastExample::main);
        EXAMPLES.put("keras-import", KerasImportExample::main);
        EXAMPLES.put("text", TextClassificationExample::main);
        // A lambda, not a method reference: SparkScoringExample (and Spark) load only when this example runs.
        EXAMPLES.put("spark", args -> runSpark(args));
        EXAMPLES.put("speech", SpeechExample::main);
    }

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "seed, streaming, forecast, keras-import, text, spark or speech")
    String name;

    @Parameters(index = "1..*", paramLabel = "ARGS", description = "Passed to the example.")
    List<String> args = List.of();

    @Override
    public Integer call() {
        Consumer<String[]> example = EXAMPLES.get(name);
        if (example == null) {
            throw new IllegalArgumentException("no example '" + name + "'; examples: " + EXAMPLES.keySet());
        }
        example.accept(args.toArray(new String[0]));
        return 0;
    }

    /** Spark is not on the tool's usual class path: the lstm script adds it for this example only. */
    private static void runSpark(String[] args) {
        try {
            SparkScoringExample.main(args);
        } catch (NoClassDefFoundError e) {
            if (e.getMessage() == null || !e.getMessage().startsWith("org/apache/spark/")) {
                throw e;
            }
            throw new IllegalStateException("Spark is not on the class path (" + e.getMessage() + " is missing): run the example as "
                    + "'./lstm example spark', which adds lstm-cli/target/spark-classpath.txt, or through spark-submit", e);
        }
    }

    @Override
    public String toString() {
        return "example " + name + " " + Arrays.toString(args.toArray());
    }
}
