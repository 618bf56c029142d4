package org.lstm4j.tensor;

import java.io.IOException;

/** A file that is not a .npy array lstm4j can read; the message says what is wrong with it. */
public class NpyFormatException extends IOException {
    public NpyFormatException(String message) {
        super(message);
    }
}
