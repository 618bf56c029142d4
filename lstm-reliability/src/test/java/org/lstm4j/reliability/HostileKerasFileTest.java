package org.lstm4j.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lstm4j.keras.KerasImportException;
import org.lstm4j.keras.KerasImporter;

/**
 * Hostile Keras files, each made from a valid golden (keras3/bidi_concat: Bidirectional(LSTM(5)) on
 * 3 features + Dense(2), saved by Keras 3.15.1 as .keras and .h5) by rewriting its archive or
 * patching its bytes, and each refused by {@link KerasImporter} with a {@link KerasImportException}
 * that names the file and what is wrong. They run in this module's 256 MB heap: an importer that
 * allocated what a file declares (gigabytes of zip entry, a 2^40-element dataset) would fail here
 * with {@link OutOfMemoryError}.
 */
class HostileKerasFileTest {

    private static final String GOLDEN = "/org/lstm4j/conformance/fixtures/keras3/bidi_concat/";
    private static final String SOURCE = "hostile.keras";

    @TempDir
    Path dir;

    private static byte[] golden(String file) {
        try (InputStream in = HostileKerasFileTest.class.getResourceAsStream(GOLDEN + file)) {
            return in.readAllBytes();
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("golden " + GOLDEN + file + " is missing from the class path", e);
        }
    }

