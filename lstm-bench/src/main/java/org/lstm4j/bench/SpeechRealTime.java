package org.lstm4j.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.lstm4j.audio.AudioFeatures;
import org.lstm4j.audio.FeatureStream;
import org.lstm4j.examples.SpeechModel;
import org.lstm4j.predict.Predictor;
import org.lstm4j.predict.StreamingPredictor;

/**
 * The speech pipeline's real-time factor: seconds of audio processed per second of this process's CPU time (every
 * thread: /proc/self/task/N/schedstat), one engine thread. The audio (the speech example's committed samples, at
 * 16 kHz, repeated to the length asked) is fed in 100 ms chunks through a FeatureStream (MFCCs), and for each
 * backend every frame is standardised and fed to a StreamingPredictor of the speech model. Prints one JSON object per
 * line: {"pipeline": "features" | BACKEND, "audio_s", "cpu_s", "wall_s", "rtf_cpu", "rtf_wall"}.
 *
 * <pre>java -cp ... org.lstm4j.bench.SpeechRealTime [SECONDS [BACKEND,BACKEND...]]</pre>
 */
public final class SpeechRealTime {
    private SpeechRealTime() {
    }

    public static void main(String[] args) {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 60;
        String backends = args.length > 1 ? args[1] : "java,java-fast,onnx,tf,nd4j";
        SpeechModel m = SpeechModel.load();
        float[] audio = audio(m, seconds);
        double audioSeconds = audio.length / (double) m.features().sampleRate();
        run("features", m, null, audio, audioSeconds);
        for (String name : backends.split(",")) {
            try (Predictor p = BenchBackends.open(name).compile(m.model(), BenchBackends.options(1))) {
                run(name, m, p, audio, audioSeconds);
            } catch (BenchBackends.Unavailable e) {
                System.out.println("{\"pipeline\": \"" + name + "\", \"skipped\": \"" + e.getMessage().replace('"', '\'') + "\"}");
            }
        }
    }

    private static void run(String name, SpeechModel m, Predictor p, float[] audio, double audioSeconds) {
        pass(m, p, audio, Math.min(audio.length, 10 * m.features().sampleRate()));  // warm-up: 10 s of audio
        long cpu0 = Timing.processCpuNanos();
        long wall0 = System.nanoTime();
        long frames = pass(m, p, audio, audio.length);
        double cpu = (Timing.processCpuNanos() - cpu0) / 1e9;
        double wall = (System.nanoTime() - wall0) / 1e9;
        System.out.printf(Locale.ROOT, "{\"pipeline\": \"%s\", \"audio_s\": %.1f, \"frames\": %d, \"cpu_s\": %.4f, \"wall_s\": %.4f, \"rtf_cpu\": %.1f, \"rtf_wall\": %.1f}%n",
                name, audioSeconds, frames, cpu, wall, audioSeconds / cpu, audioSeconds / wall);
    }

    private static long pass(SpeechModel m, Predictor p, float[] audio, int length) {
        int chunk = m.features().sampleRate() / 10;
        FeatureStream features = m.features().stream(AudioFeatures.Kind.MFCC);
        StreamingPredictor stream = p == null ? null : p.stream(1);
        long frames = 0;
        try {
            for (int at = 0; at < length; at += chunk) {
                for (double[] frame : features.push(audio, at, Math.min(chunk, length - at))) {
                    frames++;
                    if (stream != null) {
                        stream.step(FeatureStream.step(m.standardise(frame)));
                    }
                }
            }
        } finally {
            if (stream != null) {
                stream.close();
            }
        }
        return frames;
    }

    private static float[] audio(SpeechModel m, double seconds) {
        List<float[]> clips = new ArrayList<>();
        for (SpeechModel.Sample s : m.samples()) {
            clips.add(s.audio().resample(m.features().sampleRate()).samples());
        }
        float[] y = new float[(int) (seconds * m.features().sampleRate())];
        for (int at = 0, i = 0; at < y.length; i++) {
            float[] c = clips.get(i % clips.size());
            int n = Math.min(c.length, y.length - at);
            System.arraycopy(c, 0, y, at, n);
            at += n;
        }
        return y;
    }
}
