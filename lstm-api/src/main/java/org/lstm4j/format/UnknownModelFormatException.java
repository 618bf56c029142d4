package org.lstm4j.format;

/** No {@link ModelFormat} on the class path reads the file; the message names the file, the formats found and what to add. */
public class UnknownModelFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UnknownModelFormatException(String message) {
        super(message);
    }
}
