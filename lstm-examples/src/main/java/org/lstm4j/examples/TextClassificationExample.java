package org.lstm4j.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.lstm4j.backend.BackendProvider;
import org.lstm4j.backend.Backends;
import org.lstm4j.model.Activation;
import org.lstm4j.model.DenseLayer;
import org.lstm4j.model.EmbeddingLayer;
import org.lstm4j.model.LstmLayer;
import org.lstm4j.model.MaskedOutput;
import org.lstm4j.model.OutputMode;
import org.lstm4j.model.SequenceModel;
import org.lstm4j.predict.Prediction;
import org.lstm4j.predict.Predictor;
import org.lstm4j.predict.StreamingPredictor;
import org.lstm4j.tensor.FloatTensor;
import org.lstm4j.tensor.IntTensor;
import org.lstm4j.tensor.Npy;
import org.lstm4j.weights.DenseWeights;
import org.lstm4j.weights.EmbeddingWeights;
import org.lstm4j.weights.LstmWeights;

/**
 * Classifies short texts with a Keras {@code Embedding(mask_zero=True) -> LSTM -> Dense(softmax)} model trained
 * by {@code tools/demo/train_text.py} on generated reviews (positive, negative, question), rebuilt in Java from
 * Keras's own weight arrays, on every backend on the class path (or the one named): tokenizes as the script does,
 * pre-pads as {@code keras.utils.pad_sequences} does (the padding id 0 is masked), predicts, prints each text's
 * class, and compares the probabilities with Keras's own; then streams one text a word at a time.
 *
 * <pre>./lstm example text [backend] ["your text" ...]</pre>
 */
public final class TextClassificationExample {

    private static final String RESOURCES = "/org/lstm4j/examples/text/";
    private static final Pattern WORD = Pattern.compile("[a-z]+");

    /** The trained model, its vocabulary and the record the training script wrote. */
    public record TextModel(SequenceModel model, Map<String, Integer> vocabulary, List<String> classes, int maxLength, JsonNode record) {

        /** Token ids of one text, pre-padded with 0 to the model's length (longer texts keep their last words, as pad_sequences does). */
        public int[] encode(String text) {
            List<Integer> ids = new ArrayList<>();
            Matcher m = WORD.matcher(text.toLowerCase(Locale.ROOT));
            while (m.find()) {
                ids.add(vocabulary.getOrDefault(m.group(), 1));  // 1: an unknown word
            }
            int[] row = new int[maxLength];
            int n = Math.min(ids.size(), maxLength);
            for (int k = 0; k < n; k++) {
                row[maxLength - n + k] = ids.get(ids.size() - n + k);
            }
            return row;
        }

        public IntTensor encode(List<String> texts) {
            int[][] rows = new int[texts.size()][];
            for (int i = 0; i < rows.length; i++) {
                rows[i] = encode(texts.get(i));
            }
            return IntTensor.of(rows);
        }
    }

    /** Builds the model from Keras's arrays with the layout converters; Keras's plain LSTM repeats the previous output at masked steps. */
    public static TextModel load() {
        try {
            JsonNode record = new ObjectMapper().readTree(resource("text.json"));
            List<String> words = new String(resource("vocab.txt"), StandardCharsets.UTF_8).lines().toList();
            Map<String, Integer> vocabulary = new HashMap<>();
            for (int k = 0; k < words.size(); k++) {
                vocabulary.put(words.get(k), k);
            }
            float[] table = array("embedding_embeddings");
            int vocab = words.size();
            int dim = table.length / vocab;
            float[] recurrent = array("lstm_recurrent_kernel");
            int units = (int) Math.round(Math.sqrt(recurrent.length / 4.0));
            float[] denseKernel = array("dense_kernel");
            int classes = denseKernel.length / units;
            SequenceModel model = SequenceModel.builder(vocab).name("reviews")
                    .add(EmbeddingLayer.of("embedding", EmbeddingWeights.fromKeras(vocab, dim, table)).withMaskZero(true))
                    .add(LstmLayer.builder(dim, units).name("lstm").outputMode(OutputMode.FINAL_STATE).maskedOutput(MaskedOutput.PREVIOUS)
                            .weights(LstmWeights.fromKeras(dim, units, array("lstm_kernel"), recurrent, array("lstm_bias"))).build())
                    .add(DenseLayer.of("dense", DenseWeights.fromKeras(units, classes, denseKernel, array("dense_bias")), Activation.softmax()))
                    .build();
            List<String> names = new ArrayList<>();
            record.get("classes").forEach(c -> names.add(c.asText()));
            return new TextModel(model, vocabulary, names, record.get("max_length").asInt(), record);
        } catch (IOException e) {
            throw new UncheckedIOException("the text example's resources under " + RESOURCES + " cannot be read", e);
        }
    }

