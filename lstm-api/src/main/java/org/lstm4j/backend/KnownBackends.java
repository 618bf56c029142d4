package org.lstm4j.backend;

import java.nio.file.Path;
import java.security.CodeSource;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * lstm4j's own backends and the artifact that brings each, for messages only: they suggest adding an
 * artifact that exists, never one made up from a name. (Selection itself knows backends only through
 * {@link java.util.ServiceLoader}.) One artifact may bring several backends: {@code lstm-backend-java}
 * registers {@code java} and {@code java-fast}, and counts as one choice.
 */
final class KnownBackends {

    private static final Map<String, String> ARTIFACTS = new LinkedHashMap<>();

    static {
        ARTIFACTS.put("java", "org.lstm4j:lstm-backend-java");
        ARTIFACTS.put("java-fast", "org.lstm4j:lstm-backend-java");
        ARTIFACTS.put("onnx", "org.lstm4j:lstm-backend-onnx");
        ARTIFACTS.put("tf", "org.lstm4j:lstm-backend-tf");
        ARTIFACTS.put("nd4j", "org.lstm4j:lstm-backend-nd4j");
    }

    private KnownBackends() {
    }

    /** The artifact that brings lstm4j's backend {@code name}, if lstm4j has one of that name. */
    static Optional<String> artifactOf(String name) {
        return Optional.ofNullable(ARTIFACTS.get(name.strip().toLowerCase(Locale.ROOT)));
    }

    /** An lstm4j backend's artifact, else the jar (or folder) the provider's class came from. */
    static String artifactOf(BackendProvider provider) {
        return artifactOf(provider.name()).orElseGet(() -> {
            CodeSource source = provider.getClass().getProtectionDomain().getCodeSource();
            if (source == null || source.getLocation() == null) {
                return provider.getClass().getName();
            }
            try {
                return Path.of(source.getLocation().toURI()).getFileName().toString();
            } catch (Exception e) {
                return source.getLocation().toString();
            }
        });
    }

    /** "java, java-fast (org.lstm4j:lstm-backend-java), onnx (org.lstm4j:lstm-backend-onnx), ...". */
    static String describeAll() {
        return ARTIFACTS.values().stream().distinct()
                .map(a -> ARTIFACTS.entrySet().stream().filter(e -> e.getValue().equals(a)).map(Map.Entry::getKey)
                        .collect(Collectors.joining(", ")) + " (" + a + ")")
                .collect(Collectors.joining(", "));
    }
}
