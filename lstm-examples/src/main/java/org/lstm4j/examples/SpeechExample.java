package org.lstm4j.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.lstm4j.audio.Audio;
import org.lstm4j.audio.AudioFeatures;
import org.lstm4j.audio.FeatureStream;
import org.lstm4j.backend.BackendProvider;
import org.lstm4j.backend.Backends;
import org.lstm4j.predict.Predictor;
import org.lstm4j.predict.StreamingPredictor;
import org.lstm4j.tensor.FloatTensor;
import org.lstm4j.tensor.IntTensor;

/**
 * Spoken keywords (the ten digits, yes, no, stop, go) from WAV files: lstm-audio reads and resamples the audio and
 * computes librosa's MFCCs, a Keras LSTM trained by {@code tools/demo/train_speech.sh} on espeak-ng voices classifies
 * them, on every backend on the class path (or the one named).
 *
 * <pre>
 * ./lstm example speech [--backend NAME] [FILE.wav ...]      top classes of the committed samples, or of your files
 * ./lstm example speech --stream [--backend NAME] [FILE.wav]  fed in 100 ms chunks: detections with their times
 * ./lstm example speech --accuracy DIR [--backend NAME]       accuracy on WORD_*.wav files (the held-out voices:
 *                                                              build-out/speech/test after train_speech.sh)
 * </pre>
 */
public final class SpeechExample {

    private static final double CHUNK_SECONDS = 0.1;

    private SpeechExample() {
    }

