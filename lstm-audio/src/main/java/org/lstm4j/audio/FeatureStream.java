package org.lstm4j.audio;

import java.util.ArrayList;
import java.util.List;
import org.lstm4j.tensor.FloatTensor;

/**
 * Features computed as audio arrives: {@link #push} takes samples in chunks of any size and returns the frames
 * they complete; {@link #finish} pads the end as librosa's centred STFT does and returns the last frames. The
 * frames, in order, equal {@link AudioFeatures#compute} on the whole clip, value for value (FeatureStreamTest).
 *
 * <p>A frame centred on sample {@code t * hop} needs the audio up to {@code t * hop + n_fft / 2}: the latency is
 * half a window. Memory stays at one window plus one chunk. Not thread-safe: one stream per audio source.
 */
public final class FeatureStream {

    private final AudioFeatures features;
    private final AudioFeatures.Kind kind;
    private final AudioFeatures.Frame frame;
    private final int nFft;
    private final int hop;
    private double[] buffer;     // the centre-padded signal from sample `origin` on
    private int length;          // valid samples in buffer
    private long origin;         // index in the padded signal of buffer[0]
    private long nextFrame;      // index of the next frame to emit
    private long received;       // audio samples pushed so far
    private boolean finished;

    FeatureStream(AudioFeatures features, AudioFeatures.Kind kind) {
        this.features = features;
        this.kind = kind;
        this.frame = features.new Frame();
        this.nFft = features.nFft();
        this.hop = features.hopLength();
        this.buffer = new double[Math.max(2 * nFft, 4096)];
        this.length = nFft / 2;  // the centre padding's leading zeros
    }

    /** Values per frame. */
    public int width() {
        return features.width(kind);
    }

    /** Audio samples pushed so far. */
    public long samplesReceived() {
        return received;
    }

    /** Frames emitted so far; frame t is centred on {@code t * hop_length / sr} seconds. */
    public long framesEmitted() {
        return nextFrame;
    }

    /** Adds samples and returns the frames they complete (possibly none), in order. */
    public List<double[]> push(float[] samples) {
        return push(samples, 0, samples.length);
    }

    public List<double[]> push(float[] samples, int offset, int count) {
        if (finished) {
            throw new IllegalStateException("the stream is finished: start a new one with AudioFeatures.stream");
        }
        if (offset < 0 || count < 0 || offset + count > samples.length) {
            throw new IndexOutOfBoundsException("samples[" + offset + ", " + offset + " + " + count + ") of " + samples.length);
        }
        List<double[]> out = new ArrayList<>();
        int done = 0;
        while (done < count) {
            int room = makeRoom();
            int n = Math.min(room, count - done);
            for (int i = 0; i < n; i++) {
                buffer[length + i] = samples[offset + done + i];
            }
            length += n;
            done += n;
            emitReady(out);
        }
        received += count;
        return out;
    }

    /** Ends the audio: pads with n_fft / 2 zeros as librosa does and returns the remaining frames. */
    public List<double[]> finish() {
        if (finished) {
            throw new IllegalStateException("the stream is already finished");
        }
        if (received == 0) {
            throw new IllegalStateException("no audio was pushed: features need at least one sample");
        }
        finished = true;
        List<double[]> out = new ArrayList<>();
        int zeros = nFft / 2;
        while (zeros > 0) {
            int n = Math.min(makeRoom(), zeros);
            java.util.Arrays.fill(buffer, length, length + n, 0);
            length += n;
            zeros -= n;
            emitReady(out);
        }
        long total = 1 + (received + 2 * (nFft / 2) - nFft) / hop;
        if (nextFrame != total) {
            throw new IllegalStateException("emitted " + nextFrame + " frames, librosa makes " + total);  // a bug, never the input
        }
        return out;
    }

    /** The frames as one step's input of a StreamingPredictor: {@code [1, width]}. */
    public static FloatTensor step(double[] frame) {
        float[] v = new float[frame.length];
        for (int k = 0; k < v.length; k++) {
            v[k] = (float) frame[k];
        }
        return FloatTensor.of(new int[] {1, v.length}, v);
    }

    private void emitReady(List<double[]> out) {
        while (nextFrame * hop + nFft <= origin + length) {
            out.add(frame.compute(buffer, (int) (nextFrame * hop - origin), kind));
            nextFrame++;
        }
    }

    /** Drops samples no future frame reads, grows the buffer only when one window does not fit; returns free room. */
    private int makeRoom() {
        if (length == buffer.length) {
            long keepFrom = nextFrame * hop;  // the next frame's first sample
            int drop = (int) Math.min(length, keepFrom - origin);
            if (drop > 0) {
                System.arraycopy(buffer, drop, buffer, 0, length - drop);
                length -= drop;
                origin += drop;
            }
            if (length == buffer.length) {
                buffer = java.util.Arrays.copyOf(buffer, buffer.length * 2);
            }
        }
        return buffer.length - length;
    }
}
