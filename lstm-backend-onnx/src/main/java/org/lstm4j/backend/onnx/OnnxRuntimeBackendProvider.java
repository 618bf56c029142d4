package org.lstm4j.backend.onnx;

import ai.onnxruntime.OrtEnvironment;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;
import org.lstm4j.backend.AbstractBackendProvider;
import org.lstm4j.backend.Availability;
import org.lstm4j.backend.Capability;
import org.lstm4j.model.SequenceModel;
import org.lstm4j.predict.Predictor;
import org.lstm4j.predict.PredictorOptions;

/**
 * The ONNX Runtime backend ({@value #NAME}): each model is exported to an ONNX graph once and run
 * by one ONNX Runtime session per predictor. ONNX Runtime's LSTM operator is the ONNX
 * specification's, so this backend runs every feature the neutral model has; each declared
 * capability is checked against the reference engine in this module's tests.
 *
 * <p>{@link #openRaw(Path)} runs an {@code .onnx} file as it is, by its graph's names, for models the
 * importer cannot map.
 */
public final class OnnxRuntimeBackendProvider extends AbstractBackendProvider {

    public static final String NAME = "onnx";

    /** Above the reference engine (0): when this backend is on the class path and loads, it is the default. */
    public static final int PRIORITY = 100;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return PRIORITY;
    }

    @Override
    public Availability availability() {
        try {
            return new Availability(true, "ONNX Runtime " + environment().getVersion(), null);
        } catch (IllegalStateException e) {
            return Availability.unavailable(e.getMessage(), e.getCause());
        }
    }

    /**
     * Everything: ONNX Runtime's CPU LSTM implements the ONNX operator's activations (with alpha and
     * beta), clip, input_forget, peepholes, sequence_lens, initial states and both directions;
     * streaming uses the API's stateful stream over initial and final states; {@code OrtSession.run}
     * is thread-safe. Each is checked against the reference engine in this module's tests and by the
     * conformance kit.
     *
     * <p>One known difference (ONNX Runtime 1.29, pinned by {@code OnnxRuntimeLimitationsTest}): as an
     * LSTM activation, Softplus gives Infinity for pre-activations above about 88.7, where e^x overflows
     * float32, instead of about x. Such values only arise in cells that have already run far out of any
     * trained range.
     */
    /**
     * Everything but masks with holes: ONNX's LSTM knows only trailing {@code sequence_lens}, so contiguous masks
     * reach it rotated into right-padded lengths ({@link org.lstm4j.predict.AbstractPredictor}) and a mask with a
     * hole is refused naming {@link Capability#ARBITRARY_MASKS}.
     */
    static final Set<Capability> CAPABILITIES = EnumSet.complementOf(EnumSet.of(Capability.ARBITRARY_MASKS));

    @Override
    public Set<Capability> capabilities() {
        return EnumSet.copyOf(CAPABILITIES);
    }

    @Override
    protected Predictor open(SequenceModel model, PredictorOptions options) {
        return new OnnxRuntimePredictor(environment(), model, options);
    }

    /** Opens an ONNX file as it is, with default options (one thread, all graph optimisations). */
    public static RawOnnxModel openRaw(Path onnx) {
        return openRaw(onnx, PredictorOptions.defaults());
    }

    /** Opens an ONNX file as it is; thread and optimisation settings come from {@code options}. */
    public static RawOnnxModel openRaw(Path onnx, PredictorOptions options) {
        return RawOnnxModel.open(environment(), onnx, options);
    }

    /**
     * ONNX Runtime 1.29.0's Java natives crash the JVM with SIGSEGV while starting when the process's
     * command line (/proc/self/cmdline) is longer than about 3,980 bytes, as a long -cp makes it
     * (measured here: 3,964 bytes ran, 3,985 crashed, whatever the working directory and environment).
     * A crash would take the user's whole JVM down, so a longer command line makes the backend
     * unavailable with instructions instead.
     */
    static final int LONGEST_SAFE_COMMAND_LINE = 3900;

    private static OrtEnvironment environment() {
        long commandLine = commandLineLength();
        if (commandLine > LONGEST_SAFE_COMMAND_LINE) {
            throw new IllegalStateException("ONNX Runtime was not started: this JVM's command line is " + commandLine
                    + " bytes, and ONNX Runtime 1.29.0's native start crashes the JVM (SIGSEGV) above about 3,980. Pass the class path "
                    + "in an argument file (java @classpath.txt ...), the CLASSPATH variable or a manifest-only jar, as Maven Surefire does");
        }
        try {
            return OrtEnvironment.getEnvironment();
        } catch (LinkageError | RuntimeException e) {
            // UnsatisfiedLinkError (no native library for this platform, or a missing system library),
            // NoClassDefFoundError / ExceptionInInitializerError (the runtime's static loader failed).
            throw new IllegalStateException("ONNX Runtime's native library could not be loaded on " + System.getProperty("os.name")
                    + " " + System.getProperty("os.arch") + ": " + e + "; use another lstm4j backend (the java backend needs no native code)", e);
        }
    }

    /** The length of /proc/self/cmdline, or 0 where there is none (not Linux). */
    static long commandLineLength() {
        try {
            Path cmdline = Path.of("/proc/self/cmdline");
            return java.nio.file.Files.isReadable(cmdline) ? java.nio.file.Files.readAllBytes(cmdline).length : 0;
        } catch (java.io.IOException | SecurityException e) {
            return 0;
        }
    }
}
