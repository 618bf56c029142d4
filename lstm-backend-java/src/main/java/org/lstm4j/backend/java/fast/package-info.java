/**
 * The fast pure-Java backend, {@code java-fast}: float32, packed fused weights, JDK Vector API kernels when the JVM
 * runs with {@code --add-modules jdk.incubator.vector} (scalar kernels otherwise, with a warning). lstm4j's
 * embedded default for streaming and small requests.
 */
package org.lstm4j.backend.java.fast;
