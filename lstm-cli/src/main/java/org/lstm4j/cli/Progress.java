package org.lstm4j.cli;

import java.io.PrintWriter;

/**
 * A one-line progress bar for long runs (many series, a corpus), redrawn in place on a terminal
 * and printed every tenth of the way otherwise, so that logs stay short.
 */
final class Progress {
    private final PrintWriter err;
    private final String what;
    private final int total;
    private final boolean terminal = System.console() != null;
    private int lastTenth = -1;
    private final long start = System.nanoTime();

    Progress(PrintWriter err, String what, int total) {
        this.err = err;
        this.what = what;
        this.total = total;
    }

    void update(int done, String current) {
        double seconds = (System.nanoTime() - start) / 1e9;
        int width = 30;
        int filled = total == 0 ? width : (int) Math.round(width * (double) done / total);
        String line = String.format("[%s%s] %d/%d %s, %.1f s%s", "=".repeat(filled), " ".repeat(width - filled), done, total, what,
                seconds, current == null ? "" : " (" + current + ")");
        if (terminal) {
            err.print("\r" + line + (done == total ? "\n" : ""));
            err.flush();
        } else {
            int tenth = total == 0 ? 10 : done * 10 / total;
            if (tenth != lastTenth) {
                lastTenth = tenth;
                err.println(line);
            }
        }
    }
}
