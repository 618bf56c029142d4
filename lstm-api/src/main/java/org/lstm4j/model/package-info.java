/**
 * The backend-neutral model: an immutable {@link org.lstm4j.model.SequenceModel} of layers
 * ({@link org.lstm4j.model.LstmLayer}, {@link org.lstm4j.model.DenseLayer}, {@link org.lstm4j.model.ActivationLayer})
 * with canonical weights, and the graph inputs and outputs it was imported with ({@link org.lstm4j.model.Port}).
 * Built in Java with builders or by an importer (lstm-onnx).
 */
package org.lstm4j.model;
