package org.lstm4j.audio;

import java.util.Objects;
import org.jtransforms.fft.DoubleFFT_1D;
import org.lstm4j.tensor.FloatTensor;

/**
 * Spectral features of mono audio as librosa 0.11 computes them, frame by frame, time first ({@code [frames][bins]},
 * the transpose of librosa's {@code [bins, frames]}: a sequence model reads one frame per step).
 *
 * <ul>
 *   <li>{@link #power}: {@code np.abs(librosa.stft(y, n_fft, hop_length, win_length, window='hann', center=True,
 *       pad_mode='constant')) ** 2}: frames centred on {@code t * hop}, the signal padded with {@code n_fft // 2} zeros
 *       at each end, a periodic Hann window, FFT by JTransforms;</li>
 *   <li>{@link #mel}: {@code librosa.feature.melspectrogram}: the power spectrum through {@code librosa.filters.mel(sr,
 *       n_fft, n_mels, fmin, fmax, htk=False, norm='slaney')} (the Slaney mel scale, area-normalised triangles, stored
 *       in float32 as librosa stores them);</li>
 *   <li>{@link #logMel}: {@code librosa.power_to_db(mel, ref=1.0, amin=1e-10, top_db=top_db)};</li>
 *   <li>{@link #mfcc}: {@code librosa.feature.mfcc(S=logMel, n_mfcc, dct_type=2, norm='ortho', lifter=0)}.</li>
 * </ul>
 *
 * <p>The builder's defaults are librosa's: {@code n_fft=2048}, {@code win_length=n_fft}, {@code hop_length=win_length
 * // 4}, {@code n_mels=128}, {@code fmin=0}, {@code fmax=sr/2}, {@code n_mfcc=20}, {@code top_db=80}. {@code top_db}
 * clips every value to the whole clip's maximum minus {@code top_db}, which a stream cannot know in advance: a
 * {@link FeatureStream} needs {@code topDb(null)} (librosa's {@code top_db=None}).
 *
 * <p>Computed in double. Immutable and thread-safe; each call makes its own FFT plan and buffers.
 */
public final class AudioFeatures {

    /** What a frame holds. */
    public enum Kind { POWER, MEL, LOG_MEL, MFCC }

    static final double AMIN = 1e-10;

    private final int sampleRate;
    private final int nFft;
    private final int winLength;
    private final int hopLength;
    private final int nMels;
    private final double fMin;
    private final double fMax;
    private final int nMfcc;
    private final Double topDb;
    private final double[] window;     // length nFft: the Hann window centred, zero outside winLength
    private final MelFilterBank melBank;
    private final double[][] dct;       // [nMfcc][nMels], DCT-II orthonormal

    private AudioFeatures(Builder b) {
        this.sampleRate = b.sampleRate;
        this.nFft = b.nFft;
        this.winLength = b.winLength == 0 ? b.nFft : b.winLength;
        this.hopLength = b.hopLength == 0 ? winLength / 4 : b.hopLength;
        this.nMels = b.nMels;
        this.fMin = b.fMin;
        this.fMax = Double.isNaN(b.fMax) ? sampleRate / 2.0 : b.fMax;
        this.nMfcc = b.nMfcc;
        this.topDb = b.topDb;
        if (nFft < 2 || winLength < 1 || winLength > nFft || hopLength < 1 || nMels < 1 || nMfcc < 1 || nMfcc > nMels) {
            throw new IllegalArgumentException("need n_fft >= 2, 1 <= win_length <= n_fft, hop_length >= 1, 1 <= n_mfcc <= n_mels; got n_fft "
                    + nFft + ", win_length " + winLength + ", hop_length " + hopLength + ", n_mels " + nMels + ", n_mfcc " + nMfcc);
        }
        if (nFft > 1 << 20) {
            throw new IllegalArgumentException("n_fft " + nFft + " is larger than 2^20 samples");
        }
        if (!(fMin >= 0) || !(fMax > fMin) || fMax > sampleRate / 2.0) {
            throw new IllegalArgumentException("need 0 <= fmin < fmax <= sr/2 = " + sampleRate / 2.0 + "; got fmin " + fMin + ", fmax " + fMax);
        }
        if (topDb != null && !(topDb >= 0)) {
            throw new IllegalArgumentException("top_db must be non-negative (or null for none), got " + topDb);
        }
        this.window = hannWindow(winLength, nFft);
        this.melBank = new MelFilterBank(sampleRate, nFft, nMels, fMin, fMax);
        this.dct = dctOrtho(nMfcc, nMels);
    }

    public static Builder builder(int sampleRate) {
        return new Builder(sampleRate);
    }

