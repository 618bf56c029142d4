package org.lstm4j.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.lstm4j.tensor.FloatTensor;
import org.lstm4j.tensor.Npy;
import org.lstm4j.tensor.NpyArray;
import org.lstm4j.tensor.NpyFormatException;

/**
 * Fuzzes {@link Npy#read(byte[])}: any bytes either read as an array whose element count is the
 * product of its shape, or are refused with {@link NpyFormatException} and a message. Any other
 * exception, an {@link OutOfMemoryError} in the 256 MB test heap, or a hang is a finding.
 *
 * <p>Seeds: {@code src/test/resources/org/lstm4j/reliability/NpyFuzzTestInputs/readsOrRefuses/}, the
 * fixture corpus's .npy files (written by NumPy) and hand-mutated variants. In the normal build
 * only the seeds run (Jazzer's regression mode); {@code tools/reliability/fuzz.sh} fuzzes.
 */
class NpyFuzzTest {

    @FuzzTest(maxDuration = "5m")
    void readsOrRefuses(byte[] bytes) {
        NpyArray a;
        try {
            a = Npy.read(bytes);
        } catch (NpyFormatException e) {
            assertNotNull(e.getMessage());
            assertFalse(e.getMessage().isBlank(), "a refusal says why");
            return;
        }
        long count = FloatTensor.elementCount(a.shape());
        if (a.dtype().isFloatingPoint()) {
            FloatTensor t = a.toFloatTensor();
            assertEquals(count, t.size());
            // A float array read must write back and read again to the same values (float32 round trip).
            if (t.rank() > 0 && count > 0) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                try {
                    Npy.write(out, t);
                    FloatTensor again = Npy.read(out.toByteArray()).toFloatTensor();
                    assertEquals(t, again);
                } catch (IOException e) {
                    throw new UncheckedIOException("re-reading what Npy.write wrote failed", e);
                }
            }
        } else {
            try {
                assertEquals(count, a.toIntArray().length);
            } catch (IllegalStateException e) {
                // Documented: an int64 value outside int's range is refused by name.
                assertNotNull(e.getMessage());
            }
        }
    }
}
