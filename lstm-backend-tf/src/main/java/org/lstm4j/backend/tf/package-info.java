/**
 * The TensorFlow Java backend, {@code tf}: each model becomes one TensorFlow graph (BlockLSTM where its equations
 * are the model's, a step loop otherwise) run by one session.
 */
package org.lstm4j.backend.tf;
