package org.lstm4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lstm4j.backend.BackendProvider;

/**
 * Every backend on one class path (this module's) agrees with every other over the whole golden
 * corpus, through {@code lstm conformance --fixtures}; and the same command fails when a broken
 * backend is put on the class path.
 */
class CorpusAgreementTest {

    @Test
    void allBackendsAgreeOverTheWholeCorpus() {
        String[] r = BackendsCommandTest.run("conformance", "--fixtures");
        assertEquals("0", r[0], r[1] + r[2]);
        for (String backend : List.of("java", "onnx", "tf", "nd4j")) {
            assertTrue(r[1].contains(backend), "backend " + backend + " took part: " + r[1]);
        }
        assertTrue(r[1].contains(" 0 with disagreeing backends"), r[1]);
    }

    @Test
    void aBrokenBackendOnTheClassPathMakesItFail(@TempDir Path extra) throws IOException, InterruptedException {
        // A class-path entry that registers BrokenBackend (test code of this module) as a provider.
        Path services = extra.resolve("META-INF/services");
        Files.createDirectories(services);
        Files.writeString(services.resolve(BackendProvider.class.getName()), BrokenBackend.class.getName() + "\n");
        String cp = System.getProperty("java.class.path") + java.io.File.pathSeparator + extra;
        // In an argument file: ONNX Runtime 1.29.0 will not start under a java command line this long.
        Path args = extra.resolve("java-args.txt");
        Files.writeString(args, "-cp \"" + cp + "\"\n");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "@" + args,
                LstmCli.class.getName(), "conformance", "--fixtures", "--backends", "java,broken").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "conformance run timed out");
        assertEquals(1, p.exitValue(), out);
        assertTrue(out.contains("DISAGREE java vs broken"), out);
    }
}
