package org.lstm4j.backend;

/** A model that a backend cannot run (it needs a capability the backend lacks); the message says what and suggests another backend. */
public class UnsupportedModelException extends IllegalArgumentException {
    public UnsupportedModelException(String message) {
        super(message);
    }
}
