package org.lstm4j.reliability;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.lstm4j.backend.Backends;
import org.lstm4j.model.SequenceModel;
import org.lstm4j.predict.ModelState;
import org.lstm4j.predict.Predictor;
import org.lstm4j.predict.SequenceBatch;
import org.lstm4j.predict.StreamingPredictor;
import org.lstm4j.tensor.FloatTensor;
import org.lstm4j.tensor.IntTensor;
import org.lstm4j.testing.RandomModels;

/**
 * A null where the API needs a value fails at the call, with a {@link NullPointerException} that
 * names the parameter, on every backend: never a bare exception from deep inside an engine.
 */
class NullArgumentsTest {

    static Iterable<String> backends() {
        return InstalledBackends.names();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void predictorsAndStreamsNameTheNullParameter(String name) {
        SequenceModel model = ReliabilityModels.stacked(13);
        try (Predictor p = Backends.select(name).compile(model); StreamingPredictor s = p.stream(1)) {
            assertNamed("batch", () -> p.predict((SequenceBatch) null));
            assertNamed("input", () -> p.predict((FloatTensor) null));
            assertNamed("tokens", () -> p.predict((IntTensor) null));
            assertNamed("step", () -> s.step((FloatTensor) null));
            assertNamed("chunk", () -> s.chunk((FloatTensor) null));
            assertNamed("state", () -> s.restore((ModelState) null));
            // The stream is still usable: a refused call leaves its state as it was.
            s.step(RandomModels.input(new Random(3), 1, 1, model.inputSize()).reshape(1, model.inputSize()));
        }
    }

    @Test
    void valuesAndSelectionNameTheNullParameter() {
        assertNamed("shape", () -> FloatTensor.of(null, new float[1]));
        assertNamed("values", () -> FloatTensor.of(new int[] {1}, null));
        assertNamed("shape", () -> IntTensor.of(null, new int[1]));
        assertNamed("values", () -> IntTensor.of(new int[] {1}, null));
        assertNamed("model", () -> Backends.compile(null, null));
    }

    private static void assertNamed(String parameter, Executable call) {
        NullPointerException e = assertThrows(NullPointerException.class, call, parameter + " = null");
        String message = e.getMessage();
        assertTrue(message != null && message.contains(parameter),
                () -> "the exception for a null " + parameter + " should name it, got: " + message);
        assertTrue(e.getStackTrace()[0].getClassName().startsWith("java.util.Objects"),
                () -> "a null " + parameter + " should be refused at the call (Objects.requireNonNull), not found deep inside: "
                        + e.getStackTrace()[0]);
    }
}
