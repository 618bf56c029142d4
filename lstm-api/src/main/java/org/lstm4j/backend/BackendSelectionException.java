package org.lstm4j.backend;

/** No backend could be chosen: none on the classpath, an unknown name, or the named one is unavailable. */
public class BackendSelectionException extends IllegalStateException {
    public BackendSelectionException(String message) {
        super(message);
    }

    public BackendSelectionException(String message, Throwable cause) {
        super(message, cause);
    }
}
