package org.lstm4j.conformance;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.lstm4j.format.ModelLoader;
import org.lstm4j.keras.KerasImportException;
import org.lstm4j.onnx.OnnxImportException;
import org.lstm4j.testing.Fixture;

/**
 * Models of the corpus that lstm4j must not import (a Loop that tf2onnx writes for Keras's
 * hard_sigmoid or Masking, different activations per direction; Keras files with a Lambda, a custom
 * layer, a GRU, a branching graph ...) are refused by their importer, and the message names what is
 * responsible, as the fixture says.
 */
class RefusedFixturesTest {

    static Stream<Arguments> refused() {
        return Fixture.all().stream().filter(f -> "refuse".equals(f.json().path("expect").asText()))
                .flatMap(f -> f.modelFiles().stream().map(file -> Arguments.of(f, file)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("refused")
    void isRefusedNamingTheCause(Fixture f, String file) {
        String source = f.id() + "/" + file;
        RuntimeException e = assertThrows(RuntimeException.class, () -> ModelLoader.load(f.modelBytes(file), source));
        assertTrue(e instanceof OnnxImportException || e instanceof KerasImportException, () -> source + ": " + e);
        String phrase = f.refusal().orElseThrow(() -> new AssertionError(f.id() + " has no 'refusal' phrase"));
        String why = e.getMessage().replace(source, "");  // the source's name may itself contain the phrase
        assertTrue(why.contains(phrase), () -> source + ": message should contain \"" + phrase + "\": " + e.getMessage());
    }
}
