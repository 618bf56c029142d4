package org.lstm4j.backend.tf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.lstm4j.backend.Availability;
import org.lstm4j.backend.BackendProvider;
import org.lstm4j.backend.Backends;
import org.lstm4j.backend.Capability;
import org.lstm4j.model.Direction;
import org.lstm4j.model.MergeMode;
import org.lstm4j.model.OutputMode;
import org.lstm4j.model.SequenceModel;
import org.lstm4j.predict.Predictor;
import org.lstm4j.predict.PredictorOptions;
import org.lstm4j.tensor.FloatTensor;
import org.lstm4j.testing.RandomModels;

class TensorFlowBackendProviderTest {

    private static SequenceModel smallModel() {
        Random r = new Random(3);
        return SequenceModel.builder(2).name("small").add(RandomModels.lstm(r, 2, 3, Direction.FORWARD, false).name("lstm").mergeMode(MergeMode.CONCAT).outputMode(OutputMode.SEQUENCES).build()).build();
    }

    @Test
    void isRegisteredForServiceLoaderUnderTheNameTf() {
        List<Backends.Candidate> found = Backends.discover(getClass().getClassLoader());
        assertTrue(found.stream().anyMatch(c -> c.provider().filter(p -> p instanceof TensorFlowBackendProvider).isPresent()),
                "META-INF/services must list the provider; found " + found);
        BackendProvider p = Backends.select("tf");
        assertInstanceOf(TensorFlowBackendProvider.class, p);
        assertEquals(80, p.priority());
        assertEquals("org.lstm4j:lstm-backend-tf", p.artifact());
    }

    @Test
    void outranksTheReferenceEngineWhenNoneIsNamed() {
        assertInstanceOf(TensorFlowBackendProvider.class, Backends.Selector.of(
                new org.lstm4j.backend.java.ReferenceBackendProvider(), new TensorFlowBackendProvider()).select());
    }

    @Test
    void isAvailableHereAndNamesTheTensorFlowVersion() {
        Availability a = new TensorFlowBackendProvider().availability();
        assertTrue(a.available(), a.reason());
        assertTrue(a.reason().startsWith("TensorFlow 2."), a.reason());
    }

    @Test
    void declaresEveryCapabilityItImplements() {
        // Each is exercised against the reference engine in ReferenceAgreementTest, StreamingTest and ConcurrencyTest.
        // Masks with holes are refused (lengths only); the kit checks every other rule.
        assertEquals(EnumSet.complementOf(EnumSet.of(Capability.ARBITRARY_MASKS)), new TensorFlowBackendProvider().capabilities());
    }

    @Test
    void closeIsIdempotentAndLaterCallsFailClearly() {
        Predictor p = new TensorFlowBackendProvider().compile(smallModel());
        p.predict(FloatTensor.zeros(1, 2, 2));
        p.close();
        p.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> p.predict(FloatTensor.zeros(1, 2, 2)));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }

    @Test
    void refusesAnInputWithTheWrongFeatureCountBeforeTensorFlowSeesIt() {
        try (Predictor p = new TensorFlowBackendProvider().compile(smallModel())) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> p.predict(FloatTensor.zeros(1, 4, 5)));
            assertTrue(e.getMessage().contains("expects [batch, time, 2]"), e.getMessage());
        }
    }

    @Test
    void refusesUnknownBackendProperties() {
        PredictorOptions threads = PredictorOptions.builder().property(TensorFlowPredictor.THREAD_POOLS_PROPERTY, "many").build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new TensorFlowBackendProvider().compile(smallModel(), threads));
        assertTrue(e.getMessage().contains("tf.threadPools"), e.getMessage());
        PredictorOptions form = PredictorOptions.builder().property(TensorFlowPredictor.LSTM_FORM_PROPERTY, "fast").build();
        e = assertThrows(IllegalArgumentException.class, () -> new TensorFlowBackendProvider().compile(smallModel(), form));
        assertTrue(e.getMessage().contains("tf.lstmForm"), e.getMessage());
    }

    @Test
    void oneGraphServesEveryBatchAndSequenceLengthWithoutGrowing() {
        try (TensorFlowPredictor p = (TensorFlowPredictor) new TensorFlowBackendProvider().compile(smallModel())) {
            int ops = p.graphOperationCount();
            Random r = new Random(5);
            for (int[] shape : new int[][] {{1, 1}, {4, 9}, {2, 30}, {1, 3}}) {
                FloatTensor out = p.predict(RandomModels.tensor(r, 1f, shape[0], shape[1], 2)).output();
                assertEquals(List.of(shape[0], shape[1], 3), List.of(out.dim(0), out.dim(1), out.dim(2)));
            }
            assertEquals(ops, p.graphOperationCount(), "calls must not add operations to the graph");
        }
    }

    @Test
    void defaultThreadPoolsAreAvailableOnRequest() {
        PredictorOptions pools = PredictorOptions.builder().property(TensorFlowPredictor.THREAD_POOLS_PROPERTY, "default").build();
        assertEquals(0, TensorFlowPredictor.sessionConfig(pools).getIntraOpParallelismThreads());
        assertEquals(1, TensorFlowPredictor.sessionConfig(PredictorOptions.defaults()).getIntraOpParallelismThreads());
        assertEquals(1, TensorFlowPredictor.sessionConfig(PredictorOptions.defaults()).getInterOpParallelismThreads());
        try (Predictor p = new TensorFlowBackendProvider().compile(smallModel(), pools)) {
            assertEquals(3, p.predict(FloatTensor.zeros(1, 2, 2)).output().dim(2));
        }
    }
}
