package org.lstm4j.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The .npy samples were written by NumPy itself (tools/testdata/make_npy_samples.py), the independent source here. */
class NpyTest {

    private static byte[] sample(String name) throws IOException {
        try (InputStream in = NpyTest.class.getResourceAsStream("npy/" + name)) {
            return in.readAllBytes();
        }
    }

    /** np.arange(24, dtype=float32).reshape(2, 3, 4) / 8 - 1, as the generator writes it. */
    private static float[] expectedValues() {
        float[] v = new float[24];
        for (int i = 0; i < 24; i++) {
            v[i] = i / 8f - 1f;
        }
        return v;
    }

    @ParameterizedTest
    @ValueSource(strings = {"f4_v1.npy", "f4_v2.npy", "f4_v3.npy", "f4_big_endian.npy"})
    void readsFloat32InEveryFormatVersionAndByteOrder(String name) throws IOException {
        NpyArray a = Npy.read(sample(name));
        assertArrayEquals(new int[] {2, 3, 4}, a.shape());
        assertArrayEquals(expectedValues(), a.toFloatTensor().toArray());
    }

    @Test
    void readsFloat64RoundingToFloat32() throws IOException {
        NpyArray a = Npy.read(sample("f8.npy"));
        assertEquals(NpyArray.DType.FLOAT64, a.dtype());
        float[] expected = expectedValues();
        for (int i = 0; i < expected.length; i++) {
            expected[i] = (float) (expected[i] + 1e-9);
        }
        assertArrayEquals(expected, a.toFloatTensor().toArray());
    }

    @ParameterizedTest
    @ValueSource(strings = {"i4_lengths.npy", "i8_lengths.npy"})
    void readsIntegerLengths(String name) throws IOException {
        assertArrayEquals(new int[] {3, 1, 2}, Npy.read(sample(name)).toIntArray());
    }

    @Test
    void readsInt64TokenIdsAsAnIntTensorOfTheSameShape() throws IOException {
        IntTensor ids = Npy.read(sample("i8_token_ids.npy")).toIntTensor();
        assertEquals(IntTensor.of(new int[][] {{3, 1, 0}, {11, 0, 0}}), ids);
    }

    @Test
    void refusesAnInt64IdBeyondIntNamingWhere() throws IOException {
        NpyArray a = Npy.read(sample("i8_too_large.npy"));
        IllegalStateException e = assertThrows(IllegalStateException.class, a::toIntTensor);
        assertTrue(e.getMessage().contains("1099511627776") && e.getMessage().contains("index 1"), e.getMessage());
    }

    @Test
    void readsABoolMaskAsOnesAndZeros() throws IOException {
        NpyArray a = Npy.read(sample("b1_mask.npy"));
        assertEquals(NpyArray.DType.BOOL, a.dtype());
        assertEquals(IntTensor.of(new int[][] {{1, 1, 0}, {0, 1, 1}}), a.toIntTensor());
    }

    @Test
    void writesInt32TokenIdsAsNumPyDoes() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Npy.write(out, IntTensor.of(3, 1, 2));
        assertArrayEquals(sample("i4_lengths.npy"), out.toByteArray());
    }

    @Test
    void readsAScalar() throws IOException {
        NpyArray a = Npy.read(sample("scalar.npy"));
        assertEquals(0, a.shape().length);
        assertEquals(2.5f, a.toFloatTensor().get(0));
    }

    @Test
    void writesTheSameBytesAsNumPy() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Npy.write(out, FloatTensor.of(new int[] {2, 3, 4}, expectedValues()));
        assertArrayEquals(sample("f4_v1.npy"), out.toByteArray());
    }

    @Test
    void writesLengthsAsNumPyWritesInt32(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws IOException {
        java.nio.file.Path file = dir.resolve("lengths.npy");
        Npy.writeLengths(file, new int[] {3, 1, 2});
        assertArrayEquals(sample("i4_lengths.npy"), java.nio.file.Files.readAllBytes(file));
    }

    @Test
    void refusesFortranOrderSayingHowToFixIt() {
        NpyFormatException e = assertThrows(NpyFormatException.class, () -> Npy.read(sample("fortran.npy")));
        assertTrue(e.getMessage().contains("Fortran") && e.getMessage().contains("ascontiguousarray"), e.getMessage());
    }

    @Test
    void refusesOtherDtypesNamingThem() {
        NpyFormatException e = assertThrows(NpyFormatException.class, () -> Npy.read(sample("complex.npy")));
        assertTrue(e.getMessage().contains("<c8"), e.getMessage());
    }

    @Test
    void refusesATruncatedFileWithTheByteCounts() {
        NpyFormatException e = assertThrows(NpyFormatException.class, () -> Npy.read(sample("truncated.npy")));
        assertTrue(e.getMessage().contains("96") && e.getMessage().contains("91"), e.getMessage());
    }

    @Test
    void refusesAHugeDeclaredShapeBeforeAllocating() throws IOException {
        String header = "{'descr': '<f4', 'fortran_order': False, 'shape': (100000, 100000, 100000), }";
        byte[] head = sample("f4_v1.npy");
        byte[] bytes = new byte[10 + header.length() + 1];
        System.arraycopy(head, 0, bytes, 0, 8);
        bytes[8] = (byte) (header.length() + 1);
        bytes[9] = 0;
        System.arraycopy(header.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), 0, bytes, 10, header.length());
        bytes[bytes.length - 1] = '\n';
        NpyFormatException e = assertThrows(NpyFormatException.class, () -> Npy.read(bytes));
        assertTrue(e.getMessage().contains("exceeds"), e.getMessage());
    }

    @Test
    void refusesSomethingThatIsNotNpy() {
        assertThrows(NpyFormatException.class, () -> Npy.read("hello, world".getBytes()));
    }
}