    public static void main(String[] args) {
        String backendName = null;
        boolean stream = false;
        Path accuracyDir = null;
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--stream" -> stream = true;
                case "--backend" -> backendName = value(args, ++i, "--backend");
                case "--accuracy" -> accuracyDir = Path.of(value(args, ++i, "--accuracy"));
                default -> {
                    if (args[i].startsWith("--")) {
                        throw new IllegalArgumentException("unknown option " + args[i] + "; expected --stream, --backend NAME, --accuracy DIR or WAV files");
                    }
                    files.add(Path.of(args[i]));
                }
            }
        }
        SpeechModel m = SpeechModel.load();
        List<BackendProvider> backends = backendName != null ? List.of(Backends.select(backendName)) : Backends.discover(SpeechExample.class.getClassLoader())
                .stream().flatMap(c -> c.provider().stream()).filter(p -> Backends.availability(p).available()).toList();
        System.out.println(m.model());
        System.out.println("trained by tools/demo/train_speech.py: " + m.record().path("training").path("held_out_voices_accuracy").asDouble()
                + " accuracy on " + m.record().path("training").path("held_out_clips").asInt() + " clips of held-out voices (Keras)");
        if (accuracyDir != null) {
            accuracy(m, backends, accuracyDir);
        } else if (stream) {
            stream(m, backends.get(0), files.isEmpty() ? null : files.get(0));
        } else {
            classify(m, backends, files);
        }
    }

    /** The committed samples (compared with Keras's probabilities) or the given files, on each backend. */
    private static void classify(SpeechModel m, List<BackendProvider> backends, List<Path> files) {
        List<String> names = new ArrayList<>();
        List<double[][]> clips = new ArrayList<>();
        List<float[]> keras = new ArrayList<>();
        if (files.isEmpty()) {
            for (SpeechModel.Sample s : m.samples()) {
                names.add(s.file() + " (" + s.voice() + ")");
                clips.add(m.frames(s.audio()));
                keras.add(s.kerasProbabilities());
            }
        } else {
            for (Path f : files) {
                names.add(f.toString());
                clips.add(m.frames(read(f)));
            }
        }
        FloatTensor x = m.batch(clips);
        float[][] first = null;
        for (BackendProvider backend : backends) {
            try (Predictor p = backend.compile(m.model())) {
                float[][] probabilities = p.predict(x).output().toArray2d();
                if (first == null) {
                    for (int i = 0; i < names.size(); i++) {
                        System.out.printf(Locale.ROOT, "  %-44s %s%n", names.get(i), top(m, probabilities[i], 3));
                    }
                    first = probabilities;
                }
                double worst = 0;
                for (int i = 0; i < keras.size(); i++) {
                    for (int k = 0; k < probabilities[i].length; k++) {
                        worst = Math.max(worst, Math.abs(probabilities[i][k] - keras.get(i)[k]));
                    }
                }
                System.out.printf(Locale.ROOT, "backend %-9s %s%n", p.backendName(), keras.isEmpty() ? "ran"
                        : String.format(Locale.ROOT, "largest |difference| to Keras's probabilities %.2e", worst));
            }
        }
    }

    /**
     * Feeds the audio as it would arrive, 100 ms at a time, through a FeatureStream into a StreamingPredictor. A word
     * starts when a frame's energy rises 12 dB above the quietest frame so far and ends after 15 frames (150 ms)
     * below it; at its start the stream's state is reset and the 10 frames before it are fed first (the training
     * clips have 0..150 ms of noise around each word, and a word's first sound is often quiet), and the word's class
     * is printed at its end.
     */
    private static void stream(SpeechModel m, BackendProvider backend, Path file) {
        Audio audio = file != null ? read(file).resample(m.features().sampleRate()) : demoAudio(m);
        System.out.printf(Locale.ROOT, "%nstreaming %s (%.2f s) in %.0f ms chunks on %s:%n", file != null ? file : "three committed samples in a row",
                audio.seconds(), CHUNK_SECONDS * 1000, backend.name());
        float[] y = audio.samples();
        int chunk = (int) Math.round(CHUNK_SECONDS * audio.sampleRate());
        FeatureStream features = m.features().stream(AudioFeatures.Kind.MFCC);
        try (Predictor p = backend.compile(m.model()); StreamingPredictor s = p.stream(1)) {
            Detector detector = new Detector(m, s);
            for (int at = 0; at < y.length; at += chunk) {
                for (double[] frame : features.push(y, at, Math.min(chunk, y.length - at))) {
                    detector.accept(frame, features.framesEmitted());
                }
            }
            for (double[] frame : features.finish()) {
                detector.accept(frame, features.framesEmitted());
            }
            detector.end(features.framesEmitted());
        }
    }

    /** Energy-gated word segmentation over streamed MFCC frames, classifying each word with the streaming model. */
    private static final class Detector {
        private static final double RISE_DB = 12;
        private static final int HANGOVER = 15;
        private static final int PRE_ROLL = 10;
        private final SpeechModel m;
        private final StreamingPredictor stream;
        private final double secondsPerFrame;
        private double floor = Double.POSITIVE_INFINITY;
        private boolean inWord;
        private int quiet;
        private long start;
        private FloatTensor last;
        private final java.util.ArrayDeque<double[]> recent = new java.util.ArrayDeque<>();  // standardised frames before a word

        Detector(SpeechModel m, StreamingPredictor stream) {
            this.m = m;
            this.stream = stream;
            this.secondsPerFrame = m.features().hopLength() / (double) m.features().sampleRate();
        }

        void accept(double[] mfcc, long framesEmitted) {
            long t = framesEmitted - 1;
            double db = mfcc[0] / Math.sqrt(m.features().nMels());  // c0 of an orthonormal DCT: the frame's mean log-mel, times sqrt(n_mels)
            floor = Math.min(floor, db);
            boolean loud = db > floor + RISE_DB;
            double[] frame = m.standardise(mfcc);
            if (!inWord && loud) {
                inWord = true;
                start = t - recent.size();
                stream.reset();
                for (double[] before : recent) {
                    stream.step(FeatureStream.step(before));
                }
                recent.clear();
            }
            if (!inWord) {
                recent.addLast(frame);
                if (recent.size() > PRE_ROLL) {
                    recent.removeFirst();
                }
            } else {
                last = stream.step(FeatureStream.step(frame));
                quiet = loud ? 0 : quiet + 1;
                if (quiet >= HANGOVER || t - start + 1 >= m.maxFrames()) {
                    end(t + 1);
                }
            }
        }

        void end(long frames) {
            if (!inWord) {
                return;
            }
            inWord = false;
            quiet = 0;
            System.out.printf(Locale.ROOT, "  %5.2f s - %5.2f s  %s%n", start * secondsPerFrame, frames * secondsPerFrame, top(m, last.toArray(), 2));
        }
    }

    /** Accuracy on a folder of WORD_*.wav files, next to Keras's accuracy on the same held-out voices. */
    private static void accuracy(SpeechModel m, List<BackendProvider> backends, Path dir) {
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(f -> f.getFileName().toString().endsWith(".wav")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException(dir + " holds no .wav files (tools/demo/train_speech.sh writes build-out/speech/test)");
        }
        int[] labels = new int[files.size()];
        List<double[][]> clips = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            String word = files.get(i).getFileName().toString().split("_")[0];
            labels[i] = m.classes().indexOf(word);
            if (labels[i] < 0) {
                throw new IllegalArgumentException(files.get(i) + ": the name must start with a class (" + m.classes() + ") and '_'");
            }
            clips.add(m.frames(read(files.get(i))));
        }
        for (BackendProvider backend : backends) {
            try (Predictor p = backend.compile(m.model())) {
                int right = 0;
                for (int from = 0; from < clips.size(); from += 256) {
                    int to = Math.min(clips.size(), from + 256);
                    IntTensor classes = p.predict(m.batch(clips.subList(from, to))).argmax();
                    for (int i = from; i < to; i++) {
                        right += classes.get(i - from) == labels[i] ? 1 : 0;
                    }
                }
                System.out.printf(Locale.ROOT, "backend %-9s accuracy %.4f (%d of %d clips in %s); Keras: %.4f%n", p.backendName(),
                        right / (double) clips.size(), right, clips.size(), dir, m.record().path("training").path("held_out_voices_accuracy").asDouble());
            }
        }
    }

    /** Three committed samples with 0.4 s of silence between them, resampled to the model's rate. */
    private static Audio demoAudio(SpeechModel m) {
        List<SpeechModel.Sample> samples = m.samples();
        int rate = m.features().sampleRate();
        List<float[]> parts = new ArrayList<>();
        for (String word : List.of("yes", "seven", "stop")) {
            samples.stream().filter(s -> s.word().equals(word)).findFirst().ifPresent(s -> {
                parts.add(new float[(int) (0.4 * rate)]);
                parts.add(s.audio().resample(rate).samples());
            });
        }
        parts.add(new float[(int) (0.4 * rate)]);
        int n = parts.stream().mapToInt(a -> a.length).sum();
        float[] y = new float[n];
        int at = 0;
        for (float[] part : parts) {
            System.arraycopy(part, 0, y, at, part.length);
            at += part.length;
        }
        return new Audio(y, rate);
    }

    private static String top(SpeechModel m, float[] p, int n) {
        Integer[] order = new Integer[p.length];
        for (int k = 0; k < order.length; k++) {
            order[k] = k;
        }
        java.util.Arrays.sort(order, (a, b) -> Float.compare(p[b], p[a]));
        StringBuilder out = new StringBuilder();
        for (int k = 0; k < n && k < order.length; k++) {
            out.append(String.format(Locale.ROOT, "%s%-6s %.3f", k == 0 ? "" : "  ", m.classes().get(order[k]), p[order[k]]));
        }
        return out.toString();
    }


    private static Audio read(Path f) {
        try {
            return Audio.read(f);
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }
}
