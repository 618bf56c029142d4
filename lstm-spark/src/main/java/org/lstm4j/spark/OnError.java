package org.lstm4j.spark;

import java.util.Arrays;
import java.util.Locale;

/** What {@link LstmTransformer} does with a row it cannot score (a malformed sequence, an id outside the vocabulary). */
public enum OnError {
    /** The job fails, naming the row's position and the reason (the default). */
    FAIL,
    /** The row's output is null and the accumulator {@link LstmTransformer#errorCounterName()} counts it. */
    NULL;

    /** The parameter value: {@code "fail"} or {@code "null"}. */
    public String paramValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    static OnError of(String value) {
        for (OnError e : values()) {
            if (e.paramValue().equals(value)) {
                return e;
            }
        }
        throw new IllegalArgumentException("onError is '" + value + "'; it is one of " + Arrays.toString(paramValues()));
    }

    static String[] paramValues() {
        return Arrays.stream(values()).map(OnError::paramValue).toArray(String[]::new);
    }
}
