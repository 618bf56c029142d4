package org.lstm4j.keras;

/**
 * A Keras model file that cannot be imported: unreadable, malformed, hostile (over a limit of
 * {@link KerasImportOptions}), or a model that does not map onto a {@link org.lstm4j.model.SequenceModel}.
 * The message is one line naming the file and, where one is to blame, the layer, its class and why.
 */
public class KerasImportException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public KerasImportException(String message) {
        super(message);
    }

    public KerasImportException(String message, Throwable cause) {
        super(message, cause);
    }
}
