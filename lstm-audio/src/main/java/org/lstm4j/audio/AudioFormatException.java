package org.lstm4j.audio;

import java.io.IOException;

/** An audio file lstm-audio cannot read: the message names the file and what was wrong with it. */
public final class AudioFormatException extends IOException {

    public AudioFormatException(String message) {
        super(message);
    }

    public AudioFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
