/**
 * Running a compiled model: a {@link org.lstm4j.predict.Predictor} (owns its engine's resources; close it) runs
 * batches of sequences ({@link org.lstm4j.predict.SequenceBatch}: features, lengths, padding, initial state) into a
 * {@link org.lstm4j.predict.Prediction}, or opens a {@link org.lstm4j.predict.StreamingPredictor} that carries state
 * from step to step. {@link org.lstm4j.predict.PortBinding} maps graph input and output names to batches and back.
 */
package org.lstm4j.predict;
