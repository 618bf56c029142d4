package org.lstm4j.audio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.lstm4j.tensor.FloatTensor;
import org.lstm4j.tensor.Npy;

/** The clips and librosa's results written by tools/audio/make_librosa_goldens.py (goldens.json names each call). */
final class LibrosaGoldens {

    static final String DIR = "/org/lstm4j/audio/librosa/";
    static final JsonNode DOC = json();

    record Clip(String file, int sampleRate, JsonNode node) {
        byte[] wav() {
            return bytes(file);
        }

        FloatTensor result(String key) {
            JsonNode r = node.path("results").path(key);
            if (r.isMissingNode()) {
                throw new IllegalArgumentException(file + " has no golden " + key);
            }
            try {
                return Npy.read(bytes(r.get("file").asText())).toFloatTensor();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public String toString() {
            return file;
        }
    }

    private LibrosaGoldens() {
    }

    static List<Clip> clips() {
        List<Clip> out = new ArrayList<>();
        DOC.get("clips").forEach(c -> out.add(new Clip(c.get("file").asText(), c.get("sample_rate").asInt(), c)));
        return out;
    }

    /** The speech example's settings, as the goldens record them. */
    static AudioFeatures modelFeatures() {
        JsonNode s = DOC.get("model_settings");
        return AudioFeatures.builder(s.get("sr").asInt()).nFft(s.get("n_fft").asInt()).hopLength(s.get("hop_length").asInt())
                .nMels(s.get("n_mels").asInt()).nMfcc(s.get("n_mfcc").asInt()).topDb(null).build();
    }

    static FloatTensor tensor(double[][] frames) {
        return AudioFeatures.toTensor(frames).reshape(frames.length, frames[0].length);
    }

    static byte[] bytes(String name) {
        try (InputStream in = LibrosaGoldens.class.getResourceAsStream(DIR + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + DIR + name + " (tools/audio/make_librosa_goldens.py writes it)");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode json() {
        try {
            return new ObjectMapper().readTree(bytes("goldens.json"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
