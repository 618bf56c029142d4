package org.lstm4j.conformance;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;
import org.lstm4j.backend.BackendProvider;
import org.opentest4j.AssertionFailedError;

/**
 * The kit tests itself: each deliberately broken backend in {@link BrokenBackends} runs the whole
 * kit, and the kit must report failures for it. A kit that passed a broken backend would prove
 * nothing about the real ones.
 */
class KitCatchesBrokenBackendsTest {

    // Kit runs over the broken backends. Their names do not end in "Test", so Surefire does not run
    // them on their own (they are meant to fail); the tests below launch them and count failures.

    static class WrongGateOrderRun extends BackendConformanceKit {
        protected BackendProvider provider() {
            return BrokenBackends.broken("wrong-gate-order", m -> BrokenBackends.mapLstms(m,
                    l -> BrokenBackends.mapWeights(l, BrokenBackends::wrongGateOrder)), UnaryOperator.identity(), UnaryOperator.identity(), false);
        }
    }

    static class OffByOneTimeStepRun extends BackendConformanceKit {
        protected BackendProvider provider() {
            return BrokenBackends.broken("off-by-one", UnaryOperator.identity(), BrokenBackends::offByOne, UnaryOperator.identity(), false);
        }
    }

    static class DroppedRecurrentBiasRun extends BackendConformanceKit {
        protected BackendProvider provider() {
            return BrokenBackends.broken("no-recurrent-bias", m -> BrokenBackends.mapLstms(m,
                    l -> BrokenBackends.mapWeights(l, BrokenBackends::withoutRecurrentBias)), UnaryOperator.identity(), UnaryOperator.identity(), false);
        }
    }

    static class StateResetBetweenStreamingCallsRun extends BackendConformanceKit {
        protected BackendProvider provider() {
            return BrokenBackends.broken("forgetful-stream", UnaryOperator.identity(), UnaryOperator.identity(), UnaryOperator.identity(), true);
        }
    }

    static class ReverseNotReversedRun extends BackendConformanceKit {
        protected BackendProvider provider() {
            return BrokenBackends.broken("not-reversed", m -> BrokenBackends.mapLstms(m, BrokenBackends::forwardInsteadOfReverse),
                    UnaryOperator.identity(), UnaryOperator.identity(), false);
        }
    }

    static class HalfPrecisionRun extends BackendConformanceKit {
        protected BackendProvider provider() {
            return BrokenBackends.broken("float16", UnaryOperator.identity(), UnaryOperator.identity(), BrokenBackends::toHalfPrecision, false);
        }
    }

    static class IgnoresTheMaskRun extends BackendConformanceKit {
        protected BackendProvider provider() {
            return BrokenBackends.broken("ignores-the-mask", UnaryOperator.identity(), BrokenBackends::ignoringTheMask, false);
        }
    }

    static class MasksTheForwardDirectionOnlyRun extends BackendConformanceKit {
        protected BackendProvider provider() {
            return BrokenBackends.broken("forward-mask-only", UnaryOperator.identity(), BrokenBackends::maskingTheForwardDirectionOnly, false);
        }
    }

    static class ZeroesThePaddingRowRun extends BackendConformanceKit {
        protected BackendProvider provider() {
            return BrokenBackends.broken("zeroed-padding-row", BrokenBackends::zeroingThePaddingRow, UnaryOperator.identity(),
                    UnaryOperator.identity(), false);
        }
    }

    static class LeftPaddingReadAsRightPaddingRun extends BackendConformanceKit {
        protected BackendProvider provider() {
            return BrokenBackends.broken("left-as-right-padding", UnaryOperator.identity(), BrokenBackends::leftPaddingReadAsRightPadding, false);
        }
    }

    static class RotationNotUndoneRun extends BackendConformanceKit {
        protected BackendProvider provider() {
            return BrokenBackends.broken("rotation-not-undone", UnaryOperator.identity(), BrokenBackends::rotationNotUndone, false);
        }
    }

