package org.lstm4j.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Models outside the LSTM family for raw-mode tests, with their framework's outputs
 * ({@code tools/fixtures/make_raw_fixtures.py}). They live on the class path; raw mode opens files,
 * so each is copied into a folder first.
 */
public final class RawFixtures {
    private RawFixtures() {
    }

    private static final String ROOT = "/org/lstm4j/testing/raw/";

    /**
     * nn.Embedding(20, 4) -> nn.GRU(4, 6) -> Linear(6, 3) on the last step, which the importer refuses: copied into
     * {@code dir}, which then holds model.onnx, inputs/ids.npy (int64 [3, 5]), expected/logits.npy (float32 [3, 3])
     * and expected/label.npy (int64 [3], the arg max), PyTorch's eager outputs.
     */
    public static Path gruText(Path dir) throws IOException {
        for (String file : List.of("model.onnx", "fixture.json", "inputs/ids.npy", "expected/logits.npy", "expected/label.npy")) {
            Path target = dir.resolve(file);
            Files.createDirectories(target.getParent());
            try (InputStream in = RawFixtures.class.getResourceAsStream(ROOT + "gru_text/" + file)) {
                if (in == null) {
                    throw new IOException("raw fixture file gru_text/" + file + " is not on the class path");
                }
                Files.copy(in, target);
            }
        }
        return dir;
    }
}
