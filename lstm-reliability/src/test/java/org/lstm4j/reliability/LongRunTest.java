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

    /**
     * As many warm-up steps as measured ones: ONNX Runtime's allocator grows its arena over the first several
     * thousand steps before it levels off (15 MiB in the full run, then flat to 10^6 steps), which a 1000-step
     * warm-up would count as growth in so short a run.
     */
    private static final int WARM_UP_STEPS = 10_000;

    static Iterable<String> backends() {
        return InstalledBackends.names();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void tenThousandStreamingStepsDoNotGrowResidentMemory(String backend) {
        SequenceModel model = ReliabilityModels.stacked(11);
        LongRun.Phase phase = new LongRun(Backends.select(backend), null).streaming(model, WARM_UP_STEPS, 10_000);
        System.out.println(phase.row(backend));
        assertTrue(phase.withinLimit(), () -> backend + ": " + phase + " grew RSS by " + phase.rssGrowthPercent()
                + " %, limit " + LongRun.MAX_GROWTH_PERCENT + " %");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void twoHundredOpenCloseCyclesDoNotGrowResidentMemory(String backend) {
        SequenceModel model = ReliabilityModels.stacked(11);
        LongRun.Phase phase = new LongRun(Backends.select(backend), null).cycles(model, 200);
        System.out.println(phase.row(backend));
        assertTrue(phase.withinLimit(), () -> backend + ": " + phase + " grew RSS by " + phase.rssGrowthPercent()
                + " %, limit " + LongRun.MAX_GROWTH_PERCENT + " %");
    }
}
