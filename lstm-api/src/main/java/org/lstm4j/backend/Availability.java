package org.lstm4j.backend;

import java.util.Objects;
import java.util.Optional;

/**
 * Whether a backend can run here, and if not, why: a native library that failed to load, a
 * platform without natives. The cause, when there is one, is kept for the user to see.
 */
public record Availability(boolean available, String reason, Throwable cause) {

    public Availability {
        Objects.requireNonNull(reason, "reason");
    }

    public static Availability ok() {
        return new Availability(true, "available", null);
    }

    public static Availability unavailable(String reason, Throwable cause) {
        return new Availability(false, reason, cause);
    }

    public Optional<Throwable> failure() {
        return Optional.ofNullable(cause);
    }
}
