package org.lstm4j.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.lstm4j.tensor.FloatTensor;
import org.lstm4j.testing.TensorAssertions;
import org.lstm4j.testing.Tolerance;

/** The resampler against librosa.resample(res_type='polyphase') (goldens: tools/audio/make_librosa_goldens.py). */
class ResamplerTest {

    static java.util.List<LibrosaGoldens.Clip> clips() {
        return LibrosaGoldens.clips();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clips")
    void resamplesTo16kAsLibrosaPolyphase(LibrosaGoldens.Clip clip) throws IOException {
        Audio audio = WavReader.read(clip.wav(), clip.file());
        float[] y = audio.resample(16000).samples();
        FloatTensor expected = clip.result("resampled_16k");
        TensorAssertions.assertClose(expected, FloatTensor.of(new int[] {y.length}, y), Tolerance.DEFAULT, clip + " -> 16 kHz");
    }

    @Test
    void theSameRateIsTheSameAudio() {
        Audio a = new Audio(new float[] {0.1f, 0.2f}, 16000);
        assertSame(a, a.resample(16000));
    }

    @Test
    void aToneBelowTheNewNyquistKeepsItsAmplitudeAndOneAboveItIsRemoved() {
        int from = 44100;
        float[] low = new float[from];
        float[] high = new float[from];
        for (int i = 0; i < from; i++) {
            low[i] = (float) Math.sin(2 * Math.PI * 1000 * i / from);
            high[i] = (float) Math.sin(2 * Math.PI * 12000 * i / from);  // above 8 kHz: would alias to 4 kHz
        }
        Resampler r = Resampler.of(from, 16000);
        float[] lowOut = r.resample(low);
        float[] highOut = r.resample(high);
        assertEquals(16000, lowOut.length);
        assertTrue(rms(lowOut, 2000, 14000) > 0.70 && rms(lowOut, 2000, 14000) < 0.71, "1 kHz keeps its RMS of 0.707: " + rms(lowOut, 2000, 14000));
        assertTrue(rms(highOut, 2000, 14000) < 1e-3, "12 kHz is filtered out, not aliased: RMS " + rms(highOut, 2000, 14000));
    }

    @Test
    void ratesWhoseFilterWouldBeHugeAreRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Resampler.of(192001, 16000));
        assertTrue(e.getMessage().contains("192001") && e.getMessage().contains("taps"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Resampler.of(0, 16000));
    }

    private static double rms(float[] y, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) {
            s += y[i] * (double) y[i];
        }
        return Math.sqrt(s / (to - from));
    }
}
