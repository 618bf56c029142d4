package org.lstm4j.backend.java.fast;

import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.lstm4j.backend.AbstractBackendProvider;
import org.lstm4j.backend.Availability;
import org.lstm4j.backend.Capability;
import org.lstm4j.model.SequenceModel;
import org.lstm4j.predict.Predictor;
import org.lstm4j.predict.PredictorOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fast pure-Java engine, {@code java-fast}: float32, packed fused weights, a register-blocked
 * matrix multiply over the batch, no allocation per streamed step. Every feature of the model, like
 * the reference engine ({@code java}), which stays the double-precision oracle it is tested against.
 *
 * <p>Uses the JDK Vector API when the JVM runs with {@code --add-modules jdk.incubator.vector}
 * and falls back to scalar kernels otherwise, warning once (or, silently, with {@code -Dlstm4j.fast.vector=false});
 * both give the same results within float32 rounding. Priority 10: above the reference engine, below native
 * backends.
 */
public final class FastJavaBackendProvider extends AbstractBackendProvider {

    public static final String NAME = "java-fast";

    private static final Logger LOG = LoggerFactory.getLogger(FastJavaBackendProvider.class);
    /** The scalar fallback is said once per JVM, at the first compile that runs on it. */
    private static final AtomicBoolean SCALAR_WARNED = new AtomicBoolean();

    private final Kernels kernels;

    /** The provider ServiceLoader makes: Vector API kernels where the JVM has them. */
    public FastJavaBackendProvider() {
        this(null);
    }

    private FastJavaBackendProvider(Kernels kernels) {
        this.kernels = kernels;
    }

    /** A provider that always uses the scalar kernels: for tests and benchmarks of the fallback. */
    public static FastJavaBackendProvider scalarOnly() {
        return new FastJavaBackendProvider(Kernels.scalar());
    }

    /** Which kernels this provider's predictors run on, and why when they are the scalar ones. */
    public String kernelDescription() {
        Kernels k = kernels();
        return k == Kernels.scalar() && kernels == null ? k.description() + " (" + Kernels.Selection.WHY + ")" : k.description();
    }

    private Kernels kernels() {
        return kernels != null ? kernels : Kernels.best();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return 10;
    }

    @Override
    public Availability availability() {
        return Availability.ok();
    }

    /** Everything lstm4j can describe, masks with holes included (each checked by the conformance kit on both kernels). */
    static final Set<Capability> CAPABILITIES = EnumSet.allOf(Capability.class);

    @Override
    public Set<Capability> capabilities() {
        return EnumSet.copyOf(CAPABILITIES);
    }

    @Override
    protected Predictor open(SequenceModel model, PredictorOptions options) {
        Kernels k = kernels();
        if (kernels == null && k == Kernels.scalar() && !Kernels.Selection.disabledByProperty() && SCALAR_WARNED.compareAndSet(false, true)) {
            LOG.warn("java-fast runs its scalar kernels because {}: 4 to 15 times slower than its Vector API kernels on lstm4j's "
                    + "benchmark shapes. Start the JVM with --add-modules jdk.incubator.vector to use them.", Kernels.Selection.WHY);
        }
        return new FastPredictor(model, options, k);
    }
}
