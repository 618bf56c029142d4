package org.lstm4j.backend;

/**
 * A batch that a backend cannot run exactly (a mask form it does not declare, such as a masked step between
 * valid ones without {@link Capability#ARBITRARY_MASKS}); the message names the capability, the row and the
 * step. Thrown before the engine runs, never instead of a wrong answer.
 */
public class UnsupportedInputException extends IllegalArgumentException {
    public UnsupportedInputException(String message) {
        super(message);
    }
}
