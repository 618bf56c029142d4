package org.lstm4j.audio;

/**
 * Rational-ratio resampling with an anti-aliasing FIR filter, exactly as {@code librosa.resample(y, orig_sr=a,
 * target_sr=b, res_type='polyphase')} does it: {@code scipy.signal.resample_poly(y, up, down)} with
 * {@code up = b / gcd(a, b)} and {@code down = a / gcd(a, b)} (a Kaiser-windowed sinc low-pass, {@code beta = 5.0},
 * cutoff {@code 1 / max(up, down)} of Nyquist, {@code 2 * 10 * max(up, down) + 1} taps, gain {@code up}), then
 * {@code librosa.util.fix_length} to {@code ceil(n * b / a)} samples.
 *
 * <p>Why not a Java library: none on Maven Central is maintained and reproduces a resampler a Python pipeline uses;
 * this one is checked against librosa sample by sample (ResamplerTest). Computed in double, returned as float32.
 * Immutable and thread-safe; the filter (a few thousand taps) is made once per instance.
 */
public final class Resampler {

    private static final double KAISER_BETA = 5.0;
    /** 16 MB of filter: enough for every pair of the usual rates (8 k, 11.025 k, 16 k, 22.05 k, 44.1 k, 48 k, 96 k). */
    private static final long MAX_TAPS = 2_000_001;

    private final int from;
    private final int to;
    private final int up;
    private final int down;
    private final double[] filter;  // scipy's h: firwin(...) * up, without resample_poly's zero padding
    private final int halfLength;

    private Resampler(int from, int to) {
        this.from = from;
        this.to = to;
        int g = gcd(from, to);
        this.up = to / g;
        this.down = from / g;
        int maxRate = Math.max(up, down);
        this.halfLength = 10 * maxRate;
        this.filter = lowPass(2 * halfLength + 1, 1.0 / maxRate);
        for (int k = 0; k < filter.length; k++) {
            filter[k] *= up;
        }
    }

    /** A resampler from one rate to another (samples per second, each positive). */
    public static Resampler of(int fromRate, int toRate) {
        if (fromRate <= 0 || toRate <= 0) {
            throw new IllegalArgumentException("sample rates must be positive, got " + fromRate + " -> " + toRate);
        }
        int g = gcd(fromRate, toRate);
        long taps = 20L * Math.max(toRate / g, fromRate / g) + 1;
        if (taps > MAX_TAPS) {
            throw new IllegalArgumentException("resampling " + fromRate + " -> " + toRate + " Hz needs a filter of " + taps
                    + " taps (the reduced ratio " + toRate / g + "/" + fromRate / g + " is too fine; at most " + MAX_TAPS
                    + "); pick rates with a larger common divisor");
        }
        return new Resampler(fromRate, toRate);
    }

    /** The number of samples {@link #resample} returns for {@code n} input samples (librosa's {@code ceil(n * ratio)}). */
    public int outputLength(int n) {
        return (int) Math.ceil(n * ((double) to / from));
    }

    public float[] resample(float[] x) {
        int n = x.length;
        int outLength = outputLength(n);
        float[] y = new float[outLength];
        if (from == to) {
            System.arraycopy(x, 0, y, 0, Math.min(n, outLength));
            return y;
        }
        // resample_poly pads the filter with prePad zeros in front and drops the first preRemove outputs of
        // upfirdn(h, x, up, down); output i is then sum_j h[(i + preRemove) * down - prePad - j * up] * x[j].
        int prePad = down - halfLength % down;
        long preRemove = (halfLength + prePad) / down;
        int polyphaseOut = (int) (((long) n * up + down - 1) / down);  // resample_poly's own length, before fix_length
        int taps = filter.length;
        for (int i = 0; i < Math.min(outLength, polyphaseOut); i++) {
            long t = (i + preRemove) * down - prePad;  // position in the upsampled signal that h[0] meets
            // j * up must lie in (t - taps, t]
            long jMin = Math.max(0, Math.floorDiv(t - taps, up) + 1);
            long jMax = Math.min(n - 1, Math.floorDiv(t, up));
            double sum = 0;
            for (long j = jMin; j <= jMax; j++) {
                sum += filter[(int) (t - j * up)] * x[(int) j];
            }
            y[i] = (float) sum;
        }
        return y;
    }

    /** scipy.signal.firwin(numTaps, cutoff, window=('kaiser', 5.0)): windowed sinc, scaled to unit gain at DC. */
    private static double[] lowPass(int numTaps, double cutoff) {
        double[] h = new double[numTaps];
        double alpha = 0.5 * (numTaps - 1);
        double i0Beta = besselI0(KAISER_BETA);
        double sum = 0;
        for (int k = 0; k < numTaps; k++) {
            double m = k - alpha;
            double ratio = (k - alpha) / alpha;
            double window = besselI0(KAISER_BETA * Math.sqrt(Math.max(0, 1 - ratio * ratio))) / i0Beta;
            h[k] = cutoff * sinc(cutoff * m) * window;
            sum += h[k];
        }
        for (int k = 0; k < numTaps; k++) {
            h[k] /= sum;
        }
        return h;
    }

    private static double sinc(double x) {
        if (x == 0) {
            return 1;
        }
        double y = Math.PI * x;
        return Math.sin(y) / y;
    }

    /** The modified Bessel function of the first kind, order 0, by its power series (converges fast for |x| <= 5). */
    static double besselI0(double x) {
        double term = 1;
        double sum = 1;
        double q = x * x / 4;
        for (int k = 1; k < 200; k++) {
            term *= q / ((double) k * k);
            sum += term;
            if (term < sum * 1e-17) {
                break;
            }
        }
        return sum;
    }

    private static int gcd(int a, int b) {
        while (b != 0) {
            int t = a % b;
            a = b;
            b = t;
        }
        return a;
    }

    @Override
    public String toString() {
        return "Resampler[" + from + " -> " + to + " Hz, up " + up + ", down " + down + ", " + filter.length + " taps]";
    }
}
