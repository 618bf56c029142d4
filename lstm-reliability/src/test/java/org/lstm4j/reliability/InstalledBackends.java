package org.lstm4j.reliability;

import java.util.List;
import org.lstm4j.backend.Backends;

/**
 * The backends on this module's class path that can run here, by name, for parameterised tests:
 * each test runs on every backend the build put beside it (the reference engine always), through
 * {@link Backends#select(String)} as a user would reach it.
 */
final class InstalledBackends {
    private InstalledBackends() {
    }

    static List<String> names() {
        List<String> names = Backends.defaultSelector().candidates().stream()
                .filter(c -> c.provider().isPresent() && c.availability().available())
                .map(c -> c.provider().get().name())
                .sorted()
                .toList();
        if (names.isEmpty()) {
            throw new IllegalStateException("no backend is available on the test class path: " + Backends.report().reason());
        }
        return names;
    }
}
