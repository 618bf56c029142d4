package org.lstm4j.reliability;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * Reads how much memory this process holds: resident set size from {@code /proc/self/status}
 * (what the operating system charges, heap and native alike), the Java heap in use, and the
 * native bytes JavaCPP has allocated when a JavaCPP engine (ND4J, TensorFlow Java) is loaded.
 * JavaCPP is looked up reflectively so that this module needs no native dependency.
 */
public final class MemoryProbe {

    private static final Path STATUS = Path.of("/proc/self/status");

    private MemoryProbe() {
    }

    /** One reading. {@code javacppBytes} is -1 when no JavaCPP engine is on the class path. */
    public record Sample(long rssKiB, long heapUsedKiB, long javacppBytes) {
        @Override
        public String toString() {
            return "RSS " + rssKiB / 1024 + " MiB, heap used " + heapUsedKiB / 1024 + " MiB"
                    + (javacppBytes >= 0 ? ", JavaCPP " + javacppBytes / (1024 * 1024) + " MiB" : "");
        }
    }

    /**
     * Collects garbage (twice, so that finalisable objects and cleaners run between) and reads.
     * Garbage is collected first so that a reading measures what is still reachable or leaked,
     * not how far the collector happens to lag.
     */
    public static Sample sample() {
        for (int i = 0; i < 2; i++) {
            System.gc();
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Runtime rt = Runtime.getRuntime();
        return new Sample(rssKiB().orElse(-1), (rt.totalMemory() - rt.freeMemory()) / 1024, javacppBytes());
    }

    /** VmRSS from /proc/self/status, in KiB; empty where there is no /proc (not Linux). */
    public static OptionalLong rssKiB() {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith("VmRSS:")) {
                    return OptionalLong.of(Long.parseLong(line.substring(6).replace("kB", "").strip()));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
        return OptionalLong.empty();
    }

    /** JavaCPP's count of native bytes it allocated (Pointer.totalBytes()), or -1 when JavaCPP is absent. */
    public static long javacppBytes() {
        try {
            Class<?> pointer = Class.forName("org.bytedeco.javacpp.Pointer", false, MemoryProbe.class.getClassLoader());
            Method total = pointer.getMethod("totalBytes");
            return (long) total.invoke(null);
        } catch (ReflectiveOperationException | LinkageError e) {
            return -1;
        }
    }

    /** Growth from {@code start} to {@code end} in percent of {@code start}. */
    public static double growthPercent(long start, long end) {
        return start <= 0 ? 0 : 100.0 * (end - start) / start;
    }
}