    /** librosa's defaults at this sample rate. */
    public static AudioFeatures librosaDefaults(int sampleRate) {
        return builder(sampleRate).build();
    }

    public int sampleRate() { return sampleRate; }
    public int nFft() { return nFft; }
    public int winLength() { return winLength; }
    public int hopLength() { return hopLength; }
    public int nMels() { return nMels; }
    public double fMin() { return fMin; }
    public double fMax() { return fMax; }
    public int nMfcc() { return nMfcc; }
    /** The dynamic range kept below the clip's maximum, in dB; null for none. */
    public Double topDb() { return topDb; }

    /** Values per frame of this kind. */
    public int width(Kind kind) {
        return switch (kind) {
            case POWER -> nFft / 2 + 1;
            case MEL, LOG_MEL -> nMels;
            case MFCC -> nMfcc;
        };
    }

    /** Frames librosa returns for {@code samples} samples with centre padding. */
    public int frameCount(int samples) {
        return 1 + (samples + 2 * (nFft / 2) - nFft) / hopLength;
    }

    public double[][] power(float[] y) { return compute(y, Kind.POWER); }
    public double[][] mel(float[] y) { return compute(y, Kind.MEL); }
    public double[][] logMel(float[] y) { return compute(y, Kind.LOG_MEL); }
    public double[][] mfcc(float[] y) { return compute(y, Kind.MFCC); }

    /** The features of a whole clip, {@code [frames][width(kind)]}. */
    public double[][] compute(float[] y, Kind kind) {
        Objects.requireNonNull(y, "audio");
        if (y.length == 0) {
            throw new IllegalArgumentException("no audio: features need at least one sample");
        }
        int pad = nFft / 2;
        double[] padded = new double[y.length + 2 * pad];
        for (int i = 0; i < y.length; i++) {
            padded[pad + i] = y[i];
        }
        int frames = frameCount(y.length);
        Frame frame = new Frame();
        double[][] out = new double[frames][];
        for (int t = 0; t < frames; t++) {
            out[t] = frame.compute(padded, t * hopLength, kind == Kind.MFCC || kind == Kind.LOG_MEL ? Kind.LOG_MEL : kind);
        }
        if (topDb != null && (kind == Kind.LOG_MEL || kind == Kind.MFCC)) {
            clipToTopDb(out);
        }
        if (kind == Kind.MFCC) {
            for (int t = 0; t < frames; t++) {
                out[t] = dct(out[t]);
            }
        }
        return out;
    }

    /** A stream of frames of this kind, computed as audio arrives; needs {@code topDb(null)} for log-mel and MFCC. */
    public FeatureStream stream(Kind kind) {
        if (topDb != null && (kind == Kind.LOG_MEL || kind == Kind.MFCC)) {
            throw new IllegalStateException("a stream of " + kind + " frames needs top_db = null: top_db clips to the whole clip's maximum, "
                    + "which a stream does not know until it ends (build with topDb(null), as librosa.power_to_db(top_db=None))");
        }
        return new FeatureStream(this, kind);
    }

    /** Frames as a model's input: {@code [1, frames, width]} float32. */
    public static FloatTensor toTensor(double[][] frames) {
        if (frames.length == 0) {
            throw new IllegalArgumentException("no frames");
        }
        int width = frames[0].length;
        float[] values = new float[frames.length * width];
        for (int t = 0; t < frames.length; t++) {
            if (frames[t].length != width) {
                throw new IllegalArgumentException("frame " + t + " has " + frames[t].length + " values, frame 0 has " + width);
            }
            for (int k = 0; k < width; k++) {
                values[t * width + k] = (float) frames[t][k];
            }
        }
        return FloatTensor.of(new int[] {1, frames.length, width}, values);
    }

    private void clipToTopDb(double[][] db) {
        double max = Double.NEGATIVE_INFINITY;
        for (double[] row : db) {
            for (double v : row) {
                max = Math.max(max, v);
            }
        }
        double floor = max - topDb;
        for (double[] row : db) {
            for (int k = 0; k < row.length; k++) {
                row[k] = Math.max(row[k], floor);
            }
        }
    }

    double[] dct(double[] logMel) {
        double[] c = new double[nMfcc];
        for (int k = 0; k < nMfcc; k++) {
            double sum = 0;
            double[] basis = dct[k];
            for (int m = 0; m < nMels; m++) {
                sum += basis[m] * logMel[m];
            }
            c[k] = sum;
        }
        return c;
    }

    /** One frame's computation with its own FFT plan and buffer: one per thread (a batch call or a stream). */
    final class Frame {
        private final DoubleFFT_1D fft = new DoubleFFT_1D(nFft);
        private final double[] buffer = new double[nFft];

