package org.lstm4j.backend.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.lstm4j.backend.Availability;
import org.lstm4j.backend.BackendProvider;
import org.lstm4j.backend.Backends;
import org.lstm4j.backend.Capability;
import org.lstm4j.backend.java.ReferenceBackendProvider;

/** Registration, availability and selection of the ONNX Runtime backend. */
class OnnxRuntimeBackendProviderTest {

    @Test
    void isRegisteredForServiceLoaderUnderItsName() {
        List<Backends.Candidate> found = Backends.discover(getClass().getClassLoader());
        Optional<BackendProvider> onnx = found.stream().flatMap(c -> c.provider().stream())
                .filter(p -> p.name().equals("onnx")).findFirst();
        assertTrue(onnx.isPresent(), "onnx provider among " + found.stream().map(Backends.Candidate::name).toList());
        assertTrue(onnx.get() instanceof OnnxRuntimeBackendProvider);
        assertEquals(100, onnx.get().priority());
        assertEquals("org.lstm4j:lstm-backend-onnx", onnx.get().artifact());
    }

    @Test
    void isAvailableHereAndNamesTheRuntimeVersion() {
        Availability a = new OnnxRuntimeBackendProvider().availability();
        assertTrue(a.available(), a.reason());
        assertEquals("ONNX Runtime 1.29.0", a.reason());
    }

    @Test
    void winsOverTheReferenceEngineByPriority() {
        BackendProvider chosen = Backends.Selector.of(new ReferenceBackendProvider(), new OnnxRuntimeBackendProvider()).select();
        assertEquals("onnx", chosen.name());
        assertEquals("java", Backends.Selector.of(new ReferenceBackendProvider(), new OnnxRuntimeBackendProvider()).select("java").name());
    }

    @Test
    void declaresEveryCapabilityEachOfWhichHasItsOwnTest() {
        // OnnxRuntimePredictorTest checks each against the reference engine (custom activations, clip, input_forget,
        // peepholes, sequence lengths, bidirectional, initial states, streaming); ThreadSafetyTest the thread safety.
        // Masks with holes are refused (ONNX's LSTM knows trailing sequence_lens only); the kit checks every other rule.
        assertEquals(EnumSet.complementOf(EnumSet.of(Capability.ARBITRARY_MASKS)), new OnnxRuntimeBackendProvider().capabilities());
    }
}
