package org.lstm4j.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reading WAVs: the formats the reader promises (each sample as soundfile scales it) and hostile files, each refused
 * with an {@link AudioFormatException} that names the file and what is wrong. The same hostile files seed
 * lstm-reliability's WavFuzzTest, which runs in a 256 MB heap.
 */
class WavReaderTest {

    @Test
    void pcm8UnsignedPcm32AndFloat64ScaleAsSoundfileDoes() throws IOException {
        byte[] u8 = Wavs.wav(1, 1, 8000, 8, new byte[] {(byte) 0, (byte) 128, (byte) 255});
        assertArrayEquals(new float[] {-1f, 0f, 127f / 128}, WavReader.read(u8, "u8").samples());
        ByteBuffer i32 = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(Integer.MIN_VALUE).putInt(1 << 30);
        assertArrayEquals(new float[] {-1f, 0.5f}, WavReader.read(Wavs.wav(1, 1, 8000, 32, i32.array()), "i32").samples());
        ByteBuffer f64 = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putDouble(0.25).putDouble(-0.75);
        assertArrayEquals(new float[] {0.25f, -0.75f}, WavReader.read(Wavs.wav(3, 1, 8000, 64, f64.array()), "f64").samples());
    }

    @Test
    void channelsAreAveraged() throws IOException {
        ByteBuffer st = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putShort((short) 16384).putShort((short) 0)
                .putShort((short) -32768).putShort((short) -16384);
        Audio a = WavReader.read(Wavs.wav(1, 2, 16000, 16, st.array()), "stereo");
        assertArrayEquals(new float[] {0.25f, -0.75f}, a.samples());
        assertEquals(16000, a.sampleRate());
    }

    @Test
    void readsFromAPathAndNamesItInErrors(@TempDir Path dir) throws IOException {
        Path good = dir.resolve("good.wav");
        Files.write(good, Wavs.wav(1, 1, 16000, 16, new byte[] {0, 64, 0, -64}));
        assertArrayEquals(new float[] {0.5f, -0.5f}, Audio.read(good).samples());
        Path bad = dir.resolve("bad.wav");
        Files.write(bad, Arrays.copyOf(Wavs.wav(1, 1, 16000, 16, new byte[] {0, 64}), 20));
        AudioFormatException e = assertThrows(AudioFormatException.class, () -> Audio.read(bad));
        assertTrue(e.getMessage().contains(bad.toString()), e.getMessage());
    }

    @Test
    void hostileFilesAreRefusedWithAReason() {
        for (var hostile : Wavs.hostile().entrySet()) {
            AudioFormatException e = assertThrows(AudioFormatException.class, () -> WavReader.read(hostile.getValue(), hostile.getKey()),
                    hostile.getKey());
            assertTrue(e.getMessage().startsWith(hostile.getKey() + ": "), e.getMessage());
            System.out.println(e.getMessage());  // the messages, for the notes
        }
    }

    @Test
    void aTruncatedDataChunkIsRefusedNotSilentlyShortened() {
        byte[] full = Wavs.wav(1, 1, 16000, 16, new byte[400]);
        AudioFormatException e = assertThrows(AudioFormatException.class, () -> WavReader.read(Arrays.copyOf(full, full.length - 100), "cut"));
        assertTrue(e.getMessage().contains("declares 200"), e.getMessage());
    }

    /** WAV files built byte by byte: canonical 44-byte headers, and the hostile variants. */
    static final class Wavs {
        private Wavs() {
        }

        static byte[] wav(int formatTag, int channels, int rate, int bits, byte[] data) {
            return wav(formatTag, channels, rate, bits, data, data.length);
        }

        static byte[] wav(int formatTag, int channels, int rate, int bits, byte[] data, long declaredDataBytes) {
            int blockAlign = channels * ((bits + 7) / 8);
            ByteBuffer b = ByteBuffer.allocate(44 + data.length).order(ByteOrder.LITTLE_ENDIAN);
            b.put("RIFF".getBytes()).putInt((int) (36 + declaredDataBytes)).put("WAVE".getBytes());
            b.put("fmt ".getBytes()).putInt(16).putShort((short) formatTag).putShort((short) channels).putInt(rate)
                    .putInt(rate * blockAlign).putShort((short) blockAlign).putShort((short) bits);
            b.put("data".getBytes()).putInt((int) declaredDataBytes).put(data);
            return b.array();
        }

        static java.util.Map<String, byte[]> hostile() {
            java.util.Map<String, byte[]> m = new java.util.LinkedHashMap<>();
            byte[] ok = wav(1, 1, 16000, 16, new byte[64]);
            m.put("truncated-header.wav", Arrays.copyOf(ok, 30));
            m.put("not-a-wav.wav", "this is not audio at all, just text".getBytes());
            m.put("absurd-data-size.wav", wav(1, 1, 16000, 16, new byte[64], 0xFFFFFFF0L));
            m.put("zero-length.wav", wav(1, 1, 16000, 16, new byte[0]));
            m.put("mu-law.wav", wav(7, 1, 8000, 8, new byte[64]));
            m.put("mp3-tag.wav", wav(0x55, 1, 16000, 16, new byte[64]));
            m.put("12-bit.wav", wav(1, 1, 16000, 12, new byte[64]));
            m.put("zero-rate.wav", wav(1, 1, 0, 16, new byte[64]));
            m.put("zero-channels.wav", wav(1, 0, 16000, 16, new byte[64]));
            m.put("huge-channels.wav", wav(1, 65535, 16000, 16, new byte[64]));
            m.put("nan.wav", wav(3, 1, 16000, 32, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putFloat(0.5f).putFloat(Float.NaN).array()));
            return m;
        }
    }
}