    /** The golden archive's entries by name. */
    private static Map<String, byte[]> entries() throws IOException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (ZipInputStream zip = new ZipInputStream(new java.io.ByteArrayInputStream(golden("model.keras")))) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                out.put(e.getName(), zip.readAllBytes());
            }
        }
        return out;
    }

    /** An archive of {@code entries}, stored uncompressed as Keras writes them. */
    private static byte[] zip(Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                ZipEntry z = new ZipEntry(e.getKey());
                z.setMethod(ZipEntry.STORED);
                z.setSize(e.getValue().length);
                java.util.zip.CRC32 crc = new java.util.zip.CRC32();
                crc.update(e.getValue());
                z.setCrc(crc.getValue());
                zip.putNextEntry(z);
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    private static String refusal(byte[] bytes, String source) {
        KerasImportException e = assertThrows(KerasImportException.class, () -> KerasImporter.importModel(bytes, source));
        System.out.println("refused: " + e.getMessage());
        assertTrue(e.getMessage().startsWith(source), "the message names the file: " + e.getMessage());
        assertEquals(-1, e.getMessage().indexOf('\n'), "one line");
        return e.getMessage();
    }

    private static void assertMentions(String message, String... parts) {
        for (String p : parts) {
            assertTrue(message.contains(p), "message should mention '" + p + "': " + message);
        }
    }

    /** Replaces every occurrence of {@code from} (at least one must exist) with {@code to}, of the same length. */
    private static byte[] patch(byte[] bytes, byte[] from, byte[] to) {
        byte[] out = bytes.clone();
        int found = 0;
        for (int i = 0; i + from.length <= out.length; i++) {
            if (java.util.Arrays.equals(out, i, i + from.length, from, 0, from.length)) {
                System.arraycopy(to, 0, out, i, to.length);
                found++;
            }
        }
        assertTrue(found > 0, "the pattern to patch is not in the golden");
        return out;
    }

    private static byte[] int64s(long... values) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8 * values.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            b.putLong(v);
        }
        return b.array();
    }

    @Test
    void theGoldensThemselvesImport() {
        assertEquals(2, KerasImporter.importModel(golden("model.keras"), "bidi_concat.keras").layers().size());
        assertEquals(2, KerasImporter.importModel(golden("model.h5"), "bidi_concat.h5").layers().size());
    }

    @Test
    void aZipBombIsRefusedAfterInflatingLittle() throws IOException {
        // 512 MiB of zeros deflate to about 0.5 MiB; the heap is 256 MB.
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry("config.json"));
            zip.write(entries().get("config.json"));
            zip.putNextEntry(new ZipEntry("model.weights.h5"));
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 512; i++) {
                zip.write(zeros);
            }
            zip.closeEntry();
        }
        assertMentions(refusal(bytes.toByteArray(), SOURCE), "model.weights.h5", "zip bomb");
    }

    @Test
    void aConfigLargerThanItsLimitIsRefused() throws IOException {
        Map<String, byte[]> e = entries();
        byte[] huge = new byte[17 << 20];
        java.util.Arrays.fill(huge, (byte) ' ');
        huge[0] = '{';
        huge[huge.length - 1] = '}';
        e.put("config.json", huge);
        assertMentions(refusal(zip(e), SOURCE), "config.json", "maxConfigBytes");
    }

    @Test
    void anEntryThatEscapesTheArchiveIsRefused() throws IOException {
        for (String evil : new String[] {"../../etc/cron.d/x", "/etc/passwd", "assets/../../x", "C:\\Windows\\x"}) {
            Map<String, byte[]> e = entries();
            e.put(evil, new byte[] {1});
            assertMentions(refusal(zip(e), SOURCE), evil, "escapes the archive");
        }
    }

    @Test
    void aMissingWeightsFileOrConfigIsRefused() throws IOException {
        Map<String, byte[]> e = entries();
        e.remove("model.weights.h5");
        assertMentions(refusal(zip(e), SOURCE), "no model.weights.h5");
        Map<String, byte[]> f = entries();
        f.remove("config.json");
        assertMentions(refusal(zip(f), SOURCE), "without config.json");
    }

    @Test
    void weightsOfAnotherModelAreRefusedNamingTheLayer() throws IOException {
        Map<String, byte[]> e = entries();
        try (ZipInputStream zip = new ZipInputStream(HostileKerasFileTest.class.getResourceAsStream(
                "/org/lstm4j/conformance/fixtures/keras3/seed_sequential/model.keras"))) {
            for (ZipEntry z; (z = zip.getNextEntry()) != null; ) {
                if (z.getName().equals("model.weights.h5")) {
                    e.put("model.weights.h5", zip.readAllBytes());
                }
            }
        }
        assertMentions(refusal(zip(e), SOURCE), "layer 'bidi' (Bidirectional)");
    }

    @Test
    void aConfigThatDisagreesWithTheWeightShapesIsRefused() {
        // units 5 -> 6 in the .h5's model_config attribute (same length): the kernels in the file are [3, 20], not [3, 24].
        byte[] h5 = patch(golden("model.h5"), "\"units\": 5".getBytes(StandardCharsets.US_ASCII),
                "\"units\": 6".getBytes(StandardCharsets.US_ASCII));
        assertMentions(refusal(h5, "hostile.h5"), "layer 'bidi' (Bidirectional)", "[3, 20]", "[3, 24]");
    }

    @Test
    void aDatasetDeclaringHugeDimensionsIsRefusedWithoutAllocatingThem() {
        // Every [3, 20] dataspace (the LSTM kernels) declared as [3, 2^40]: 12 TB of float32 if believed.
        byte[] h5 = patch(golden("model.h5"), int64s(3, 20), int64s(3, 1L << 40));
        assertMentions(refusal(h5, "hostile.h5"), "kernel", "1099511627776");
    }

    @Test
    void mistypedWeightsAreRefused() {
        // HDF5 datatype message of little-endian float32 (class 1, version 1, size 4) -> fixed-point (class 0): int32 weights.
        byte[] h5 = patch(golden("model.h5"), new byte[] {0x11, 0x20, 0x1f, 0x00, 0x04, 0x00, 0x00, 0x00},
                new byte[] {0x10, 0x08, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00});
        assertMentions(refusal(h5, "hostile.h5"), "kernel", "expected float32 or float64");
    }

    @Test
    void absurdLayerSizesAreRefusedBeforeAnyWeightIsRead() throws IOException {
        Map<String, byte[]> e = entries();
        String config = new String(e.get("config.json"), StandardCharsets.UTF_8).replace("\"units\": 5", "\"units\": 2000000000");
        e.put("config.json", config.getBytes(StandardCharsets.UTF_8));
        assertMentions(refusal(zip(e), SOURCE), "units=2000000000", "maxTensorElements");
    }

    @Test
    void aDeeplyNestedConfigIsRefused() throws IOException {
        Map<String, byte[]> e = entries();
        e.put("config.json", ("{\"a\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}").getBytes(StandardCharsets.US_ASCII));
        assertMentions(refusal(zip(e), SOURCE), "config.json is not valid JSON", "nesting depth");
    }

    @Test
    void truncatedAndCorruptFilesAreRefused() {
        byte[] h5 = golden("model.h5");
        for (int cut : new int[] {8, 100, 1000, h5.length / 2, h5.length * 3 / 4}) {
            refusal(java.util.Arrays.copyOf(h5, cut), "truncated.h5");
        }
        byte[] keras = golden("model.keras");
        refusal(java.util.Arrays.copyOf(keras, keras.length / 2), "truncated.keras");
        refusal(new byte[0], "empty.keras");
        refusal("{\"class_name\": \"Sequential\"}".getBytes(StandardCharsets.US_ASCII), "config.json");
    }

    @Test
    void aHostileFileOnDiskIsRefusedThroughThePathAsWell() throws IOException {
        Path file = Files.write(dir.resolve("huge.h5"), patch(golden("model.h5"), int64s(3, 20), int64s(3, 1L << 40)));
        KerasImportException e = assertThrows(KerasImportException.class, () -> KerasImporter.importModel(file));
        assertMentions(e.getMessage(), file.toString(), "1099511627776");
    }
}
