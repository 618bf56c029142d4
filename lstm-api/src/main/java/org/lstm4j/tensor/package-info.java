/**
 * Data in and out: {@link org.lstm4j.tensor.FloatTensor} (row-major float32 with a shape), NumPy's {@code .npy}
 * files ({@link org.lstm4j.tensor.Npy}) and time series in CSV ({@link org.lstm4j.tensor.TimeSeriesCsv}).
 */
package org.lstm4j.tensor;
