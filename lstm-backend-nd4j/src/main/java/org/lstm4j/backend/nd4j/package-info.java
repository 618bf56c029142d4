/**
 * The ND4J backend, {@code nd4j}: libnd4j's fused {@code lstmLayer} op where it computes the neutral model's
 * equations, the same equations composed from ND4J ops where it does not. ND4J starts once per process.
 */
package org.lstm4j.backend.nd4j;
