package org.lstm4j.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.lstm4j.backend.Backends;
import org.lstm4j.model.Direction;
import org.lstm4j.model.SequenceModel;
import org.lstm4j.predict.Predictor;
import org.lstm4j.testing.RandomModels;

/**
 * java-fast says once, at its first compile, that it runs its scalar kernels when the JVM lacks the Vector
 * API, and says nothing when the JVM has it or the user turned it off. Each case runs in a JVM of its own,
 * since the kernels are chosen once per JVM.
 */
class FastJavaScalarFallbackWarningTest {

    static final String WARNING = "java-fast runs its scalar kernels because the JVM was started without --add-modules jdk.incubator.vector";

    /** The child: compiles and runs two models on java-fast. */
    public static void main(String[] args) {
        Random rnd = new Random(1);
        for (int k = 0; k < 2; k++) {
            SequenceModel m = SequenceModel.builder(3).add(RandomModels.lstm(rnd, 3, 4, Direction.FORWARD, false).build()).build();
            try (Predictor p = Backends.select("java-fast").compile(m)) {
                p.predict(RandomModels.input(rnd, 1, 2, 3));
            }
        }
        System.out.println("DONE");
    }

    private static String run(String... jvmOptions) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m"));
        cmd.addAll(List.of(jvmOptions));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), FastJavaScalarFallbackWarningTest.class.getName()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(2, TimeUnit.MINUTES) && p.exitValue() == 0 && out.contains("DONE"), out);
        return out;
    }

    @Test
    void withoutTheVectorModuleItWarnsOnceSayingHowToEnableIt() throws Exception {
        String out = run();
        assertEquals(1, out.split(java.util.regex.Pattern.quote(WARNING), -1).length - 1, out);
    }

    @Test
    void withTheVectorModuleOrWhenTurnedOffItSaysNothing() throws Exception {
        assertTrue(!run("--add-modules", "jdk.incubator.vector").contains("scalar kernels"));
        assertTrue(!run("-Dlstm4j.fast.vector=false").contains("scalar kernels"));
    }
}
