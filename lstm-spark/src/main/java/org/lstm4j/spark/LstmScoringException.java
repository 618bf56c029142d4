package org.lstm4j.spark;

/**
 * A row {@link LstmTransformer} could not score with {@code onError = "fail"}, or a model an executor could not load;
 * the message names the row's position (partition and index in it) or the model, and the reason.
 */
public class LstmScoringException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public LstmScoringException(String message) {
        super(message);
    }

    public LstmScoringException(String message, Throwable cause) {
        super(message, cause);
    }
}
