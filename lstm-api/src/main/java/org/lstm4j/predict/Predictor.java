package org.lstm4j.predict;

import org.lstm4j.model.SequenceModel;
import org.lstm4j.tensor.FloatTensor;
import org.lstm4j.tensor.IntTensor;

/**
 * Runs one compiled model on batches of sequences. A predictor owns its engine's native
 * resources (sessions, graphs, buffers) and releases them in {@link #close()}; closing twice is
 * harmless, and any other call after close throws {@link IllegalStateException}.
 *
 * <p>Whether one instance may be called from several threads at once is stated by
 * {@link #isThreadSafe()}; the conformance kit checks the claim. A predictor that is not
 * thread-safe is used by one thread at a time (compile one per thread).
 *
 * <p>Ownership: whoever compiles a predictor closes it, best with try-with-resources; native
 * memory is not left to the garbage collector. Its {@link StreamingPredictor}s borrow it: closing a
 * stream leaves the predictor open, and closing the predictor makes its streams fail with
 * {@link IllegalStateException}. Errors: bad input is an {@link IllegalArgumentException} whose
 * message names the mismatch, before any engine call; NaN and infinite values follow
 * {@link PredictorOptions#nanPolicy()}.
 */
public interface Predictor extends AutoCloseable {

    /** The model this predictor runs. */
    SequenceModel model();

    /** The name of the backend that compiled it. */
    String backendName();

    /**
     * Runs a batch.
     *
     * @throws IllegalArgumentException when the input's feature count, the lengths or the initial
     *                                  state do not fit the model (the message names which and how)
     * @throws IllegalStateException    after {@link #close()}
     */
    Prediction predict(SequenceBatch batch);

    /** Runs {@code [batch, time, features]} from zero state with every sequence full length. */
    default Prediction predict(FloatTensor input) {
        return predict(SequenceBatch.of(input));
    }

    /** Runs {@code [batch, time, features]} from zero state; masked steps ({@code mask [batch, time]} false) are padding. */
    default Prediction predict(FloatTensor input, StepMask mask) {
        return predict(SequenceBatch.of(input).withMask(mask));
    }

    /**
     * Runs token ids {@code [batch, time]} (a model that starts with an embedding) from zero state.
     *
     * @throws IllegalArgumentException for an id outside the vocabulary, naming its row, step and value
     */
    default Prediction predict(IntTensor tokens) {
        return predict(SequenceBatch.ofTokens(tokens));
    }

    /** Runs token ids {@code [batch, time]} from zero state; masked steps are padding. */
    default Prediction predict(IntTensor tokens, StepMask mask) {
        return predict(SequenceBatch.ofTokens(tokens).withMask(mask));
    }

    /**
     * Opens a stream over {@code streams} independent sequences that carries state from call to
     * call, starting from zeros. Needs a model whose LSTMs all read forward.
     */
    default StreamingPredictor stream(int streams) {
        return new StatefulStream(this, streams);
    }

    /** Whether {@link #predict} may be called concurrently from several threads. */
    boolean isThreadSafe();

    /** Releases native resources; idempotent. */
    @Override
    void close();
}
