package org.lstm4j.predict;

import org.lstm4j.tensor.FloatTensor;
import org.lstm4j.tensor.IntTensor;

/**
 * Feeds a model one step (or one chunk) at a time for several independent streams, carrying
 * each stream's LSTM state from call to call: a sensor per stream, say, each reading predicted
 * as it arrives. The state can be snapshotted and restored, to checkpoint a stream or branch it.
 *
 * <p>Not thread-safe: a stream has one state, advanced by one caller at a time. Separate streams
 * of one thread-safe predictor may be advanced from separate threads; they share no state.
 * A call refused with {@link IllegalArgumentException} (a wrong shape, a NaN under
 * {@link NanPolicy#REJECT}) leaves the state as it was.
 */
public interface StreamingPredictor extends AutoCloseable {

    /** The number of streams. */
    int streams();

    /**
     * Advances every stream by one step.
     *
     * @param step {@code [streams, features]}
     * @return the model's output for that step, {@code [streams, out]}
     */
    FloatTensor step(FloatTensor step);

    /**
     * Advances every stream by {@code time} steps.
     *
     * @param chunk {@code [streams, time, features]}
     * @return the model's output over the chunk: {@code [streams, time, out]} for sequence models,
     *         else {@code [streams, out]} for the chunk's end
     */
    FloatTensor chunk(FloatTensor chunk);

    /**
     * Advances every stream by one token, for a model that starts with an embedding. A token its
     * model masks (id 0 with {@code mask_zero}) leaves the stream's state as it was.
     *
     * @param tokens {@code [streams]}, one id per stream
     * @return the model's output for that step, {@code [streams, out]}
     */
    default FloatTensor step(IntTensor tokens) {
        throw new UnsupportedOperationException(getClass().getName() + " does not stream token ids");
    }

    /**
     * Advances every stream by {@code time} tokens.
     *
     * @param tokens {@code [streams, time]}
     * @return as {@link #chunk(FloatTensor)}
     */
    default FloatTensor chunk(IntTensor tokens) {
        throw new UnsupportedOperationException(getClass().getName() + " does not stream token ids");
    }

    /** The current state of every stream (immutable; cheap to keep). */
    ModelState snapshot();

    /** Replaces the current state; it must have been taken from a stream of the same model and size. */
    void restore(ModelState state);

    /** Sets every stream back to zero state. */
    void reset();

    /** Sets one stream back to zero state, leaving the others. */
    void reset(int stream);

    /**
     * Ends the stream: later calls throw {@link IllegalStateException}; closing twice is harmless.
     * The predictor it runs on stays open (it belongs to whoever compiled it).
     */
    @Override
    void close();
}
