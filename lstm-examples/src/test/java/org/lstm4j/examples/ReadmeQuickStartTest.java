package org.lstm4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's quick start is what ./test.sh builds and runs: every code block marked
 * {@code <!-- quickstart: FILE ... -->} is that file of the repository, character for character, so the README a new
 * user copies from cannot drift from the project that CI compiles.
 */
class ReadmeQuickStartTest {

    private static final Path ROOT = Path.of("..");
    private static final Pattern MARKED = Pattern.compile("<!-- quickstart: (\\S+) [^\\n]*-->\\n```[a-z]*\\n(.*?)```", Pattern.DOTALL);

    @Test
    void theReadmesQuickStartBlocksAreTheExampleProjectsFiles() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        Matcher m = MARKED.matcher(readme);
        List<String> checked = new java.util.ArrayList<>();
        while (m.find()) {
            Path file = ROOT.resolve(m.group(1));
            assertTrue(Files.isRegularFile(file), "README marks " + m.group(1) + ", which does not exist");
            assertEquals(Files.readString(file), m.group(2), "README's copy of " + m.group(1));
            checked.add(m.group(1));
        }
        assertEquals(List.of("examples/quickstart/src/main/java/example/Quickstart.java", "examples/quickstart/pom.xml"), checked);
    }
}
