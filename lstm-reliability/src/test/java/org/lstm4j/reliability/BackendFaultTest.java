package org.lstm4j.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lstm4j.backend.BackendProvider;
import org.lstm4j.backend.BackendSelectionException;
import org.lstm4j.backend.Backends;
import org.lstm4j.tensor.FloatTensor;

/**
 * A backend whose native library does not load, discovered through {@link java.util.ServiceLoader}
 * in a class loader of its own (a services file in a temporary folder, in front of this module's
 * class path): automatic selection skips it with a warning and takes the next backend; naming it
 * fails with the JVM's own {@link UnsatisfiedLinkError} as the cause.
 */
class BackendFaultTest {

    @TempDir
    Path dir;
    private URLClassLoader loader;

    @BeforeEach
    void registerBrokenBackends() throws IOException {
        Path services = dir.resolve("META-INF/services/" + BackendProvider.class.getName());
        Files.createDirectories(services.getParent());
        // The class that cannot initialise comes first, so that an error message or cause taken from the
        // wrong candidate would show.
        Files.writeString(services, BrokenNativeBackends.LinksInStaticInitialiser.class.getName() + "\n"
                + BrokenNativeBackends.LinksInAvailability.class.getName() + "\n", StandardCharsets.UTF_8);
        loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader());
    }

    @AfterEach
    void closeLoader() throws IOException {
        loader.close();
    }

    private Backends.Selector selector() {
        return new Backends.Selector(Backends.discover(loader), k -> null, k -> null);
    }

    /** The backend automatic selection should fall back to: the best one on the normal class path. */
    private static String bestWorkingBackend() {
        return Backends.defaultSelector().candidates().stream()
                .filter(c -> c.provider().isPresent() && c.availability().available())
                .map(c -> c.provider().get())
                .max(Comparator.comparingInt(BackendProvider::priority).thenComparing(BackendProvider::name, Comparator.reverseOrder()))
                .orElseThrow().name();
    }

    @Test
    void bothBrokenProvidersAreDiscoveredBesideTheWorkingOnes() {
        List<Backends.Candidate> found = Backends.discover(loader);
        assertTrue(found.stream().anyMatch(c -> c.provider().map(p -> p.name().equals(BrokenNativeBackends.LinksInAvailability.NAME)).orElse(false)),
                "the provider that links in availability() is found: " + found.stream().map(Backends.Candidate::name).toList());
        Optional<Backends.Candidate> staticOne = found.stream().filter(c -> c.loadError().isPresent()).findFirst();
        assertTrue(staticOne.isPresent(), "the provider whose class cannot initialise is reported as a load failure");
        Throwable e = staticOne.get().loadError().get();
        assertInstanceOf(ServiceConfigurationError.class, e);
        assertInstanceOf(UnsatisfiedLinkError.class, e.getCause(), "the load failure keeps the JVM's link error as its cause");
        assertTrue(found.stream().anyMatch(c -> c.provider().map(p -> p.name().equals(bestWorkingBackend())).orElse(false)),
                "one broken jar does not hide the working backends");
    }

    @Test
    void automaticSelectionSkipsTheBrokenBackendWithAWarningAndChoosesTheNext() {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        BackendProvider chosen;
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            chosen = selector().select();
        } finally {
            System.setErr(original);
        }
        assertEquals(bestWorkingBackend(), chosen.name());
        String log = captured.toString(StandardCharsets.UTF_8);
        original.print(log);
        assertTrue(log.contains("WARN") && log.contains(BrokenNativeBackends.LinksInAvailability.NAME)
                        && log.contains(BrokenNativeBackends.MISSING_LIBRARY),
                "a warning names the skipped backend and the library that did not load; logged: " + log);
        // The backend chosen instead really works.
        try (var p = chosen.compile(ReliabilityModels.stacked(3))) {
            assertEquals(3, p.predict(FloatTensor.zeros(1, 2, ReliabilityModels.FEATURES)).output().dim(2));
        }
    }

    @Test
    void namingTheBrokenBackendFailsWithTheLinkErrorAsCause() {
        BackendSelectionException e = assertThrows(BackendSelectionException.class,
                () -> selector().select(BrokenNativeBackends.LinksInAvailability.NAME));
        assertTrue(e.getMessage().contains("unavailable") && e.getMessage().contains(BrokenNativeBackends.MISSING_LIBRARY),
                "the message says it is unavailable and why: " + e.getMessage());
        assertInstanceOf(UnsatisfiedLinkError.class, e.getCause());
    }

    @Test
    void namingTheBrokenBackendByPropertyOrEnvironmentIsNeverSilentlyReplaced() {
        Backends.Selector byProperty = selector().withProperties(Map.of(Backends.PROPERTY, BrokenNativeBackends.LinksInAvailability.NAME)::get);
        BackendSelectionException e = assertThrows(BackendSelectionException.class, byProperty::select);
        assertTrue(e.getMessage().contains(Backends.PROPERTY), e.getMessage());
        assertInstanceOf(UnsatisfiedLinkError.class, e.getCause());

        Backends.Selector byEnvironment = selector().withEnvironment(Map.of(Backends.ENVIRONMENT_VARIABLE, BrokenNativeBackends.LinksInAvailability.NAME)::get);
        e = assertThrows(BackendSelectionException.class, byEnvironment::select);
        assertTrue(e.getMessage().contains(Backends.ENVIRONMENT_VARIABLE), e.getMessage());
    }

    @Test
    void theReportListsTheBrokenBackendsAndWhy() {
        Backends.Report r = selector().report(null);
        assertNotEquals(Optional.empty(), r.chosen());
        Backends.Candidate broken = r.candidates().stream()
                .filter(c -> c.provider().map(p -> p.name().equals(BrokenNativeBackends.LinksInAvailability.NAME)).orElse(false))
                .findFirst().orElseThrow();
        assertTrue(!broken.availability().available() && broken.availability().reason().contains(BrokenNativeBackends.MISSING_LIBRARY),
                broken.availability().reason());
    }
}
