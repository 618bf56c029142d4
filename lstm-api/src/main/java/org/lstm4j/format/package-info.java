/**
 * Model files of any supported format through one call: {@link org.lstm4j.format.ModelLoader} picks the
 * {@link org.lstm4j.format.ModelFormat} that claims a file (by its content, else by its name) among those on the class
 * path (lstm-onnx for {@code .onnx}, lstm-keras for {@code .keras} and {@code .h5}).
 */
package org.lstm4j.format;
