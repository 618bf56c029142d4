package org.lstm4j.conformance;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.lstm4j.onnx.OnnxImportException;
import org.lstm4j.onnx.OnnxImporter;
import org.lstm4j.testing.Fixture;

/**
 * Models of the corpus that lstm4j must not import (a Loop that tf2onnx writes for Keras's
 * hard_sigmoid or Masking, different activations per direction) are refused, and the message
 * names what is responsible, as the fixture says.
 */
class RefusedFixturesTest {

    static Stream<Fixture> refused() {
        return Fixture.all().stream().filter(f -> f.hasOnnxModel() && !f.expectsMatch());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void isRefusedNamingTheCause(Fixture f) {
        OnnxImportException e = assertThrows(OnnxImportException.class, () -> OnnxImporter.importModel(f.modelBytes(), f.id()));
        String phrase = f.refusal().orElseThrow(() -> new AssertionError(f.id() + " has no 'refusal' phrase"));
        assertTrue(e.getMessage().contains(phrase), () -> f.id() + ": message should contain \"" + phrase + "\": " + e.getMessage());
    }
}
