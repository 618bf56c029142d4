package org.lstm4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class BackendsCommandTest {

    static String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = LstmCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new String[] {Integer.toString(code), out.toString(), err.toString()};
    }

    @Test
    void listsTheJavaBackendAndExplainsTheChoice() {
        String[] r = run("backends");
        assertEquals("0", r[0], r[2]);
        assertTrue(r[1].contains("java") && r[1].contains("Chosen: "), r[1]);
    }

    @Test
    void anUnknownBackendExplainsWhatIsKnown() {
        String[] r = run("backends", "--backend", "nope");
        assertEquals("2", r[0]);
        // What is on the class path, and lstm4j's real artifacts; never a made-up org.lstm4j:lstm-backend-nope.
        assertTrue(r[1].contains("which holds: java, java-fast") && r[1].contains("lstm4j has no backend of that name")
                && r[1].contains("(org.lstm4j:lstm-backend-java)") && !r[1].contains("lstm-backend-nope"), r[1]);
    }
}