    private static TestExecutionSummary runKit(Class<?> kit) {
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request().selectors(selectClass(kit)).build();
        Launcher launcher = LauncherFactory.create();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        launcher.execute(request, listener);
        return listener.getSummary();
    }

    private static void assertCaught(Class<?> kit, String defect) {
        TestExecutionSummary s = runKit(kit);
        assertTrue(s.getTestsStartedCount() > 0, "the kit ran no rule on " + defect);
        assertTrue(s.getTotalFailureCount() > 0, () -> "the kit passed a backend with " + defect + " ("
                + s.getTestsSucceededCount() + " rules passed)");
    }

    /**
     * The kit must fail {@code kit} through an assertion of one of {@code rules} (test method names): the rules
     * that target the defect, not any rule and not an exception from elsewhere.
     */
    private static void assertCaughtBy(Class<?> kit, String defect, String... rules) {
        TestExecutionSummary s = runKit(kit);
        List<String> failed = new ArrayList<>();
        for (TestExecutionSummary.Failure f : s.getFailures()) {
            String test = f.getTestIdentifier().getLegacyReportingName() + " " + f.getTestIdentifier().getUniqueId();
            if (f.getException() instanceof AssertionFailedError && Arrays.stream(rules).anyMatch(test::contains)) {
                failed.add(f.getTestIdentifier().getDisplayName());
            }
        }
        assertTrue(!failed.isEmpty(), () -> "no rule of " + Arrays.toString(rules) + " failed an assertion on a backend with " + defect
                + " (" + s.getTotalFailureCount() + " failures in all, " + s.getTestsSucceededCount() + " rules passed)");
    }

    @Test
    void catchesAnEngineThatIgnoresTheMask() {
        assertCaughtBy(IgnoresTheMaskRun.class, "an ignored mask", "agreesWithTheReferenceEngineOnMasksTokensAndHeads",
                "frameworkWeightLayoutsReproduceTheFrameworksOutputs");
    }

    @Test
    void catchesAnEngineThatMasksOneDirectionOfABidirectionalLayerOnly() {
        assertCaughtBy(MasksTheForwardDirectionOnlyRun.class, "an unmasked backward direction", "agreesWithTheReferenceEngineOnMasksTokensAndHeads");
    }

    @Test
    void catchesAnEngineThatZeroesThePaddingRow() {
        assertCaughtBy(ZeroesThePaddingRowRun.class, "a zeroed padding row", "agreesWithTheReferenceEngineOnMasksTokensAndHeads",
                "frameworkWeightLayoutsReproduceTheFrameworksOutputs");
    }

    @Test
    void catchesLeftPaddingReadAsRightPadding() {
        assertCaughtBy(LeftPaddingReadAsRightPaddingRun.class, "left padding read as right padding",
                "agreesWithTheReferenceEngineOnMasksTokensAndHeads", "frameworkWeightLayoutsReproduceTheFrameworksOutputs");
    }

    @Test
    void catchesALeftPaddingRotationThatIsNotUndone() {
        assertCaughtBy(RotationNotUndoneRun.class, "outputs left in rotated positions", "agreesWithTheReferenceEngineOnMasksTokensAndHeads",
                "agreesWithTheReferenceEngine(");
    }

    @Test
    void catchesAWrongGateOrder() {
        assertCaught(WrongGateOrderRun.class, "a wrong gate order");
    }

    @Test
    void catchesAnOffByOneTimeStep() {
        assertCaught(OffByOneTimeStepRun.class, "an off-by-one time step");
    }

    @Test
    void catchesADroppedRecurrentBias() {
        assertCaught(DroppedRecurrentBiasRun.class, "a dropped recurrent bias");
    }

    @Test
    void catchesStateResetBetweenStreamingCalls() {
        assertCaught(StateResetBetweenStreamingCallsRun.class, "state reset between streaming calls");
    }

    @Test
    void catchesAReverseDirectionThatIsNotReversed() {
        assertCaught(ReverseNotReversedRun.class, "a reverse direction read forwards");
    }

    @Test
    void catchesHalfPrecisionRounding() {
        assertCaught(HalfPrecisionRun.class, "float16 rounding");
    }
}
