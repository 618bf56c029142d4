package org.lstm4j.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.lstm4j.model.Direction;
import org.lstm4j.model.LstmLayer;
import org.lstm4j.model.SequenceModel;
import org.lstm4j.predict.Predictor;
import org.lstm4j.predict.PredictorOptions;
import org.lstm4j.weights.LstmWeights;

/** compile's checks, made once for every backend, and availability asked once per provider. */
class AbstractBackendProviderTest {

    /** Forward-only, counts its availability checks and its opens. */
    static final class CountingProvider extends AbstractBackendProvider {
        final AtomicInteger checks = new AtomicInteger();
        final AtomicInteger opens = new AtomicInteger();
        private final Availability availability;

        CountingProvider(Availability availability) {
            this.availability = availability;
        }

        @Override
        public String name() {
            return "counting";
        }

        @Override
        public int priority() {
            return 1;
        }

        @Override
        public Availability availability() {
            checks.incrementAndGet();
            return availability;
        }

        @Override
        public Set<Capability> capabilities() {
            return EnumSet.of(Capability.STREAMING);
        }

        @Override
        protected Predictor open(SequenceModel model, PredictorOptions options) {
            opens.incrementAndGet();
            return null;  // what the engine would return; these tests only count
        }
    }

    private static SequenceModel model(Direction direction) {
        LstmWeights w = LstmWeights.of(1, 1, new float[4], new float[4], null, null, null);
        LstmWeights[] perDirection = direction == Direction.BIDIRECTIONAL ? new LstmWeights[] {w, w} : new LstmWeights[] {w};
        return SequenceModel.builder(1).add(LstmLayer.builder(1, 1).direction(direction).weights(perDirection).build()).build();
    }

    @Test
    void aModelNeedingAMissingCapabilityIsRefusedBeforeTheEngineOpens() {
        CountingProvider p = new CountingProvider(Availability.ok());
        UnsupportedModelException e = assertThrows(UnsupportedModelException.class, () -> p.compile(model(Direction.BIDIRECTIONAL)));
        assertTrue(e.getMessage().contains("backend 'counting'") && e.getMessage().contains("bidirectional"), e.getMessage());
        assertEquals(0, p.opens.get());
    }

    @Test
    void anUnavailableBackendSaysWhyWithItsCauseAndNeverOpens() {
        UnsatisfiedLinkError cause = new UnsatisfiedLinkError("no libengine in java.library.path");
        CountingProvider p = new CountingProvider(Availability.unavailable("natives did not load", cause));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> p.compile(model(Direction.FORWARD)));
        assertEquals("backend 'counting' is unavailable: natives did not load", e.getMessage());
        assertSame(cause, e.getCause());
        assertEquals(0, p.opens.get());
    }

    @Test
    void availabilityIsAskedOncePerProviderBySelectionAndCompileTogether() {
        CountingProvider p = new CountingProvider(Availability.ok());
        assertSame(p, Backends.Selector.of(p).select());
        assertSame(p, Backends.Selector.of(p).select("counting"));
        p.compile(model(Direction.FORWARD));
        p.compile(model(Direction.FORWARD));
        assertEquals(1, p.checks.get());
        assertEquals(2, p.opens.get());
        CountingProvider another = new CountingProvider(Availability.ok());
        another.compile(model(Direction.FORWARD));
        assertEquals(1, another.checks.get(), "another instance is asked on its own");
    }
}
