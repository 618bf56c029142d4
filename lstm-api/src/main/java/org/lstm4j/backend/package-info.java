/**
 * Backends and how one is chosen. A backend is a {@link org.lstm4j.backend.BackendProvider} registered in
 * {@code META-INF/services} (most extend {@link org.lstm4j.backend.AbstractBackendProvider});
 * {@link org.lstm4j.backend.Backends} finds them on the class path and chooses one: a name given in code, else
 * {@code -Dlstm4j.backend}, else {@code LSTM4J_BACKEND}, else the available backend with the highest priority.
 * {@link org.lstm4j.backend.Capability} says what a backend can run.
 */
package org.lstm4j.backend;
