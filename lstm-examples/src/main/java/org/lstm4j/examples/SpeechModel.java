package org.lstm4j.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.lstm4j.audio.Audio;
import org.lstm4j.audio.AudioFeatures;
import org.lstm4j.audio.WavReader;
import org.lstm4j.model.Activation;
import org.lstm4j.model.DenseLayer;
import org.lstm4j.model.LstmLayer;
import org.lstm4j.model.MaskedOutput;
import org.lstm4j.model.MaskingLayer;
import org.lstm4j.model.OutputMode;
import org.lstm4j.model.SequenceModel;
import org.lstm4j.tensor.FloatTensor;
import org.lstm4j.tensor.Npy;
import org.lstm4j.weights.DenseWeights;
import org.lstm4j.weights.LstmWeights;

/**
 * The speech example's keyword model and its features: a Keras {@code Masking(0.0) -> LSTM -> Dense(softmax)}
 * trained by {@code tools/demo/train_speech.py} on MFCCs of espeak-ng speech (tools/demo/speech_data.py), rebuilt
 * from Keras's weight arrays; the features are lstm-audio's, with the settings and standardisation the data script
 * recorded in features.json.
 *
 * @param maxFrames the training length: longer clips keep their last frames, shorter ones are pre-padded with
 *                  zero frames, which the model masks
 */
public record SpeechModel(SequenceModel model, List<String> classes, AudioFeatures features, double[] mean, double[] std,
                          int maxFrames, JsonNode record) {

    static final String RESOURCES = "/org/lstm4j/examples/speech/";

    /** Loads the committed model. */
    public static SpeechModel load() {
        try {
            JsonNode record = new ObjectMapper().readTree(resource("features.json"));
            JsonNode s = record.get("settings");
            AudioFeatures features = AudioFeatures.builder(s.get("sr").asInt()).nFft(s.get("n_fft").asInt())
                    .hopLength(s.get("hop_length").asInt()).nMels(s.get("n_mels").asInt()).nMfcc(s.get("n_mfcc").asInt())
                    .topDb(null).build();
            int inputs = features.nMfcc();
            float[] recurrent = array("lstm_recurrent_kernel");
            int units = (int) Math.round(Math.sqrt(recurrent.length / 4.0));
            float[] denseKernel = array("dense_kernel");
            int classes = denseKernel.length / units;
            SequenceModel model = SequenceModel.builder(inputs).name("keywords")
                    .add(MaskingLayer.of("masking", inputs, 0f))
                    .add(LstmLayer.builder(inputs, units).name("lstm").outputMode(OutputMode.FINAL_STATE).maskedOutput(MaskedOutput.PREVIOUS)
                            .weights(LstmWeights.fromKeras(inputs, units, array("lstm_kernel"), recurrent, array("lstm_bias"))).build())
                    .add(DenseLayer.of("dense", DenseWeights.fromKeras(units, classes, denseKernel, array("dense_bias")), Activation.softmax()))
                    .build();
            List<String> names = new ArrayList<>();
            record.get("classes").forEach(c -> names.add(c.asText()));
            return new SpeechModel(model, names, features, doubles(record.get("mean")), doubles(record.get("std")),
                    record.get("max_frames").asInt(), record);
        } catch (IOException e) {
            throw new UncheckedIOException("the speech example's resources under " + RESOURCES + " cannot be read", e);
        }
    }

    /** The model's input frames for a clip: resampled to the model's rate, MFCCs, standardised; {@code [frames][n_mfcc]}. */
    public double[][] frames(Audio audio) {
        double[][] mfcc = features.mfcc(audio.resample(features.sampleRate()).samples());
        for (double[] frame : mfcc) {
            standardise(frame);
        }
        return mfcc;
    }

    /** One streamed MFCC frame, standardised in place as the training data was. */
    public double[] standardise(double[] mfccFrame) {
        for (int k = 0; k < mfccFrame.length; k++) {
            mfccFrame[k] = (mfccFrame[k] - mean[k]) / std[k];
        }
        return mfccFrame;
    }

    /** Clips as one batch {@code [clips, maxFrames, n_mfcc]}: each pre-padded with zero frames (masked), or cut to its last frames. */
    public FloatTensor batch(List<double[][]> clips) {
        int width = features.nMfcc();
        float[] values = new float[clips.size() * maxFrames * width];
        for (int i = 0; i < clips.size(); i++) {
            double[][] c = clips.get(i);
            int n = Math.min(c.length, maxFrames);
            for (int t = 0; t < n; t++) {
                double[] frame = c[c.length - n + t];
                int at = (i * maxFrames + maxFrames - n + t) * width;
                for (int k = 0; k < width; k++) {
                    values[at + k] = (float) frame[k];
                }
            }
        }
        return FloatTensor.of(new int[] {clips.size(), maxFrames, width}, values);
    }

    /** The committed sample clips, one held-out voice per word: name, audio. */
    public List<Sample> samples() {
        List<Sample> out = new ArrayList<>();
        for (JsonNode s : record.get("samples")) {
            String file = s.get("file").asText();
            try {
                Audio audio = WavReader.read(resource(file), RESOURCES + file);
                float[] keras = new float[classes.size()];
                for (int k = 0; k < keras.length; k++) {
                    keras[k] = (float) s.path("keras_probabilities").path(k).asDouble(Double.NaN);
                }
                out.add(new Sample(file, s.get("word").asText(), s.get("voice").asText(), audio, keras, s.get("features")));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }

    /** A committed clip, with Keras's probabilities and librosa's features (standardised) for it. */
    public record Sample(String file, String word, String voice, Audio audio, float[] kerasProbabilities, JsonNode librosaFeatures) {
        public double[][] librosaFrames() {
            double[][] f = new double[librosaFeatures.size()][];
            for (int t = 0; t < f.length; t++) {
                f[t] = doubles(librosaFeatures.get(t));
            }
            return f;
        }
    }

    static double[] doubles(JsonNode a) {
        double[] out = new double[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).asDouble();
        }
        return out;
    }

    private static float[] array(String name) throws IOException {
        return Npy.read(resource(name + ".npy")).toFloatTensor().toArray();
    }

    static byte[] resource(String name) throws IOException {
        try (InputStream in = SpeechModel.class.getResourceAsStream(RESOURCES + name)) {
            if (in == null) {
                throw new IOException("missing " + RESOURCES + name + " (tools/demo/train_speech.sh writes it)");
            }
            return in.readAllBytes();
        }
    }
}
