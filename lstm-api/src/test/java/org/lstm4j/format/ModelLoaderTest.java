package org.lstm4j.format;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.lstm4j.model.SequenceModel;

class ModelLoaderTest {

    /** A format that claims files by a signature byte and by its extension. */
    private static ModelFormat format(String name, byte signature, String extension) {
        return new ModelFormat() {
            public String name() {
                return name;
            }

            public List<String> extensions() {
                return List.of(extension);
            }

            public Claim claim(byte[] head, String fileName) {
                if (signature != 0 && head.length > 0 && head[0] == signature) {
                    return Claim.CONTENT;
                }
                return fileName.endsWith(extension) ? Claim.NAME : Claim.NONE;
            }

            public SequenceModel read(Path file) {
                throw new UnsupportedOperationException();
            }

            public SequenceModel read(byte[] bytes, String sourceName) {
                throw new UnsupportedOperationException();
            }
        };
    }

    private final ModelFormat onnx = format("onnx", (byte) 0, ".onnx");
    private final ModelFormat keras = format("keras", (byte) 'P', ".keras");

    @Test
    void theFileContentWinsOverItsName() {
        assertSame(keras, ModelLoader.formatFor(List.of(onnx, keras), new byte[] {'P', 'K'}, "renamed.onnx"));
        assertSame(onnx, ModelLoader.formatFor(List.of(onnx, keras), new byte[] {8, 7}, "model.onnx"));
        assertSame(keras, ModelLoader.formatFor(List.of(onnx, keras), new byte[] {1}, "model.keras"));
    }

    @Test
    void anUnknownFileNamesTheFormatsFoundAndWhatToAdd() {
        UnknownModelFormatException e = assertThrows(UnknownModelFormatException.class,
                () -> ModelLoader.formatFor(List.of(onnx), new byte[] {'P', 'K'}, "model.keras"));
        assertTrue(e.getMessage().contains("'model.keras'") && e.getMessage().contains("onnx .onnx")
                && e.getMessage().contains("lstm-keras"), e.getMessage());
        UnknownModelFormatException none = assertThrows(UnknownModelFormatException.class,
                () -> ModelLoader.formatFor(List.of(), new byte[0], "m.onnx"));
        assertTrue(none.getMessage().contains("no model format on the class path"), none.getMessage());
    }
}
