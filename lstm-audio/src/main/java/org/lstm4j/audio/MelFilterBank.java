package org.lstm4j.audio;

/**
 * {@code librosa.filters.mel(sr, n_fft, n_mels, fmin, fmax, htk=False, norm='slaney', dtype=np.float32)}: triangles
 * on the Slaney mel scale (linear below 1 kHz, logarithmic above), each scaled to unit area ({@code 2 / (f[i+2] -
 * f[i])}). librosa stores the weights in float32 (its default dtype) and multiplies float64 spectra by them; the
 * weights here are rounded the same way, so that the result is librosa's to double precision.
 */
final class MelFilterBank {

    private static final double F_SP = 200.0 / 3;
    private static final double MIN_LOG_HZ = 1000.0;
    private static final double MIN_LOG_MEL = MIN_LOG_HZ / F_SP;
    private static final double LOG_STEP = Math.log(6.4) / 27.0;

    private final double[][] weights;  // [nMels][bins], float32 values
    private final int[] first;          // first non-zero bin of each filter
    private final int[] last;           // one past the last non-zero bin

    MelFilterBank(int sampleRate, int nFft, int nMels, double fMin, double fMax) {
        int bins = 1 + nFft / 2;
        double[] fftFreqs = new double[bins];
        double binWidth = 1.0 / (nFft * (1.0 / sampleRate));  // np.fft.rfftfreq(n_fft, d=1/sr)
        for (int k = 0; k < bins; k++) {
            fftFreqs[k] = k * binWidth;
        }
        double[] melF = melFrequencies(nMels + 2, fMin, fMax);
        weights = new double[nMels][bins];
        first = new int[nMels];
        last = new int[nMels];
        for (int i = 0; i < nMels; i++) {
            double lowerWidth = melF[i + 1] - melF[i];
            double upperWidth = melF[i + 2] - melF[i + 1];
            double enorm = 2.0 / (melF[i + 2] - melF[i]);
            first[i] = bins;
            for (int k = 0; k < bins; k++) {
                double lower = -(melF[i] - fftFreqs[k]) / lowerWidth;
                double upper = (melF[i + 2] - fftFreqs[k]) / upperWidth;
                float w = (float) Math.max(0, Math.min(lower, upper));  // weights[i] = ... into a float32 array
                weights[i][k] = (float) (w * enorm);                      // weights *= enorm, float32 in place
                if (weights[i][k] != 0) {
                    first[i] = Math.min(first[i], k);
                    last[i] = k + 1;
                }
            }
        }
    }

    double[] apply(double[] power) {
        double[] mel = new double[weights.length];
        for (int i = 0; i < weights.length; i++) {
            double sum = 0;
            double[] w = weights[i];
            for (int k = first[i]; k < last[i]; k++) {
                sum += w[k] * power[k];
            }
            mel[i] = sum;
        }
        return mel;
    }

    /** librosa.mel_frequencies(n, fmin, fmax, htk=False): n points evenly spaced in mels (np.linspace), in Hz. */
    static double[] melFrequencies(int n, double fMin, double fMax) {
        double minMel = hzToMel(fMin);
        double maxMel = hzToMel(fMax);
        double step = (maxMel - minMel) / (n - 1);
        double[] hz = new double[n];
        for (int i = 0; i < n; i++) {
            hz[i] = melToHz(i == n - 1 ? maxMel : i * step + minMel);
        }
        return hz;
    }

    static double hzToMel(double hz) {
        double mel = hz / F_SP;
        return hz >= MIN_LOG_HZ ? MIN_LOG_MEL + Math.log(hz / MIN_LOG_HZ) / LOG_STEP : mel;
    }

    static double melToHz(double mel) {
        return mel >= MIN_LOG_MEL ? MIN_LOG_HZ * Math.exp(LOG_STEP * (mel - MIN_LOG_MEL)) : F_SP * mel;
    }
}
