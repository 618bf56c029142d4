package org.lstm4j.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.lstm4j.tensor.FloatTensor;
import org.lstm4j.testing.TensorAssertions;
import org.lstm4j.testing.Tolerance;

/**
 * Features against librosa 0.11 (expected values: tools/audio/make_librosa_goldens.py, float32 goldens of
 * float64 results), within the project's tolerance, atol = rtol = 1e-5, on the WAVs the generator wrote.
 */
class AudioFeaturesTest {

    private static final AudioFeatures MODEL = LibrosaGoldens.modelFeatures();

    static java.util.List<LibrosaGoldens.Clip> clips() {
        return LibrosaGoldens.clips();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clips")
    void wavSamplesAreLibrosaLoads(LibrosaGoldens.Clip clip) throws IOException {
        Audio audio = WavReader.read(clip.wav(), clip.file());
        assertEquals(clip.sampleRate(), audio.sampleRate());
        FloatTensor expected = clip.result("samples");
        TensorAssertions.assertClose(expected, FloatTensor.of(new int[] {audio.samples().length}, audio.samples()), Tolerance.DEFAULT,
                clip + ": samples vs librosa.load");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clips")
    void librosaDefaultsAtTheClipsRate(LibrosaGoldens.Clip clip) throws IOException {
        Audio audio = WavReader.read(clip.wav(), clip.file());
        AudioFeatures defaults = AudioFeatures.librosaDefaults(audio.sampleRate());
        assertEquals(2048, defaults.nFft());
        assertEquals(512, defaults.hopLength());
        assertClose(clip.result("default_logmel"), defaults.logMel(audio.samples()), clip + ": power_to_db(melspectrogram) defaults");
        assertClose(clip.result("default_mfcc"), defaults.mfcc(audio.samples()), clip + ": mfcc defaults");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clips")
    void theSpeechModelsFeaturesAfterResampling(LibrosaGoldens.Clip clip) throws IOException {
        float[] y = WavReader.read(clip.wav(), clip.file()).resample(16000).samples();
        assertClose(clip.result("model_power"), MODEL.power(y), clip + ": |stft|^2");
        assertClose(clip.result("model_mel"), MODEL.mel(y), clip + ": melspectrogram");
        assertClose(clip.result("model_logmel"), MODEL.logMel(y), clip + ": power_to_db(top_db=None)");
        assertClose(clip.result("model_mfcc"), MODEL.mfcc(y), clip + ": mfcc");
        AudioFeatures window400 = AudioFeatures.builder(16000).nFft(512).winLength(400).hopLength(160).nMels(40).nMfcc(13).topDb(null).build();
        assertClose(clip.result("win400_power"), window400.power(y), clip + ": |stft(win_length=400)|^2");
    }

    @Test
    void settingsLibrosaWouldRefuseAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> AudioFeatures.builder(16000).nFft(512).winLength(600).build());
        assertThrows(IllegalArgumentException.class, () -> AudioFeatures.builder(16000).fMax(9000).build());
        assertThrows(IllegalArgumentException.class, () -> AudioFeatures.builder(16000).nMels(10).nMfcc(20).build());
        assertThrows(IllegalArgumentException.class, () -> AudioFeatures.builder(16000).topDb(-1.0).build());
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class, () -> MODEL.mfcc(new float[0]));
        assertTrue(empty.getMessage().contains("no audio"), empty.getMessage());
    }

    static void assertClose(FloatTensor expected, double[][] got, String what) {
        FloatTensor mine = LibrosaGoldens.tensor(got);
        TensorAssertions.assertClose(expected, mine, Tolerance.DEFAULT, what);
        Tolerance.Comparison c = Tolerance.DEFAULT.compare(expected, mine);
        System.out.printf(java.util.Locale.ROOT, "%s: max |difference| %.3g, max relative %.3g%n", what, c.maxAbsolute(), c.maxRelative());  // for the notes
    }
}
