package org.lstm4j.reliability;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.lstm4j.backend.Backends;
import org.lstm4j.model.SequenceModel;

/**
 * The CI-sized soak: 10^4 streaming steps and 200 predictor open/close cycles per backend, with
 * resident memory after warm-up and at the end within {@link LongRun#MAX_GROWTH_PERCENT}. The
 * full-length run (10^6 steps, 10^4 cycles) is tools/reliability/long_runs.sh.
 */
class LongRunTest {

    static Iterable<String> backends() {
        return InstalledBackends.names();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void tenThousandStreamingStepsDoNotGrowResidentMemory(String backend) {
        SequenceModel model = ReliabilityModels.stacked(11);
        LongRun.Phase phase = new LongRun(Backends.select(backend), null).streaming(model, 10_000);
        System.out.println(phase.row(backend));
        assertTrue(phase.withinLimit(), () -> backend + ": " + phase + " grew RSS by " + phase.rssGrowthPercent()
                + " % (JavaCPP " + phase.javacppGrowthPercent() + " %), limit " + LongRun.MAX_GROWTH_PERCENT + " %");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void twoHundredOpenCloseCyclesDoNotGrowResidentMemory(String backend) {
        SequenceModel model = ReliabilityModels.stacked(11);
        LongRun.Phase phase = new LongRun(Backends.select(backend), null).cycles(model, 200);
        System.out.println(phase.row(backend));
        assertTrue(phase.withinLimit(), () -> backend + ": " + phase + " grew RSS by " + phase.rssGrowthPercent()
                + " % (JavaCPP " + phase.javacppGrowthPercent() + " %), limit " + LongRun.MAX_GROWTH_PERCENT + " %");
    }
}
