package org.lstm4j.reliability;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import org.lstm4j.audio.Audio;
import org.lstm4j.audio.AudioFeatures;
import org.lstm4j.audio.AudioFormatException;
import org.lstm4j.audio.WavReader;

/**
 * Fuzzes {@link WavReader#read(byte[], String)}: any bytes either read as mono audio whose MFCCs can be computed, or
 * are refused with {@link AudioFormatException} and a message naming the source. Any other exception, an
 * {@link OutOfMemoryError} in the 256 MB test heap, or a hang is a finding.
 *
 * <p>Seeds: {@code src/test/resources/org/lstm4j/reliability/WavFuzzTestInputs/readsOrRefuses/}: a truncated header,
 * a data size of 4 GB, empty data, mu-law, 12-bit, a zero sample rate, float with NaN and infinity, 24-bit stereo,
 * and a clip of lstm-audio's goldens. In the normal build only the seeds run; {@code tools/reliability/fuzz.sh} fuzzes.
 */
class WavFuzzTest {

    private static final AudioFeatures FEATURES = AudioFeatures.builder(16000).nFft(512).hopLength(160).nMels(40).nMfcc(13).topDb(null).build();

    @FuzzTest(maxDuration = "5m")
    void readsOrRefuses(byte[] bytes) {
        Audio audio;
        try {
            audio = WavReader.read(bytes, "fuzz.wav");
        } catch (AudioFormatException e) {
            assertNotNull(e.getMessage());
            assertTrue(e.getMessage().startsWith("fuzz.wav: "), "a refusal names the file: " + e.getMessage());
            return;
        } catch (IOException e) {
            throw new AssertionError("an I/O error other than a refusal: " + e, e);
        }
        assertTrue(audio.samples().length > 0 && audio.sampleRate() > 0);
        assertFalse(audio.samples().length > bytes.length, "no more samples than bytes");
        if (audio.samples().length < 100_000) {  // bounded work per input
            double[][] mfcc = FEATURES.mfcc(audio.samples());
            assertTrue(mfcc.length == FEATURES.frameCount(audio.samples().length));
        }
    }
}
