package org.lstm4j.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import org.lstm4j.backend.Backends;
import picocli.CommandLine.IVersionProvider;

/** {@code lstm --version}: lstm4j's version, the backends inside (found on the class path, none started) and the JVM. */
final class Version implements IVersionProvider {

    /** lstm4j's version, as the build wrote it. */
    static String lstm4j() {
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                return "(unknown: version.properties is missing from the class path)";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read lstm4j's version.properties", e);
        }
    }

    @Override
    public String[] getVersion() {
        return new String[] {
            "lstm4j " + lstm4j(),
            "backends: " + Backends.defaultSelector().describe(),
            "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + "), "
                    + System.getProperty("os.name") + " " + System.getProperty("os.arch"),
        };
    }
}
