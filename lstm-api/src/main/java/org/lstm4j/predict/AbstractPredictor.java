package org.lstm4j.predict;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.lstm4j.model.LstmLayer;
import org.lstm4j.model.OutputMode;
import org.lstm4j.model.SequenceModel;
import org.lstm4j.tensor.FloatTensor;
import org.lstm4j.tensor.TensorBuilder;

/**
 * The part of every predictor that does not depend on the engine: input checks with messages
 * that name the mismatch, the NaN policy, left padding (turned into right padding, the only
 * kind engines see), close semantics, the backend's name and the thread-safety claim. A backend
 * implements {@link #run} and, if it holds native resources, {@link #release}.
 */
public abstract class AbstractPredictor implements Predictor {

    protected final SequenceModel model;
    protected final PredictorOptions options;
    private final String backendName;
    private final AtomicBoolean closed = new AtomicBoolean();

    protected AbstractPredictor(String backendName, SequenceModel model, PredictorOptions options) {
        this.backendName = Objects.requireNonNull(backendName, "backendName");
        this.model = Objects.requireNonNull(model, "model");
        this.options = Objects.requireNonNull(options, "options");
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
        ensureOpen();
        check(batch);
        if (batch.padding() == Padding.LEFT && batch.isRagged()) {
            return predictLeftPadded(batch);
        }
        return run(batch);
    }

    /**
     * Runs a checked batch on the engine. The batch's padding is {@link Padding#RIGHT} (or it has
     * no short sequence); its initial state, if any, fits the model.
     */
    protected abstract Prediction run(SequenceBatch batch);

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
        FloatTensor x = batch.input();
        if (x.dim(2) != model.inputSize()) {
            throw new IllegalArgumentException("input " + Arrays.toString(x.shape()) + " has " + x.dim(2)
                    + " features per step; model '" + model.name() + "' expects [batch, time, " + model.inputSize() + "]");
        }
        if (x.dim(0) < 1 || x.dim(1) < 1) {
            throw new IllegalArgumentException("input " + Arrays.toString(x.shape()) + " is empty; at least one sequence of one step is needed");
        }
        if (batch.hasInitialState()) {
            batch.initialState().requireFits(model, x.dim(0));
        }
        if (options.nanPolicy() == NanPolicy.REJECT) {
            rejectNonFinite("input", x);
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

    /**
     * Left padding: rotate each sequence so its valid steps come first, run right-padded, and
     * rotate sequence outputs back so each stays at its input's position. Padding positions hold
     * what the right-padded run gives past a sequence's end.
     */
    private Prediction predictLeftPadded(SequenceBatch batch) {
        List<LstmLayer> lstms = model.lstmLayers();
        if (lstms.get(lstms.size() - 1).outputMode() == OutputMode.LAST_STEP) {
            throw new IllegalArgumentException("model '" + model.name() + "' outputs the batch's last time step (LAST_STEP), "
                    + "which is padding for right-padded sequences; left padding is supported for SEQUENCES and FINAL_STATE outputs");
        }
        int[] lengths = batch.lengths();
        int[] shifts = new int[lengths.length];
        for (int b = 0; b < shifts.length; b++) {
            shifts[b] = batch.timeSteps() - lengths[b];
        }
        FloatTensor x = rotateTime(batch.input(), shifts, true);
        Prediction p = run(SequenceBatch.of(x).withLengths(lengths).withInitialState(batch.initialState()));
        FloatTensor out = p.output().rank() == 3 ? rotateTime(p.output(), shifts, false) : p.output();
        return new Prediction(out, p.finalState());
    }

    /** Rotates each sequence's time axis: forward moves step {@code shift} to 0, backward undoes it. */
    private static FloatTensor rotateTime(FloatTensor t, int[] shifts, boolean forward) {
        int b = t.dim(0);
        int time = t.dim(1);
        int f = t.dim(2);
        float[] src = t.toArray();
        TensorBuilder out = new TensorBuilder(b, time, f);
        float[] dst = out.values();
        for (int s = 0; s < b; s++) {
            for (int k = 0; k < time; k++) {
                int from = forward ? (k + shifts[s]) % time : k;
                int to = forward ? k : (k + shifts[s]) % time;
                System.arraycopy(src, (s * time + from) * f, dst, (s * time + to) * f, f);
            }
        }
        return out.build();
    }
}
