package org.lstm4j.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
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
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lstm4j.model.SequenceModel;
import org.lstm4j.predict.Predictor;
import org.lstm4j.predict.PredictorOptions;

/** The selection rules of {@link Backends}, with providers and environment injected. */
class BackendsTest {

    /** A provider that selection can pick; it never compiles anything in these tests. */
    static class NamedProvider implements BackendProvider {
        private final String name;
        private final int priority;
        private final Availability availability;

        NamedProvider(String name, int priority, Availability availability) {
            this.name = name;
            this.priority = priority;
            this.availability = availability;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public int priority() {
            return priority;
        }

        @Override
        public Availability availability() {
            return availability;
        }

        @Override
        public Set<Capability> capabilities() {
            return EnumSet.noneOf(Capability.class);
        }

        @Override
        public Predictor compile(SequenceModel model, PredictorOptions options) {
            throw new UnsupportedOperationException("selection tests do not compile");
        }
    }

    /** Registered in a test class loader whose constructor fails, as a provider with a broken static init would. */
    public static class ThrowingConstructorProvider extends NamedProvider {
        public ThrowingConstructorProvider() {
            super("never", 1, Availability.ok());
            throw new IllegalStateException("boom in constructor");
        }
    }

    /** Registered in a test class loader; loads fine. */
    public static class GoodProvider extends NamedProvider {
        public GoodProvider() {
            super("good", 5, Availability.ok());
        }
    }

    /** Its availability check throws, as a provider whose native library will not link does. */
    static class LinkFailingProvider extends NamedProvider {
        LinkFailingProvider() {
            super("native", 100, null);
        }

        @Override
        public Availability availability() {
            throw new UnsatisfiedLinkError("no libfoo in java.library.path");
        }
    }

    private static final NamedProvider JAVA = new NamedProvider("java", 0, Availability.ok());
    private static final NamedProvider ONNX = new NamedProvider("onnx", 100, Availability.ok());

    @Test
    void noneFoundSaysWhichArtifactsToAdd() {
        BackendSelectionException e = assertThrows(BackendSelectionException.class, () -> Backends.Selector.of().select());
        assertTrue(e.getMessage().startsWith("No lstm4j backends were found on the class path"), e.getMessage());
        assertTrue(e.getMessage().contains("org.lstm4j:lstm-backend-java"), e.getMessage());
    }

    @Test
    void severalFoundTheHighestPriorityWinsAndTheReportListsThem() {
        Backends.Selector s = Backends.Selector.of(JAVA, ONNX);
        assertSame(ONNX, s.select());
        Backends.Report r = s.report(null);
        assertTrue(r.reason().contains("onnx (100)") && r.reason().contains("java (0)"), r.reason());
    }

    @Test
    void enginesThatWillNotBeUsedAreNeverStarted() {
        NamedProvider neverAsked = new NamedProvider("nd4j", 60, null) {
            @Override
            public Availability availability() {
                throw new AssertionError("a lower-priority backend's engine was started although a higher one was available");
            }
        };
        assertSame(ONNX, Backends.Selector.of(JAVA, neverAsked, ONNX).select());
        assertSame(JAVA, Backends.Selector.of(JAVA, neverAsked, ONNX).select("java"));
    }

    @Test
    void anUnavailableHigherPriorityBackendIsNamedInTheReason() {
        NamedProvider off = new NamedProvider("tf", 80, Availability.unavailable("no natives for this platform", null));
        Backends.Report r = Backends.Selector.of(JAVA, off).report(null);
        assertSame(JAVA, r.chosen().orElseThrow());
        assertTrue(r.reason().contains("skipped as unavailable: tf (no natives for this platform)"), r.reason());
    }

    @Test
    void theSystemPropertyOverridesPriority() {
        Backends.Selector s = Backends.Selector.of(JAVA, ONNX).withProperties(Map.of(Backends.PROPERTY, "java")::get);
        assertSame(JAVA, s.select());
        assertEquals("system property lstm4j.backend=java", s.report(null).reason());
    }

    @Test
    void theEnvironmentVariableOverridesPriorityButNotTheProperty() {
        Backends.Selector env = Backends.Selector.of(JAVA, ONNX).withEnvironment(Map.of(Backends.ENVIRONMENT_VARIABLE, "JAVA")::get);
        assertSame(JAVA, env.select());
        Backends.Selector both = env.withProperties(Map.of(Backends.PROPERTY, "onnx")::get);
        assertSame(ONNX, both.select());
    }

    @Test
    void anExplicitNameWinsOverEverything() {
        Backends.Selector s = Backends.Selector.of(JAVA, ONNX).withProperties(Map.of(Backends.PROPERTY, "onnx")::get);
        assertSame(JAVA, s.select("java"));
    }

    @Test
    void anUnknownNameListsTheBackendsThereAreAndSuggestsNoArtifactThatDoesNotExist() {
        BackendSelectionException e = assertThrows(BackendSelectionException.class,
                () -> Backends.Selector.of(JAVA, ONNX).select("nope"));
        assertTrue(e.getMessage().contains("'nope'") && e.getMessage().contains("holds: java, onnx"), e.getMessage());
        assertTrue(e.getMessage().contains("lstm4j has no backend of that name; its backends are java, java-fast "
                + "(org.lstm4j:lstm-backend-java), onnx (org.lstm4j:lstm-backend-onnx), tf (org.lstm4j:lstm-backend-tf), "
                + "nd4j (org.lstm4j:lstm-backend-nd4j)"), e.getMessage());
        assertFalse(e.getMessage().contains("lstm-backend-nope"), e.getMessage());
    }

