package org.lstm4j.predict;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.lstm4j.backend.Capability;
import org.lstm4j.backend.UnsupportedInputException;
import org.lstm4j.model.SequenceModel;
import org.lstm4j.tensor.FloatTensor;

/**
 * The part of every predictor that does not depend on the engine: input checks with messages
 * that name the mismatch (token ids against the vocabulary included), the NaN policy, masks,
 * close semantics, the backend's name and the thread-safety claim. A backend implements
 * {@link #run} and, if it holds native resources, {@link #release}.
 *
 * <p>Masks ({@link StepMask}: lengths, masks given with the input, masking layers, {@code mask_zero})
 * are resolved here once. An engine that declares {@link Capability#ARBITRARY_MASKS} gets the whole
 * mask in {@link SequenceBatch#mask()} and computes {@link StepMask}'s equations itself. Any other
 * engine gets only right-padded lengths: a contiguous mask is turned into them by rotating each row's
 * valid steps to the front ({@link ContiguousMaskRun}), and a mask with holes is refused naming
 * {@link Capability#ARBITRARY_MASKS}.
 */
public abstract class AbstractPredictor implements Predictor {

    /** What an engine compiled with the two-argument constructor declares: everything before token inputs and masks. */
    private static final Set<Capability> LENGTHS_ONLY = EnumSet.complementOf(
            EnumSet.of(Capability.TOKEN_INPUTS, Capability.MASKS, Capability.ARBITRARY_MASKS, Capability.LOG_SOFTMAX));

    protected final SequenceModel model;
    protected final PredictorOptions options;
    private final String backendName;
    private final Set<Capability> capabilities;
    private final AtomicBoolean closed = new AtomicBoolean();

    /** An engine that knows sequence lengths but not masks or token ids. */
    protected AbstractPredictor(String backendName, SequenceModel model, PredictorOptions options) {
        this(backendName, model, options, LENGTHS_ONLY);
    }

    /** An engine that declares {@code capabilities} (its provider's), which decide how masks reach {@link #run}. */
    protected AbstractPredictor(String backendName, SequenceModel model, PredictorOptions options, Set<Capability> capabilities) {
        this.backendName = Objects.requireNonNull(backendName, "backendName");
        this.model = Objects.requireNonNull(model, "model");
        this.options = Objects.requireNonNull(options, "options");
        this.capabilities = EnumSet.copyOf(capabilities);
    }

    @Override
    public final String backendName() {
        return backendName;
    }

    /**
     * True: every engine of lstm4j runs a call on state of its own (a workspace per call, a session whose
     * run is thread-safe), so one predictor serves many threads. A backend whose calls share mutable state
     * overrides this to say false; the conformance kit checks the claim either way (concurrent predictions
     * must equal serial ones).
     */
    @Override
    public boolean isThreadSafe() {
        return true;
    }

    @Override
    public final SequenceModel model() {
        return model;
    }

    @Override
    public final Prediction predict(SequenceBatch batch) {
        Objects.requireNonNull(batch, "batch");
        ensureOpen();
        check(batch);
        StepMask mask = StepMask.resolve(model, batch);
        if (mask == null) {
            return run(unmasked(batch));
        }
        if (batch.hasMask() && !capabilities.contains(Capability.MASKS)) {
            throw new UnsupportedInputException("backend '" + backendName() + "' does not declare " + Capability.MASKS
                    + ": it cannot run a batch with a mask; pass sequence lengths for right or left padding, or use a backend that declares it");
        }
        if (capabilities.contains(Capability.ARBITRARY_MASKS)) {
            return run(unmasked(batch).withMask(mask));
        }
        int[] hole = mask.firstHole();
        if (hole != null) {
            throw new UnsupportedInputException("row " + hole[0] + " of the batch has a masked step (step " + hole[1]
                    + ") between valid ones; backend '" + backendName() + "' does not declare " + Capability.ARBITRARY_MASKS
                    + " and runs only masks whose valid steps are contiguous (pre- or post-padding); the java and java-fast backends run any mask");
        }
        return ContiguousMaskRun.run(model, batch, mask, this::run, backendName());
    }

