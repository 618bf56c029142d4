package org.lstm4j.keras;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lstm4j.format.ModelLoader;
import org.lstm4j.model.SequenceModel;

/** lstm-keras registers its format, so the one loader reads .keras and .h5 files, by their content. */
class KerasModelFormatTest {

    private static final Path GOLDEN = KerasGoldensTest.FIXTURES.resolve("keras3/bidi_concat");

    @Test
    void theModelLoaderReadsKerasArchivesAndH5FilesThroughKerasImporter() {
        SequenceModel fromArchive = ModelLoader.load(GOLDEN.resolve("model.keras"));
        SequenceModel fromH5 = ModelLoader.load(GOLDEN.resolve("model.h5"));
        assertEquals(KerasImporter.importModel(GOLDEN.resolve("model.keras")), fromArchive);
        assertEquals(fromArchive.layers(), fromH5.layers());
        assertEquals("keras", fromArchive.metadata().get("keras.format"));
        assertEquals("h5", fromH5.metadata().get("keras.format"));
    }

    @Test
    void aKerasFileUnderAnotherNameIsStillReadAsKeras(@TempDir Path dir) throws IOException {
        Path renamed = Files.copy(GOLDEN.resolve("model.keras"), dir.resolve("model.bin"));
        assertInstanceOf(KerasModelFormat.class, ModelLoader.formatFor(Files.readAllBytes(renamed), "model.bin"));
        assertEquals(KerasImporter.importModel(GOLDEN.resolve("model.keras")).layers(), ModelLoader.load(renamed).layers());
    }
}
