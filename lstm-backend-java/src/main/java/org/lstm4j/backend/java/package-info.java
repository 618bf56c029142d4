/**
 * The reference backend, {@code java}: the LSTM equations as written, in double, with every feature lstm4j can
 * describe. The oracle every other backend is tested against; no native code.
 */
package org.lstm4j.backend.java;
