package org.lstm4j.audio;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;

/**
 * Reads WAV files with the JDK ({@code javax.sound.sampled}): PCM 8-bit unsigned, 16, 24 and 32-bit signed, and
 * 32 and 64-bit IEEE float, any number of channels (averaged to mono, as {@code librosa.to_mono} does). Integers
 * scale as soundfile scales them ({@code x / 2^(bits-1)}), so the samples equal {@code librosa.load(sr=None)}'s.
 *
 * <p>A file that is not a readable WAV (a truncated header, an unsupported encoding, no samples, a size the heap
 * cannot hold) gets an {@link AudioFormatException} naming the file and what was wrong; the declared length is never
 * trusted beyond the bytes the file really has.
 */
public final class WavReader {

    private WavReader() {
    }

    public static Audio read(Path wav) throws IOException {
        long bytes = Files.size(wav);
        try (InputStream in = new BufferedInputStream(Files.newInputStream(wav))) {
            return read(in, bytes, wav.toString());
        }
    }

    /** Reads a whole WAV from memory; {@code source} names it in messages. */
    public static Audio read(byte[] wav, String source) throws IOException {
        return read(new ByteArrayInputStream(wav), wav.length, source);
    }

    private static Audio read(InputStream in, long availableBytes, String source) throws IOException {
        AudioInputStream audio;
        try {
            audio = AudioSystem.getAudioInputStream(in);
        } catch (UnsupportedAudioFileException e) {
            throw new AudioFormatException(source + ": not a WAV file the JDK can read (" + e.getMessage() + ")", e);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new AudioFormatException(source + ": a malformed audio header (" + e + ")", e);
        }
        try (audio) {
            AudioFormat format = audio.getFormat();
            Decoder decoder = Decoder.of(format, source);
            int channels = format.getChannels();
            int frameSize = format.getFrameSize();
            float rate = format.getSampleRate();
            if (!(rate >= 1 && rate <= 1_000_000) || rate != Math.rint(rate)) {
                throw new AudioFormatException(source + ": a sample rate of " + rate + " Hz; expected a whole number of Hz in 1..1000000");
            }
            // Never trust the declared length: allocate at most what the file's bytes can hold.
            long frames = availableBytes / frameSize;
            long declared = audio.getFrameLength();
            if (declared >= 0) {
                if (declared > frames) {
                    throw new AudioFormatException(source + ": the header declares " + declared + " sample frames of " + frameSize
                            + " bytes but the file has only " + availableBytes + " bytes (truncated, or a wrong size in the header)");
                }
                frames = declared;
            }
            checkHeap(frames, source);
            float[] samples = new float[(int) frames];
            byte[] buffer = new byte[frameSize * 4096];
            int done = 0;
            while (done < frames) {
                int want = (int) Math.min(buffer.length / frameSize, frames - done) * frameSize;
                int got = audio.readNBytes(buffer, 0, want);
                int whole = got / frameSize;
                ByteBuffer b = ByteBuffer.wrap(buffer, 0, whole * frameSize).order(format.isBigEndian() ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
                for (int f = 0; f < whole; f++) {
                    double sum = 0;
                    for (int c = 0; c < channels; c++) {
                        sum += decoder.next(b);
                    }
                    float v = (float) (sum / channels);
                    if (!Float.isFinite(v)) {
                        throw new AudioFormatException(source + ": sample frame " + (done + f) + " is " + v + "; audio samples must be finite");
                    }
                    samples[done + f] = v;
                }
                done += whole;
                if (got < want) {
                    if (declared >= 0) {
                        throw new AudioFormatException(source + ": the audio data ends after " + (done + " sample frames; the header declares ") + declared);
                    }
                    break;  // no declared length (a streamed WAV): the data ends with the file
                }
            }
            if (done == 0) {
                throw new AudioFormatException(source + ": no audio samples (the data chunk is empty)");
            }
            float[] out = done == samples.length ? samples : java.util.Arrays.copyOf(samples, done);
            return new Audio(out, (int) rate);
        }
    }

    private static void checkHeap(long frames, String source) throws AudioFormatException {
        Runtime rt = Runtime.getRuntime();
        long free = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
        long need = frames * Float.BYTES;
        if (frames > Integer.MAX_VALUE - 8 || need > free / 2) {
            throw new AudioFormatException(source + ": " + frames + " sample frames need " + (need >> 20) + " MiB, more than this JVM's heap can spare ("
                    + (free >> 20) + " MiB free); read it in parts or raise -Xmx");
        }
    }

    /** One sample of one channel, as soundfile scales it. */
    private interface Decoder {
        double next(ByteBuffer b);

        static Decoder of(AudioFormat f, String source) throws AudioFormatException {
            AudioFormat.Encoding e = f.getEncoding();
            int bits = f.getSampleSizeInBits();
            if (f.getChannels() < 1 || f.getFrameSize() != f.getChannels() * ((bits + 7) / 8)) {
                throw new AudioFormatException(source + ": " + f.getChannels() + " channels of " + bits + " bits in frames of "
                        + f.getFrameSize() + " bytes is not a PCM layout");
            }
            if (AudioFormat.Encoding.PCM_SIGNED.equals(e)) {
                switch (bits) {
                    case 16: return b -> b.getShort() / 32768.0;
                    case 24: return b -> read24(b) / 8388608.0;
                    case 32: return b -> b.getInt() / 2147483648.0;
                    default: break;
                }
            } else if (AudioFormat.Encoding.PCM_UNSIGNED.equals(e) && bits == 8) {
                return b -> ((b.get() & 0xff) - 128) / 128.0;
            } else if (AudioFormat.Encoding.PCM_FLOAT.equals(e)) {
                if (bits == 32) {
                    return ByteBuffer::getFloat;
                }
                if (bits == 64) {
                    return ByteBuffer::getDouble;
                }
            }
            throw new AudioFormatException(source + ": unsupported encoding " + e + " with " + bits
                    + "-bit samples; expected PCM 8-bit unsigned, 16/24/32-bit signed, or 32/64-bit float");
        }

        private static int read24(ByteBuffer b) {
            int b0 = b.get() & 0xff;
            int b1 = b.get() & 0xff;
            int b2 = b.get();
            return b.order() == ByteOrder.LITTLE_ENDIAN ? (b2 << 16) | (b1 << 8) | b0 : (b0 << 24 >> 8) | (b1 << 8) | (b2 & 0xff);
        }
    }
}
