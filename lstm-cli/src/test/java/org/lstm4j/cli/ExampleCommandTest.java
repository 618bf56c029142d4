package org.lstm4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@code lstm example NAME ARGS...} hands every argument after NAME to the example, options included. */
class ExampleCommandTest {

    @Test
    void optionsAfterTheExamplesNameReachTheExample() {
        PrintStream saved = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        String[] r;
        try {
            r = BackendsCommandTest.run("example", "speech", "--stream", "--backend", "java-fast");
        } finally {
            System.setOut(saved);
        }
        String out = buffer.toString(StandardCharsets.UTF_8);
        assertEquals("0", r[0], r[2]);
        assertTrue(out.contains("in 100 ms chunks on java-fast"), out);
    }

    @Test
    void anUnknownExampleOptionIsTheExamplesError() {
        String[] r = BackendsCommandTest.run("example", "speech", "--nope");
        assertEquals("1", r[0]);
        assertTrue(r[2].contains("unknown option --nope"), r[2]);
    }
}
