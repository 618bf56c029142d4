/**
 * LSTM scoring as a Spark ML {@code Transformer}: {@link org.lstm4j.spark.LstmTransformer} reads sequences from a
 * column, scores partitions in batches on the executors' lstm4j backend (one model and predictor per executor JVM),
 * and writes predictions, or null with a counter where {@link org.lstm4j.spark.OnError} says so.
 */
package org.lstm4j.spark;
