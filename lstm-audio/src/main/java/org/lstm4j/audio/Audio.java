package org.lstm4j.audio;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Mono audio: samples in [-1, 1) at a sample rate, as {@code librosa.load(path, sr=None, mono=True)} returns them
 * (16-bit PCM is {@code x / 32768}, several channels are averaged).
 *
 * @param samples    the samples; not copied, do not change them after construction
 * @param sampleRate samples per second
 */
public record Audio(float[] samples, int sampleRate) {

    public Audio {
        if (samples == null) {
            throw new IllegalArgumentException("samples must not be null");
        }
        if (sampleRate <= 0) {
            throw new IllegalArgumentException("the sample rate must be positive, got " + sampleRate);
        }
    }

    /** Reads a WAV file: see {@link WavReader#read(Path)}. */
    public static Audio read(Path wav) throws IOException {
        return WavReader.read(wav);
    }

    /** This audio at another sample rate, by librosa's {@code res_type='polyphase'} resampler ({@link Resampler}). */
    public Audio resample(int targetRate) {
        if (targetRate == sampleRate) {
            return this;
        }
        return new Audio(Resampler.of(sampleRate, targetRate).resample(samples), targetRate);
    }

    public double seconds() {
        return samples.length / (double) sampleRate;
    }
}