    @Test
    void aKnownBackendMissingFromTheClassPathNamesTheArtifactThatBringsIt() {
        BackendSelectionException e = assertThrows(BackendSelectionException.class, () -> Backends.Selector.of(ONNX).select("java-fast"));
        assertTrue(e.getMessage().contains("Add org.lstm4j:lstm-backend-java to use it"), e.getMessage());
        assertFalse(e.getMessage().contains("lstm-backend-java-fast"), e.getMessage());
    }

    @Test
    void oneArtifactIsOneChoiceTheChoiceAndItsReasonAreSaidOnce() {
        NamedProvider fast = new NamedProvider("java-fast", 10, Availability.ok());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Backends.Selector s = Backends.Selector.of(JAVA, fast).withoutSlf4j(new PrintStream(out, true, StandardCharsets.UTF_8));
        assertSame(fast, s.select());
        assertSame(fast, s.select());
        String said = out.toString(StandardCharsets.UTF_8);
        assertEquals(1, said.lines().count(), said);
        assertTrue(said.startsWith("lstm4j: Using lstm4j backend 'java-fast' from org.lstm4j:lstm-backend-java (highest priority of "
                + "java-fast (10), java (0))."), said);
        assertFalse(said.contains("several"), said);
        assertTrue(said.contains("No SLF4J provider"), said);
    }

    @Test
    void withoutAnSlf4jProviderTheAnnouncementGoesToStandardError() {
        // lstm-api's test class path has slf4j-api and no provider, as a user's application may.
        assertTrue(SelectionLog.standard().toStandardError());
    }

    @Test
    void severalArtifactsAreListedByArtifactWithTheChoice() {
        NamedProvider fast = new NamedProvider("java-fast", 10, Availability.ok());
        NamedProvider off = new NamedProvider("tf", 80, Availability.unavailable("no natives for this platform", null));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Backends.Selector s = Backends.Selector.of(JAVA, fast, ONNX, off).withoutSlf4j(new PrintStream(out, true, StandardCharsets.UTF_8));
        assertSame(ONNX, s.select());
        String said = out.toString(StandardCharsets.UTF_8);
        assertTrue(said.contains("Class path contains several lstm4j backends: java, java-fast (org.lstm4j:lstm-backend-java), "
                + "onnx (org.lstm4j:lstm-backend-onnx), tf (org.lstm4j:lstm-backend-tf). Using 'onnx'"), said);
        // tf ranks below onnx, so it was never started and is not reported as skipped
        assertFalse(said.contains("skipped"), said);
    }

    @Test
    void anUnavailableBackendIsSkippedAutomaticallyButFailsWhenNamedWithItsCause() {
        Backends.Selector s = Backends.Selector.of(JAVA, new LinkFailingProvider());
        assertSame(JAVA, s.select());
        BackendSelectionException e = assertThrows(BackendSelectionException.class, () -> s.select("native"));
        assertTrue(e.getMessage().contains("unavailable") && e.getMessage().contains("no libfoo"), e.getMessage());
        assertTrue(e.getCause() instanceof UnsatisfiedLinkError, "cause: " + e.getCause());
    }

    @Test
    void onlyUnavailableBackendsSaysWhyEachIs() {
        NamedProvider off = new NamedProvider("tf", 80, Availability.unavailable("native library failed to load: libtensorflow.so", null));
        BackendSelectionException e = assertThrows(BackendSelectionException.class, () -> Backends.Selector.of(off).select());
        assertTrue(e.getMessage().contains("tf (native library failed to load: libtensorflow.so)"), e.getMessage());
    }

    @Test
    void aProviderThatCannotBeLoadedOrInstantiatedDoesNotHideTheOthers(@TempDir Path dir) throws IOException {
        Path services = dir.resolve("META-INF/services");
        Files.createDirectories(services);
        Files.writeString(services.resolve(BackendProvider.class.getName()), String.join("\n",
                "org.lstm4j.backend.DoesNotExist",
                ThrowingConstructorProvider.class.getName(),
                GoodProvider.class.getName()) + "\n");
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, BackendsTest.class.getClassLoader())) {
            List<Backends.Candidate> found = Backends.discover(loader);
            assertEquals(3, found.size(), () -> found.stream().map(Backends.Candidate::name).toList().toString());
            assertTrue(found.get(0).loadError().isPresent() && found.get(0).loadError().get().toString().contains("DoesNotExist"));
            assertTrue(found.get(1).loadError().isPresent());
            Backends.Selector s = new Backends.Selector(found, k -> null, k -> null);
            assertEquals("good", s.select().name());
        }
    }

    @Test
    void theReportPrintsOneReadableLinePerBackendAndTheChoice() {
        NamedProvider off = new NamedProvider("tf", 80, Availability.unavailable("no natives for this platform", null));
        List<Backends.Candidate> found = List.of(Backends.Candidate.of(JAVA), Backends.Candidate.of(off),
                Backends.Candidate.broken(new ClassNotFoundException("org.example.GoneProvider")));
        String table = new Backends.Selector(found, k -> null, k -> null).report(null).toString();
        List<String> lines = table.lines().toList();
        assertTrue(lines.get(0).startsWith("NAME") && lines.get(0).contains("STATUS"), table);
        assertTrue(lines.get(1).startsWith("java") && lines.get(1).contains("CHOSEN"), table);
        assertTrue(lines.get(2).startsWith("tf") && lines.get(2).contains("unavailable") && lines.get(2).contains("no natives for this platform"), table);
        assertTrue(lines.get(3).contains("broken") && lines.get(3).contains("org.example.GoneProvider"), table);
        assertTrue(lines.get(lines.size() - 1).startsWith("Chosen: java ("), table);
        assertFalse(table.contains("Candidate@") || table.contains("Optional["), "no object identities or Optional wrappers: " + table);
    }
}
