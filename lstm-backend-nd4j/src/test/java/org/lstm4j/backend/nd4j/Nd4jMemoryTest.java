package org.lstm4j.backend.nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Test;
import org.lstm4j.model.Activation;
import org.lstm4j.model.Direction;
import org.lstm4j.model.SequenceModel;
import org.lstm4j.predict.Predictor;
import org.lstm4j.predict.StreamingPredictor;
import org.lstm4j.tensor.FloatTensor;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A long streaming run must not grow native memory: every call allocates in the predictor's
 * per-thread workspace, which is reset when the call ends and reused by the next.
 */
class Nd4jMemoryTest {

    private static final int STEPS = 10_000;

    @Test
    void tenThousandStreamingStepsReuseOneWorkspaceAndDoNotGrowNativeMemory() {
        RandomModels r = new RandomModels(99);
        SequenceModel model = RandomModels.model(10, r.lstm(10, 50, Direction.FORWARD, false), r.dense(50, 10, Activation.linear()));
        FloatTensor x = FloatTensor.of(new int[] {1, 10}, r.uniform(10, 1f));
        try (Predictor p = new Nd4jBackendProvider().compile(model); StreamingPredictor s = p.stream(1)) {
            for (int i = 0; i < 3_000; i++) {
                s.step(x);
            }
            MemoryWorkspace ws = Nd4j.getWorkspaceManager().getWorkspaceForCurrentThread("LSTM4J_ND4J_PREDICT");
            long generation = ws.getGenerationId();
            long size = ws.getCurrentSize();
            long nativeBefore = settledNativeBytes();
            for (int i = 0; i < STEPS; i++) {
                s.step(x);
            }
            long nativeAfter = settledNativeBytes();
            assertEquals(generation + STEPS, ws.getGenerationId(), "each step is one workspace cycle");
            assertEquals(size, ws.getCurrentSize(), "the workspace kept its size");
            assertTrue(ws.getLastCycleAllocations() <= size, "a step fits the workspace (nothing spilled outside it)");
            // Resident memory also moves with the JIT and malloc's arenas (tens of MiB while they settle),
            // so the bound is relative: a quarter of what keeping every step's arrays would cost.
            long perStep = ws.getLastCycleAllocations();
            long leakAllSteps = perStep * STEPS;
            assertTrue(nativeAfter - nativeBefore < leakAllSteps / 4, "native resident memory grew by "
                    + ((nativeAfter - nativeBefore) >> 20) + " MiB over " + STEPS + " steps of " + perStep + " bytes each");
        }
    }

    /** Resident memory less the committed Java heap (which G1 may grow on its own): roughly the native part. */
    private static long settledNativeBytes() {
        System.gc();
        System.gc();
        return Pointer.physicalBytes() - Runtime.getRuntime().totalMemory();
    }
}
