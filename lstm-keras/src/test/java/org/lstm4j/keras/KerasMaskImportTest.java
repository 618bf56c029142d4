package org.lstm4j.keras;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.lstm4j.model.EmbeddingLayer;
import org.lstm4j.model.LstmLayer;
import org.lstm4j.model.MaskedOutput;
import org.lstm4j.model.MaskingLayer;
import org.lstm4j.model.Port;
import org.lstm4j.model.SequenceModel;

/**
 * How masks import, and which masks are refused. Keras 3 writes a functional model's mask into its
 * configuration: each LSTM call names the tensor it reads as {@code mask}, traced from a Masking layer
 * ({@code any(not_equal(x, mask_value), axis=-1)}), from {@code Embedding(mask_zero=True)}
 * ({@code not_equal(ids, 0)}) or a model input. The refusals below edit config.json of the keras-masks
 * goldens (Keras 3.15.1 files, whose outputs KerasGoldensTest matches) so that the mask is one lstm4j
 * would run differently from Keras.
 */
class KerasMaskImportTest {

    private static final Path MASKS = KerasGoldensTest.FIXTURES.resolve("keras-masks");

    @Test
    void masksImportWithKerasSemantics() {
        SequenceModel stacked = KerasImporter.importModel(MASKS.resolve("masking_stacked_pre/model.keras"));
        assertEquals(0f, assertInstanceOf(MaskingLayer.class, stacked.layers().get(0)).maskValue());
        // A plain Keras LSTM repeats its previous output at a masked step; inside Bidirectional, zeros.
        assertEquals(MaskedOutput.PREVIOUS, assertInstanceOf(LstmLayer.class, stacked.layers().get(1)).maskedOutput());
        SequenceModel bidi = KerasImporter.importModel(MASKS.resolve("masking_bidi_sequences_pre/model.keras"));
        assertEquals(MaskedOutput.ZERO, assertInstanceOf(LstmLayer.class, bidi.layers().get(1)).maskedOutput());

        SequenceModel text = KerasImporter.importModel(MASKS.resolve("embedding_mask_zero_last_pre/model.keras"));
        assertTrue(text.readsTokens());
        assertTrue(assertInstanceOf(EmbeddingLayer.class, text.layers().get(0)).masksZero());

        SequenceModel explicit = KerasImporter.importModel(MASKS.resolve("explicit_mask_post/model.keras"));
        assertEquals(List.of(Port.Role.SEQUENCE_INPUT, Port.Role.STEP_MASK),
                explicit.inputPorts().stream().map(Port::role).toList());
        assertEquals("mask", explicit.inputPorts().get(1).name());
    }

    @Test
    void aMaskComparingWithAnotherValueThanTheMaskingLayersIsRefused() throws IOException {
        String message = refusal("masking_stacked_pre", c -> c.replace("\"keras_history\": [\"x\", 0, 0]}}, 0.0]",
                "\"keras_history\": [\"x\", 0, 0]}}, 1.0]"));
        assertTrue(message.contains("layer 'any_16' (Any), which is not the mask of a Masking layer"), message);
    }

    @Test
    void layersReadingDifferentMasksAreRefused() throws IOException {
        String lstm2Mask = "\"keras_history\": [\"lstm_1\", 0, 0]}}], \"kwargs\": {\"training\": false, \"mask\": "
                + "{\"class_name\": \"__keras_tensor__\", \"config\": {\"shape\": [null, 7], \"dtype\": \"bool\", "
                + "\"keras_history\": [\"any_16\", 0, 0]}}}";
        String other = refusal("masking_stacked_pre", c -> replaceOnce(c, lstm2Mask, lstm2Mask.replace("any_16", "not_equal_16")));
        assertTrue(other.contains("layer 'lstm_2' (LSTM) reads the mask 'not_equal_16'"), other);
        assertTrue(other.contains("lstm4j applies one mask to every LSTM layer"), other);

        String none = refusal("masking_stacked_pre", c -> replaceOnce(c, lstm2Mask, lstm2Mask.substring(0,
                lstm2Mask.indexOf(", \"mask\"")) + "}"));
        assertTrue(none.contains("layer 'lstm_2' (LSTM) reads no mask while other layers read 'any_16'"), none);
    }

    @Test
    void aMaskingLayerWhoseMaskNoLstmReadsIsRefused() throws IOException {
        // What Keras 3.15 writes when the LSTM is called with initial_state: the Masking layer, and LSTMs without a mask.
        String message = refusal("masking_stacked_pre", c -> c.replace("\"training\": false, \"mask\": {\"class_name\": "
                + "\"__keras_tensor__\", \"config\": {\"shape\": [null, 7], \"dtype\": \"bool\", \"keras_history\": "
                + "[\"any_16\", 0, 0]}}", "\"training\": false"));
        assertTrue(message.contains("layer 'mask' (Masking) makes a mask that no LSTM of the model reads"), message);
    }

    private static String replaceOnce(String text, String from, String to) {
        int at = text.indexOf(from);
        assertTrue(at >= 0 && text.indexOf(from, at + 1) < 0, "the golden's config.json changed: " + from);
        return text.substring(0, at) + to + text.substring(at + from.length());
    }

    /** Imports the golden with its config.json edited; returns the refusal's message (one line). */
    private static String refusal(String golden, UnaryOperator<String> edit) throws IOException {
        byte[] edited = withConfig(Files.readAllBytes(MASKS.resolve(golden).resolve("model.keras")), edit);
        KerasImportException e = assertThrows(KerasImportException.class, () -> KerasImporter.importModel(edited, "edited.keras"));
        assertEquals(-1, e.getMessage().indexOf('\n'), "one line");
        return e.getMessage();
    }

    private static byte[] withConfig(byte[] archive, UnaryOperator<String> edit) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        boolean edited = false;
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(archive)); ZipOutputStream zip = new ZipOutputStream(out)) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                byte[] bytes = in.readAllBytes();
                if (e.getName().equals("config.json")) {
                    String before = new String(bytes, StandardCharsets.UTF_8);
                    String after = edit.apply(before);
                    assertTrue(!after.equals(before), "the edit changed nothing");
                    bytes = after.getBytes(StandardCharsets.UTF_8);
                    edited = true;
                }
                zip.putNextEntry(new ZipEntry(e.getName()));
                zip.write(bytes);
                zip.closeEntry();
            }
        }
        assertTrue(edited, "no config.json");
        return out.toByteArray();
    }
}
