package org.lstm4j.conformance.keras;

import java.util.ArrayDeque;
import java.util.List;

/** The last lines a build or a container printed, kept for the failure message. */
final class LogTail {
    private final int max;
    private final ArrayDeque<String> lines = new ArrayDeque<>();

    LogTail(int max) {
        this.max = max;
    }

    /** Adds text (one or several lines; null or blank is ignored). */
    synchronized void accept(String text) {
        if (text == null) {
            return;
        }
        for (String line : text.split("\\R")) {
            if (!line.isBlank()) {
                lines.addLast(line.stripTrailing());
                if (lines.size() > max) {
                    lines.removeFirst();
                }
            }
        }
    }

    synchronized List<String> lines() {
        return List.copyOf(lines);
    }
}
