package org.lstm4j.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.lstm4j.backend.java.ReferenceBackendProvider;
import org.lstm4j.keras.KerasImportException;
import org.lstm4j.keras.KerasImporter;
import org.lstm4j.model.SequenceModel;
import org.lstm4j.predict.Prediction;
import org.lstm4j.predict.Predictor;
import org.lstm4j.tensor.FloatTensor;
import org.lstm4j.tensor.IntTensor;

/**
 * Fuzzes {@link KerasImporter}: any bytes either import as a model the reference engine runs, or
 * are refused with {@link KerasImportException} naming the source. Any other exception, an
 * {@link OutOfMemoryError} in the 256 MB test heap, a {@link StackOverflowError} or a hang is a
 * finding. Two targets: whole files (the zip reader, jHDF and everything after), and the
 * {@code config.json} of an otherwise valid archive (the configuration parser, the chain checks and
 * the layer mapping, which whole-file mutations rarely reach past the zip's checksums).
 *
 * <p>Seeds: {@code src/test/resources/org/lstm4j/reliability/KerasImportFuzzTestInputs/}: Keras-file
 * goldens of the keras3, keras2 and keras-masks groups (.keras and .h5; masks and token ids among them),
 * and their config.json files.
 */
class KerasImportFuzzTest {

    private static final String SOURCE = "fuzz.keras";
    private static final long MAX_PARAMETERS_TO_RUN = 200_000;
    private static final String WEIGHTS_OF = "/org/lstm4j/conformance/fixtures/keras3/bidi_concat/model.keras";

    @FuzzTest(maxDuration = "5m")
    void importsOrRefuses(byte[] bytes) {
        check(bytes);
    }

    @FuzzTest(maxDuration = "5m")
    void configImportsOrRefuses(byte[] config) {
        check(archiveWithConfig(config));
    }

    private static void check(byte[] bytes) {
        SequenceModel model;
        try {
            model = KerasImporter.importModel(bytes, SOURCE);
        } catch (KerasImportException e) {
            assertTrue(e.getMessage() != null && e.getMessage().startsWith(SOURCE), "a refusal names its source: " + e.getMessage());
            return;
        }
        if (model.parameterCount() > MAX_PARAMETERS_TO_RUN) {
            return;
        }
        // What imports must run: the importer's checks promised a consistent network.
        try (Predictor p = new ReferenceBackendProvider().compile(model)) {
            Prediction out = model.readsTokens() ? p.predict(IntTensor.of(new int[][] {{0, 0}}))
                    : p.predict(FloatTensor.zeros(1, 2, model.inputSize()));
            assertEquals(1, out.output().dim(0));
        }
    }

    /** The bidi_concat golden's archive with {@code config} as its config.json (stored, as Keras writes it). */
    private static byte[] archiveWithConfig(byte[] config) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (InputStream in = KerasImportFuzzTest.class.getResourceAsStream(WEIGHTS_OF);
             ZipInputStream src = new ZipInputStream(in); ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (ZipEntry e; (e = src.getNextEntry()) != null; ) {
                byte[] data = e.getName().equals("config.json") ? config : src.readAllBytes();
                ZipEntry out = new ZipEntry(e.getName());
                out.setMethod(ZipEntry.STORED);
                out.setSize(data.length);
                CRC32 crc = new CRC32();
                crc.update(data);
                out.setCrc(crc.getValue());
                zip.putNextEntry(out);
                zip.write(data);
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
