package org.lstm4j.backend.java.fast;

/**
 * The two inner loops the fast engine spends its time in, in two implementations: one on the JDK
 * Vector API (jdk.incubator.vector, when the JVM was started with
 * {@code --add-modules jdk.incubator.vector}) and a scalar one that runs on any JVM. Which one a
 * predictor uses is decided once, at class initialisation, by {@link #best()}.
 */
interface Kernels {

    /** The panel width {@link PackedMatrix} must be packed with for {@link #gemm}. */
    int panelWidth();

    /** A short description for logs and benchmark tables ("vector 256-bit", "scalar"). */
    String description();

    /**
     * {@code C[m][w.paddedCols()] += A[m][w.rows] * W}: A's row i starts at {@code aOff + i * lda},
     * C's row i at {@code cOff + i * ldc}.
     */
    void gemm(float[] a, int aOff, int lda, int m, PackedMatrix w, float[] c, int cOff, int ldc);

    /** {@code C[m][w.paddedCols()] = bias + A * W}, bias {@code [w.paddedCols()]} added to every row; C's old values are ignored. */
    void gemm(float[] a, int aOff, int lda, int m, PackedMatrix w, float[] bias, float[] c, int cOff, int ldc);

    /**
     * The standard LSTM cell (sigmoid, tanh, tanh; no peepholes, clip or coupling) for one sequence:
     * {@code gates[gOff ..]} holds the pre-activations i, f, c, o (each {@code hidden} wide), {@code cell}
     * is updated in place and the new hidden state written at {@code h[hOff ..]}.
     */
    void lstmCell(float[] gates, int gOff, int hidden, float[] cell, int cOff, float[] h, int hOff);

    /** The Vector API kernels when the module is present and not disabled, else the scalar ones. */
    static Kernels best() {
        return Selection.BEST;
    }

    static Kernels scalar() {
        return ScalarKernels.INSTANCE;
    }

    /** Holder so the choice (and any failure to load the Vector API) happens once, lazily. */
    final class Selection {
        /** Set {@code -Dlstm4j.fast.vector=false} to force the scalar kernels. */
        static final String PROPERTY = "lstm4j.fast.vector";
        static final Kernels BEST = choose();
        static final String WHY;

        static {
            WHY = BEST instanceof ScalarKernels ? reason() : "";
        }

        private Selection() {
        }

        /** Whether the user turned the Vector API kernels off ({@code -Dlstm4j.fast.vector=false}). */
        static boolean disabledByProperty() {
            return !Boolean.parseBoolean(System.getProperty(PROPERTY, "true"));
        }

        private static Kernels choose() {
            if (disabledByProperty()) {
                return ScalarKernels.INSTANCE;
            }
            if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
                return ScalarKernels.INSTANCE;
            }
            try {
                // Loaded reflectively: on a JVM without the module the class must never be linked.
                return (Kernels) Class.forName("org.lstm4j.backend.java.fast.VectorKernels").getDeclaredConstructor().newInstance();
            } catch (ReflectiveOperationException | LinkageError e) {
                return ScalarKernels.INSTANCE;
            }
        }

        private static String reason() {
            if (disabledByProperty()) {
                return "disabled by -D" + PROPERTY + "=false";
            }
            if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
                return "the JVM was started without --add-modules jdk.incubator.vector";
            }
            return "the Vector API failed to load";
        }
    }
}
