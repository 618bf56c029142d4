package org.lstm4j.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A stream's frames equal the batch features of the whole clip, bit for bit, whatever the chunk sizes. */
class FeatureStreamTest {

    private static final AudioFeatures MODEL = LibrosaGoldens.modelFeatures();

    @ParameterizedTest(name = "chunks of {0}")
    @ValueSource(ints = {1, 7, 160, 161, 512, 1600, 5000, 100_000})
    void streamedFramesEqualBatchFrames(int chunk) throws IOException {
        float[] y = voice();
        for (AudioFeatures.Kind kind : AudioFeatures.Kind.values()) {
            double[][] batch = MODEL.compute(y, kind);
            FeatureStream s = MODEL.stream(kind);
            List<double[]> streamed = new ArrayList<>();
            for (int at = 0; at < y.length; at += chunk) {
                streamed.addAll(s.push(y, at, Math.min(chunk, y.length - at)));
            }
            streamed.addAll(s.finish());
            assertEquals(batch.length, streamed.size(), kind + ": frame count");
            for (int t = 0; t < batch.length; t++) {
                assertArrayEquals(batch[t], streamed.get(t), kind + " frame " + t);
            }
            assertEquals(y.length, s.samplesReceived());
        }
    }

    @Test
    void randomChunksAndShortClipsToo() {
        Random rng = new Random(7);
        for (int trial = 0; trial < 20; trial++) {
            float[] y = new float[1 + rng.nextInt(3000)];
            for (int i = 0; i < y.length; i++) {
                y[i] = (float) rng.nextGaussian() * 0.1f;
            }
            double[][] batch = MODEL.mfcc(y);
            FeatureStream s = MODEL.stream(AudioFeatures.Kind.MFCC);
            List<double[]> streamed = new ArrayList<>();
            for (int at = 0; at < y.length; ) {
                int n = Math.min(y.length - at, rng.nextInt(700));
                streamed.addAll(s.push(y, at, n));
                at += n;
            }
            streamed.addAll(s.finish());
            assertEquals(batch.length, streamed.size(), "samples " + y.length);
            for (int t = 0; t < batch.length; t++) {
                assertArrayEquals(batch[t], streamed.get(t), "samples " + y.length + ", frame " + t);
            }
        }
    }

    @Test
    void framesComeAsSoonAsTheirWindowIsComplete() {
        FeatureStream s = MODEL.stream(AudioFeatures.Kind.MFCC);
        // frame t spans padded samples [160 t, 160 t + 512) = audio [160 t - 256, 160 t + 256)
        assertEquals(0, s.push(new float[255]).size());
        assertEquals(1, s.push(new float[1]).size());
        assertEquals(0, s.push(new float[159]).size());
        assertEquals(1, s.push(new float[1]).size());
        assertEquals(2, s.framesEmitted());
    }

    @Test
    void misuseIsRefusedClearly() {
        AudioFeatures clipped = AudioFeatures.builder(16000).nFft(512).hopLength(160).nMels(40).nMfcc(13).build();
        IllegalStateException topDb = assertThrows(IllegalStateException.class, () -> clipped.stream(AudioFeatures.Kind.MFCC));
        assertTrue(topDb.getMessage().contains("top_db"), topDb.getMessage());
        clipped.stream(AudioFeatures.Kind.MEL);  // no dB, no clipping: fine
        FeatureStream empty = MODEL.stream(AudioFeatures.Kind.MFCC);
        assertThrows(IllegalStateException.class, empty::finish);
        FeatureStream done = MODEL.stream(AudioFeatures.Kind.MFCC);
        done.push(new float[10]);
        done.finish();
        assertThrows(IllegalStateException.class, () -> done.push(new float[10]));
        assertThrows(IndexOutOfBoundsException.class, () -> MODEL.stream(AudioFeatures.Kind.MFCC).push(new float[4], 2, 3));
    }

    private static float[] voice() throws IOException {
        return WavReader.read(LibrosaGoldens.bytes("voice_22k_stereo_pcm16.wav"), "voice").resample(16000).samples();
    }
}