    /** The batch's input and state without lengths or mask. */
    private static SequenceBatch unmasked(SequenceBatch batch) {
        SequenceBatch b = batch.hasTokens() ? SequenceBatch.ofTokens(batch.tokens()) : SequenceBatch.of(batch.input());
        if (!batch.hasInitialState()) {
            return b;
        }
        return batch.continuesStreams() ? b.continuing(batch.initialState()) : b.withInitialState(batch.initialState());
    }

    /**
     * Runs a checked batch on the engine. Without {@link Capability#ARBITRARY_MASKS}, the batch has
     * no mask and at most right-padded lengths ({@link SequenceBatch#isRagged()}), and the engine
     * computes {@link StepMask}'s equations for that trailing mask with {@link org.lstm4j.model.MaskedOutput#ZERO}
     * outputs (ONNX's {@code sequence_lens}; a {@code go_backwards} layer's output is in processing order
     * over the whole time axis, so its padding's zeros come first); with it,
     * the batch's {@link SequenceBatch#mask()} is the whole mask and the engine computes
     * {@link StepMask}'s equations. Token ids lie in the vocabulary; the initial state, if any, fits.
     */
    protected abstract Prediction run(SequenceBatch batch);

    /** Opens a stream; on a closed predictor it throws here, not at the stream's first step. */
    @Override
    public StreamingPredictor stream(int streams) {
        ensureOpen();
        return Predictor.super.stream(streams);
    }

    /** Frees engine resources; called once, by the first {@link #close()}. */
    protected void release() {
    }

    @Override
    public final void close() {
        if (closed.compareAndSet(false, true)) {
            release();
        }
    }

    public final boolean isClosed() {
        return closed.get();
    }

    protected final void ensureOpen() {
        if (closed.get()) {
            throw new IllegalStateException(backendName() + " predictor for model '" + model.name() + "' is closed");
        }
    }

    private void check(SequenceBatch batch) {
        if (model.readsTokens() != batch.hasTokens()) {
            throw new IllegalArgumentException(model.readsTokens()
                    ? "model '" + model.name() + "' reads token ids [batch, time] (it starts with an embedding); got features "
                            + Arrays.toString(batch.input().shape())
                    : "model '" + model.name() + "' reads features [batch, time, " + model.inputSize() + "]; got token ids "
                            + Arrays.toString(batch.tokens().shape()));
        }
        if (batch.hasTokens()) {
            // Ids outside the vocabulary are the caller's error, named here: never an engine's index exception or a clamp.
            model.embedding().orElseThrow().requireInVocabulary(batch.tokens());
        } else if (batch.input().dim(2) != model.inputSize()) {
            FloatTensor x = batch.input();
            throw new IllegalArgumentException("input " + Arrays.toString(x.shape()) + " has " + x.dim(2)
                    + " features per step; model '" + model.name() + "' expects [batch, time, " + model.inputSize() + "]");
        }
        if (batch.batchSize() < 1 || batch.timeSteps() < 1) {
            throw new IllegalArgumentException("input of " + batch.batchSize() + " sequence(s) of " + batch.timeSteps()
                    + " step(s) is empty; at least one sequence of one step is needed");
        }
        if (batch.hasInitialState()) {
            batch.initialState().requireFits(model, batch.batchSize());
        }
        if (options.nanPolicy() == NanPolicy.REJECT) {
            if (!batch.hasTokens()) {
                rejectNonFinite("input", batch.input());
            }
            if (batch.hasInitialState()) {
                for (int i = 0; i < batch.initialState().layers().size(); i++) {
                    rejectNonFinite("initial hidden state of LSTM layer " + i, batch.initialState().layer(i).hidden());
                    rejectNonFinite("initial cell state of LSTM layer " + i, batch.initialState().layer(i).cell());
                }
            }
        }
    }

    private static void rejectNonFinite(String what, FloatTensor t) {
        for (int k = 0; k < t.size(); k++) {
            float v = t.get(k);
            if (!Float.isFinite(v)) {
                throw new IllegalArgumentException(what + " holds " + v + " at " + Arrays.toString(unflatten(k, t.shape()))
                        + " (NanPolicy.REJECT)");
            }
        }
    }

    private static int[] unflatten(int flat, int[] shape) {
        int[] idx = new int[shape.length];
        for (int a = shape.length - 1; a >= 0; a--) {
            idx[a] = flat % shape[a];
            flat /= shape[a];
        }
        return idx;
    }
}
