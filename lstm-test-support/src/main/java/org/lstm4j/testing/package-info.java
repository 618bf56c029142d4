/**
 * What every module's tests share: the float32 {@link org.lstm4j.testing.Tolerance} and
 * {@link org.lstm4j.testing.TensorAssertions}, seeded {@link org.lstm4j.testing.RandomModels}, and the reader of
 * golden fixtures ({@link org.lstm4j.testing.Fixture}).
 */
package org.lstm4j.testing;
