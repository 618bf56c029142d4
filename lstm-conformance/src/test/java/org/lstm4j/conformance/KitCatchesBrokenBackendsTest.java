package org.lstm4j.conformance;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
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
import org.lstm4j.backend.Capability;
import org.lstm4j.model.LstmLayer;
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

    static LstmRun lstms(String name, UnaryOperator<LstmLayer> defect) {
        return new LstmRun(name, defect);
    }

    /** A broken backend whose defect is in how it reads each LSTM layer. */
    record LstmRun(String name, UnaryOperator<LstmLayer> defect) {
        BackendProvider provider() {
            return BrokenBackends.broken(name, m -> BrokenBackends.mapLstms(m, defect), UnaryOperator.identity(), UnaryOperator.identity(), false);
        }
    }

    static class WrongCellActivationRun extends BackendConformanceKit {
        protected BackendProvider provider() {
            return lstms("tanh-always", BrokenBackends::tanhWhateverTheActivation).provider();
        }
    }

    static class IgnoredActivationParametersRun extends BackendConformanceKit {
        protected BackendProvider provider() {
            return lstms("default-alpha-beta", BrokenBackends::defaultActivationParameters).provider();
        }
    }

    static class DroppedInputBiasRun extends BackendConformanceKit {
        protected BackendProvider provider() {
            return lstms("no-input-bias", l -> BrokenBackends.mapWeights(l, BrokenBackends::withoutInputBias)).provider();
        }
    }

    static class IgnoredPeepholesRun extends BackendConformanceKit {
        protected BackendProvider provider() {
            return lstms("no-peepholes", l -> BrokenBackends.mapWeights(l, BrokenBackends::withoutPeepholes)).provider();
        }
    }

    static class IgnoredCellClipRun extends BackendConformanceKit {
        protected BackendProvider provider() {
            return lstms("no-clip", BrokenBackends::withoutCellClip).provider();
        }
    }

    static class IgnoredCoupledGatesRun extends BackendConformanceKit {
        protected BackendProvider provider() {
            return lstms("uncoupled", BrokenBackends::uncoupledGates).provider();
        }
    }

    static class DroppedBackwardHalfRun extends BackendConformanceKit {
        protected BackendProvider provider() {
            return lstms("no-backward-half", BrokenBackends::withoutBackwardHalf).provider();
        }
    }

    static class IgnoredMergeModeRun extends BackendConformanceKit {
        protected BackendProvider provider() {
            return lstms("sum-always", BrokenBackends::sumWhateverTheMerge).provider();
        }
    }

    static class LinearDenseHeadRun extends BackendConformanceKit {
        protected BackendProvider provider() {
            return BrokenBackends.broken("linear-head", BrokenBackends::linearDenseHeads, UnaryOperator.identity(), UnaryOperator.identity(), false);
        }
    }

    static class IgnoredInitialStateRun extends BackendConformanceKit {
        protected BackendProvider provider() {
            return BrokenBackends.broken("zero-initial-state", UnaryOperator.identity(), BrokenBackends::withoutInitialState,
                    UnaryOperator.identity(), false);
        }
    }

    /** Declares sequence lengths (not masks), so lengths reach it as lengths, and ignores them. */
    static class IgnoredSequenceLengthsRun extends BackendConformanceKit {
        protected BackendProvider provider() {
            return BrokenBackends.broken("no-lengths", UnaryOperator.identity(), BrokenBackends::ignoringTheLengths, false,
                    EnumSet.complementOf(EnumSet.of(Capability.MASKS, Capability.ARBITRARY_MASKS)));
        }
    }

    private static TestExecutionSummary runKit(Class<?> kit) {
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request().selectors(selectClass(kit)).build();
        Launcher launcher = LauncherFactory.create();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        launcher.execute(request, listener);
        return listener.getSummary();
    }

    /**
     * The kit must fail {@code kit} through an assertion of one of {@code rules} (test method names, or the names
     * of the cases and fixtures a parameterized rule runs): the rules that target the defect, not any rule and not
     * an exception from elsewhere.
     */
    private static void assertCaughtBy(Class<?> kit, String defect, String... rules) {
        TestExecutionSummary s = runKit(kit);
        List<String> failed = new ArrayList<>();
        for (TestExecutionSummary.Failure f : s.getFailures()) {
            // The rule (method) and, for parameterized rules, the case or fixture it failed on.
            String test = f.getTestIdentifier().getLegacyReportingName() + " " + f.getTestIdentifier().getUniqueId() + " "
                    + f.getTestIdentifier().getDisplayName();
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
        assertCaughtBy(WrongGateOrderRun.class, "a wrong gate order", "agreesWithTheReferenceEngine(", "importedFixturesMatchTheirIndependentSource");
    }

    @Test
    void catchesAnOffByOneTimeStep() {
        assertCaughtBy(OffByOneTimeStepRun.class, "an off-by-one time step", "agreesWithTheReferenceEngine(", "importedFixturesMatchTheirIndependentSource");
    }

    @Test
    void catchesADroppedRecurrentBias() {
        assertCaughtBy(DroppedRecurrentBiasRun.class, "a dropped recurrent bias", "agreesWithTheReferenceEngine(", "importedFixturesMatchTheirIndependentSource");
    }

    @Test
    void catchesStateResetBetweenStreamingCalls() {
        assertCaughtBy(StateResetBetweenStreamingCallsRun.class, "state reset between streaming calls", "streamingStepByStepEqualsTheWholeSequence",
                "streamingInChunksEqualsTheWholeSequence");
    }

    @Test
    void catchesAReverseDirectionThatIsNotReversed() {
        assertCaughtBy(ReverseNotReversedRun.class, "a reverse direction read forwards", "reverse direction", "reverse with Keras go_backwards");
    }

    @Test
    void catchesHalfPrecisionRounding() {
        assertCaughtBy(HalfPrecisionRun.class, "float16 rounding", "agreesWithTheReferenceEngine(", "importedFixturesMatchTheirIndependentSource");
    }

    @Test
    void catchesCellAndHiddenActivationsReadAsTanh() {
        assertCaughtBy(WrongCellActivationRun.class, "cell and hidden activations read as tanh", "cell and hidden activation");
    }

    @Test
    void catchesIgnoredActivationAlphaAndBeta() {
        // Each parameterized kind is its own case; all of them must fail, not just one.
        for (String kind : new String[] {"LeakyRelu", "ThresholdedRelu", "Elu", "ScaledTanh", "Affine"}) {
            assertCaughtBy(IgnoredActivationParametersRun.class, "ignored alpha and beta of " + kind, "cell and hidden activation " + kind);
        }
        assertCaughtBy(IgnoredActivationParametersRun.class, "Keras 3's hard sigmoid read with ONNX's alpha", "gate activation HardSigmoid(alpha=0.16");
    }

    @Test
    void catchesADroppedInputBias() {
        assertCaughtBy(DroppedInputBiasRun.class, "a dropped input bias", "agreesWithTheReferenceEngine(", "importedFixturesMatchTheirIndependentSource");
    }

    @Test
    void catchesIgnoredPeepholes() {
        assertCaughtBy(IgnoredPeepholesRun.class, "ignored peepholes", "peepholes");
    }

    @Test
    void catchesAnIgnoredCellClip() {
        assertCaughtBy(IgnoredCellClipRun.class, "an ignored cell clip", "cell clip");
    }

    @Test
    void catchesIgnoredCoupledGates() {
        assertCaughtBy(IgnoredCoupledGatesRun.class, "input and forget gates left uncoupled", "coupled input and forget gates");
    }

    @Test
    void catchesADroppedBackwardHalf() {
        assertCaughtBy(DroppedBackwardHalfRun.class, "a dropped backward half", "bidirectional, merge concat", "bidirectional final state");
    }

    @Test
    void catchesAnIgnoredMergeMode() {
        for (String merge : new String[] {"ave", "mul"}) {
            assertCaughtBy(IgnoredMergeModeRun.class, "merge " + merge + " computed as a sum", "bidirectional, merge " + merge);
        }
    }

    @Test
    void catchesADenseHeadWithoutItsActivation() {
        assertCaughtBy(LinearDenseHeadRun.class, "a dense head without its activation", "dense softmax head", "two bidirectional layers and a dense head");
    }

    @Test
    void catchesAnIgnoredInitialState() {
        assertCaughtBy(IgnoredInitialStateRun.class, "an ignored initial state", "non-zero initial states", "theFinalStateOfOneCallContinuesTheNext");
    }

    @Test
    void catchesIgnoredSequenceLengths() {
        assertCaughtBy(IgnoredSequenceLengthsRun.class, "ignored sequence lengths", "ragged lengths");
    }
}
