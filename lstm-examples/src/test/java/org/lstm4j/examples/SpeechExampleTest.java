package org.lstm4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.lstm4j.audio.AudioFeatures;
import org.lstm4j.audio.FeatureStream;
import org.lstm4j.backend.BackendProvider;
import org.lstm4j.backend.Backends;
import org.lstm4j.predict.Predictor;
import org.lstm4j.predict.StreamingPredictor;
import org.lstm4j.tensor.FloatTensor;
import org.lstm4j.testing.TensorAssertions;
import org.lstm4j.testing.Tolerance;

/**
 * The speech example's model, rebuilt in Java from Keras's arrays, gives Keras's own probabilities on every backend
 * (features.json: librosa's MFCCs of the committed samples and Keras's outputs on them, written by
 * tools/demo/speech_data.py and tools/demo/train_speech.py); lstm-audio's features of the committed WAVs are
 * librosa's; streaming the frames one at a time ends where Keras's padded batch does.
 */
class SpeechExampleTest {

    private static final SpeechModel MODEL = SpeechModel.load();
    private static final List<SpeechModel.Sample> SAMPLES = MODEL.samples();

    @Test
    void javaFeaturesOfTheCommittedWavsAreLibrosas() {
        for (SpeechModel.Sample s : SAMPLES) {
            double[][] librosa = s.librosaFrames();
            double[][] mine = MODEL.frames(s.audio());
            assertEquals(librosa.length, mine.length, s.file() + ": frames");
            TensorAssertions.assertClose(flat(librosa), flat(mine), Tolerance.DEFAULT, s.file() + ": standardised MFCCs vs librosa");
        }
    }

    @Test
    void everyBackendGivesKerassProbabilitiesOnLibrosasFeatures() {
        List<double[][]> clips = new ArrayList<>();
        float[][] keras = new float[SAMPLES.size()][];
        for (int i = 0; i < SAMPLES.size(); i++) {
            clips.add(SAMPLES.get(i).librosaFrames());
            keras[i] = SAMPLES.get(i).kerasProbabilities();
        }
        FloatTensor expected = FloatTensor.of(keras);
        int ran = 0;
        for (Backends.Candidate c : Backends.discover(getClass().getClassLoader())) {
            BackendProvider b = c.provider().orElseThrow();
            try (Predictor p = b.compile(MODEL.model())) {
                TensorAssertions.assertClose(expected, p.predict(MODEL.batch(clips)).output(), Tolerance.DEFAULT, "backend " + b.name() + " vs Keras");
                ran++;
            }
        }
        assertTrue(ran == 5, "every backend ran: " + ran);
    }

    @Test
    void streamingTheWavThroughFeatureStreamEndsAtKerassProbabilities() {
        AudioFeatures f = MODEL.features();
        try (Predictor p = Backends.select("java-fast").compile(MODEL.model())) {
            for (SpeechModel.Sample s : SAMPLES) {
                float[] y = s.audio().resample(f.sampleRate()).samples();
                FeatureStream features = f.stream(AudioFeatures.Kind.MFCC);
                FloatTensor last = null;
                try (StreamingPredictor stream = p.stream(1)) {
                    List<double[]> frames = new ArrayList<>();
                    for (int at = 0; at < y.length; at += 1600) {
                        frames.addAll(features.push(y, at, Math.min(1600, y.length - at)));
                    }
                    frames.addAll(features.finish());
                    for (double[] frame : frames.subList(Math.max(0, frames.size() - MODEL.maxFrames()), frames.size())) {
                        last = stream.step(FeatureStream.step(MODEL.standardise(frame)));
                    }
                }
                TensorAssertions.assertClose(FloatTensor.of(new float[][] {s.kerasProbabilities()}), last, Tolerance.DEFAULT,
                        s.file() + ": streamed vs Keras");
            }
        }
    }

    @Test
    void theExampleClassifiesAndStreams() {
        String out = run("--backend", "java-fast");
        assertTrue(out.contains("samples/seven.wav") && out.contains("largest |difference| to Keras"), out);
        String streamed = run("--stream", "--backend", "java-fast");
        assertTrue(streamed.contains("streaming") && streamed.split(" s - ").length >= 2, streamed);
    }

    private static String run(String... args) {
        PrintStream saved = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            SpeechExample.main(args);
        } finally {
            System.setOut(saved);
        }
        return buffer.toString(StandardCharsets.UTF_8);
    }

    private static FloatTensor flat(double[][] frames) {
        float[] v = new float[frames.length * frames[0].length];
        for (int t = 0; t < frames.length; t++) {
            for (int k = 0; k < frames[t].length; k++) {
                v[t * frames[t].length + k] = (float) frames[t][k];
            }
        }
        return FloatTensor.of(new int[] {frames.length, frames[0].length}, v);
    }
}