    public static void main(String[] args) {
        TextModel t = load();
        System.out.println(t.model());
        System.out.println("trained by tools/demo/train_text.py: held-out accuracy "
                + t.record().path("training").path("held_out_accuracy").asDouble() + " (" + t.record().path("source").asText() + ")");
        List<String> texts = new ArrayList<>();
        float[][] keras = new float[t.record().get("samples").size()][];
        for (JsonNode s : t.record().get("samples")) {
            keras[texts.size()] = floats(s.get("keras_probabilities"));
            texts.add(s.get("text").asText());
        }
        List<String> extra = args.length > 1 ? List.of(args).subList(1, args.length) : List.of();
        List<BackendProvider> backends = new ArrayList<>();
        if (args.length > 0 && !args[0].isEmpty()) {
            backends.add(Backends.select(args[0]));
        } else {
            Backends.discover(TextClassificationExample.class.getClassLoader()).stream()
                    .flatMap(c -> c.provider().stream())
                    .filter(provider -> Backends.availability(provider).available())
                    .forEach(backends::add);
        }
        IntTensor ids = t.encode(texts);
        IntTensor first = null;
        for (BackendProvider backend : backends) {
            try (Predictor p = backend.compile(t.model())) {
                Prediction prediction = p.predict(ids);
                float[][] probabilities = prediction.output().toArray2d();
                IntTensor classes = prediction.argmax();
                double worst = 0;
                for (int i = 0; i < texts.size(); i++) {
                    for (int k = 0; k < probabilities[i].length; k++) {
                        worst = Math.max(worst, Math.abs(probabilities[i][k] - keras[i][k]));
                    }
                }
                if (first == null) {
                    System.out.println();
                    for (int i = 0; i < texts.size(); i++) {
                        int c = classes.get(i);
                        System.out.printf(Locale.ROOT, "  %-9s %.3f  %s%n", t.classes().get(c), probabilities[i][c], texts.get(i));
                    }
                    first = classes;
                }
                System.out.printf(Locale.ROOT, "backend %-9s classes %s, largest |difference| to Keras's probabilities %.2e%n", p.backendName(),
                        classes.equals(first) ? "as above" : "DIFFERENT: " + classes, worst);
                if (!extra.isEmpty()) {
                    Prediction mine = p.predict(t.encode(extra));
                    for (int i = 0; i < extra.size(); i++) {
                        int c = mine.argmax().get(i);
                        System.out.printf(Locale.ROOT, "  %-9s %.3f  %s  (yours)%n", t.classes().get(c), mine.output().get(i, c), extra.get(i));
                    }
                }
            }
        }
        streamOneText(t, backends.get(0), texts.get(1));
    }

    /** A stream reads one word per step; its output after the last word is the whole text's prediction. */
    private static void streamOneText(TextModel t, BackendProvider backend, String text) {
        int[] ids = t.encode(text);
        try (Predictor p = backend.compile(t.model()); StreamingPredictor s = p.stream(1)) {
            System.out.printf(Locale.ROOT, "%nstreaming \"%s\" a word at a time on %s:%n", text, p.backendName());
            FloatTensor out = null;
            for (int id : ids) {
                out = s.step(IntTensor.of(id));  // the padding ids (0) are masked: they leave the state alone
                if (id != 0) {
                    int c = argmax(out.toArray());
                    System.out.printf(Locale.ROOT, "  after %-12s %-9s %.3f%n", wordOf(t, id), t.classes().get(c), out.get(c));
                }
            }
        }
    }

    private static String wordOf(TextModel t, int id) {
        return t.vocabulary().entrySet().stream().filter(e -> e.getValue() == id).map(Map.Entry::getKey).findFirst().orElse("?");
    }

    private static int argmax(float[] v) {
        int best = 0;
        for (int k = 1; k < v.length; k++) {
            best = v[k] > v[best] ? k : best;
        }
        return best;
    }

    private static float[] floats(JsonNode a) {
        float[] out = new float[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) a.get(i).asDouble();
        }
        return out;
    }

    private static float[] array(String name) throws IOException {
        try (InputStream in = TextClassificationExample.class.getResourceAsStream(RESOURCES + name + ".npy")) {
            if (in == null) {
                throw new IOException("missing " + RESOURCES + name + ".npy");
            }
            return Npy.read(in).toFloatTensor().toArray();
        }
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = TextClassificationExample.class.getResourceAsStream(RESOURCES + name)) {
            if (in == null) {
                throw new IOException("missing " + RESOURCES + name);
            }
            return in.readAllBytes();
        }
    }
}
