package org.lstm4j.backend.nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.lstm4j.backend.BackendProvider;
import org.lstm4j.backend.Backends;
import org.lstm4j.backend.Capability;
import org.lstm4j.model.Direction;
import org.lstm4j.model.SequenceModel;
import org.lstm4j.predict.Predictor;
import org.lstm4j.predict.PredictorOptions;
import org.lstm4j.predict.StreamingPredictor;
import org.lstm4j.tensor.FloatTensor;
import org.lstm4j.testing.RandomModels;
import org.nd4j.linalg.factory.Nd4j;

class Nd4jBackendProviderTest {

    @Test
    void isFoundThroughTheServiceLoaderAndWinsOverTheReferenceEngine() {
        List<Backends.Candidate> found = Backends.discover(Nd4jBackendProviderTest.class.getClassLoader());
        Optional<BackendProvider> nd4j = found.stream().flatMap(c -> c.provider().stream()).filter(p -> p.name().equals("nd4j")).findFirst();
        assertTrue(nd4j.isPresent(), "nd4j is registered in META-INF/services");
        assertEquals(60, nd4j.get().priority());
        assertEquals("org.lstm4j:lstm-backend-nd4j", nd4j.get().artifact());
        BackendProvider chosen = new Backends.Selector(found, k -> null, k -> null).select();
        assertEquals("nd4j", chosen.name(), "with only java and nd4j on the class path, the higher priority wins");
    }

    @Test
    void isAvailableHereAndDeclaresEveryCapability() {
        Nd4jBackendProvider p = new Nd4jBackendProvider();
        assertTrue(p.availability().available(), () -> p.availability().reason());
        // Masks with holes are refused (lengths only); the kit checks every other rule.
        assertEquals(EnumSet.complementOf(EnumSet.of(Capability.ARBITRARY_MASKS)), p.capabilities());
    }

    @Test
    void runsOneThreadUnlessToldOtherwise() {
        // The default chosen by measurement (README): one ND4J thread for the whole process.
        new Nd4jBackendProvider().availability();
        assertEquals(1, Nd4jRuntime.threads());
        assertEquals(1, Nd4j.getEnvironment().maxMasterThreads());
        assertEquals(1, Nd4j.factory().blas().getMaxThreads());
    }

    @Test
    void anUnknownKernelPropertyIsRefusedNamingTheValues() {
        Random r = new Random(3);
        SequenceModel m = Nd4jMatchesReferenceTest.model(2, RandomModels.lstm(r, 2, 3, Direction.FORWARD, false));
        PredictorOptions options = PredictorOptions.builder().property(Nd4jPredictor.KERNEL_PROPERTY, "fast").build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Nd4jBackendProvider().compile(m, options));
        assertTrue(e.getMessage().contains("'auto' or 'composed'"), e.getMessage());
    }

    @Test
    void aBidirectionalModelCannotBeStreamed() {
        Random r = new Random(4);
        SequenceModel m = Nd4jMatchesReferenceTest.model(2, RandomModels.lstm(r, 2, 3, Direction.BIDIRECTIONAL, false));
        try (Predictor p = new Nd4jBackendProvider().compile(m)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> p.stream(1));
            assertTrue(e.getMessage().contains("reads backwards"), e.getMessage());
        }
    }

    @Test
    void streamingAfterCloseFails() {
        Random r = new Random(5);
        SequenceModel m = Nd4jMatchesReferenceTest.model(2, RandomModels.lstm(r, 2, 3, Direction.FORWARD, false));
        Predictor p = new Nd4jBackendProvider().compile(m);
        StreamingPredictor s = p.stream(1);
        s.step(FloatTensor.of(new int[] {1, 2}, new float[] {0.5f, -0.5f}));
        p.close();
        assertTrue(((Nd4jPredictor) p).isClosed());
        assertThrows(IllegalStateException.class, () -> s.step(FloatTensor.of(new int[] {1, 2}, new float[] {0.5f, -0.5f})));
    }
}