        /** The frame starting at {@code signal[offset]} of the padded signal; LOG_MEL and MFCC without top_db. */
        double[] compute(double[] signal, int offset, Kind kind) {
            for (int n = 0; n < nFft; n++) {
                buffer[n] = signal[offset + n] * window[n];
            }
            fft.realForward(buffer);
            // JTransforms' packed layout (n even): a[2k] = Re[k], a[2k+1] = Im[k] for 0 < k < n/2, a[1] = Re[n/2];
            // n odd: a[1] = Im[(n-1)/2] and there is no Nyquist bin.
            int bins = nFft / 2 + 1;
            double[] power = new double[bins];
            power[0] = buffer[0] * buffer[0];
            for (int k = 1; k < bins; k++) {
                double re;
                double im;
                if (2 * k == nFft) {
                    re = buffer[1];
                    im = 0;
                } else {
                    re = buffer[2 * k];
                    im = (2 * k + 1 == nFft) ? buffer[1] : buffer[2 * k + 1];
                }
                double magnitude = Math.hypot(re, im);  // librosa: np.abs(stft) ** 2
                power[k] = magnitude * magnitude;
            }
            if (kind == Kind.POWER) {
                return power;
            }
            double[] mel = melBank.apply(power);
            if (kind == Kind.MEL) {
                return mel;
            }
            for (int m = 0; m < mel.length; m++) {
                mel[m] = 10 * Math.log10(Math.max(AMIN, mel[m]));  // ref = 1.0: 10 * log10(max(amin, ref)) = 0
            }
            return kind == Kind.MFCC ? dct(mel) : mel;
        }
    }

    /** scipy.signal.get_window('hann', winLength, fftbins=True), centred in nFft zeros (librosa.util.pad_center). */
    private static double[] hannWindow(int winLength, int nFft) {
        double[] w = new double[nFft];
        int m = winLength + 1;  // periodic: the symmetric window one longer, its last point dropped
        double step = 2 * Math.PI / (m - 1);
        int left = (nFft - winLength) / 2;
        for (int n = 0; n < winLength; n++) {
            double fac = -Math.PI + n * step;  // np.linspace(-pi, pi, m), as scipy's general_cosine computes it
            w[left + n] = 0.5 + 0.5 * Math.cos(fac);
        }
        return w;
    }

    /** scipy.fft.dct(type=2, norm='ortho') as a matrix, first nMfcc rows. */
    private static double[][] dctOrtho(int rows, int n) {
        double[][] d = new double[rows][n];
        for (int k = 0; k < rows; k++) {
            double scale = k == 0 ? Math.sqrt(1.0 / n) : Math.sqrt(2.0 / n);
            for (int m = 0; m < n; m++) {
                d[k][m] = scale * Math.cos(Math.PI * k * (2 * m + 1) / (2.0 * n));
            }
        }
        return d;
    }

    @Override
    public String toString() {
        return "AudioFeatures[sr " + sampleRate + ", n_fft " + nFft + ", win_length " + winLength + ", hop_length " + hopLength + ", n_mels " + nMels
                + ", fmin " + fMin + ", fmax " + fMax + ", n_mfcc " + nMfcc + ", top_db " + topDb + "]";
    }

    /** Settings by name, librosa's defaults where unset. */
    public static final class Builder {
        private final int sampleRate;
        private int nFft = 2048;
        private int winLength;
        private int hopLength;
        private int nMels = 128;
        private double fMin;
        private double fMax = Double.NaN;
        private int nMfcc = 20;
        private Double topDb = 80.0;

        private Builder(int sampleRate) {
            if (sampleRate <= 0) {
                throw new IllegalArgumentException("the sample rate must be positive, got " + sampleRate);
            }
            this.sampleRate = sampleRate;
        }

        public Builder nFft(int v) { nFft = v; return this; }
        /** Defaults to n_fft. */
        public Builder winLength(int v) { winLength = v; return this; }
        /** Defaults to win_length / 4. */
        public Builder hopLength(int v) { hopLength = v; return this; }
        public Builder nMels(int v) { nMels = v; return this; }
        public Builder fMin(double v) { fMin = v; return this; }
        /** Defaults to sr / 2. */
        public Builder fMax(double v) { fMax = v; return this; }
        public Builder nMfcc(int v) { nMfcc = v; return this; }
        /** Defaults to 80 dB; null keeps the whole range (required by streams). */
        public Builder topDb(Double v) { topDb = v; return this; }

        public AudioFeatures build() {
            return new AudioFeatures(this);
        }
    }
}
