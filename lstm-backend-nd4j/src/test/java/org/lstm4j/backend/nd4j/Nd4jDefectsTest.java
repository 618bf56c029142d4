package org.lstm4j.backend.nd4j;

import java.util.Random;
import org.lstm4j.testing.RandomModels;
import org.lstm4j.testing.TensorAssertions;
import org.lstm4j.testing.Tolerance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.lstm4j.backend.java.ReferenceBackendProvider;
import org.lstm4j.model.Activation;
import org.lstm4j.model.Direction;
import org.lstm4j.model.LstmLayer;
import org.lstm4j.model.SequenceModel;
import org.lstm4j.predict.ModelState;
import org.lstm4j.predict.Prediction;
import org.lstm4j.predict.Predictor;
import org.lstm4j.predict.SequenceBatch;
import org.lstm4j.tensor.FloatTensor;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.layers.recurrent.LSTMLayer;
import org.nd4j.linalg.api.ops.impl.layers.recurrent.config.LSTMActivations;
import org.nd4j.linalg.api.ops.impl.layers.recurrent.config.LSTMDataFormat;
import org.nd4j.linalg.api.ops.impl.layers.recurrent.config.LSTMDirectionMode;
import org.nd4j.linalg.api.ops.impl.layers.recurrent.config.LSTMLayerConfig;
import org.nd4j.linalg.api.ops.impl.layers.recurrent.weights.LSTMLayerWeights;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One test per ND4J 1.0.0-M2.1 defect (or lstmLayer semantic that differs from the neutral
 * model's) that this backend works around. Each shows the defect on ND4J's own API against the
 * reference engine ({@code org.lstm4j.backend.java}), then that the backend gets the reference
 * result. When an ND4J upgrade fixes one, its test fails here: drop the workaround then.
 */
class Nd4jDefectsTest {

    private static final ReferenceBackendProvider REFERENCE = new ReferenceBackendProvider();
    private static final Nd4jBackendProvider ND4J = new Nd4jBackendProvider();
    /** Far beyond float32 rounding: what a wrong equation, not arithmetic, produces. */
    private static final double CLEARLY_WRONG = 1e-2;

    @BeforeAll
    static void start() {
        assertTrue(ND4J.availability().available(), () -> ND4J.availability().reason());
    }

    /** A one-layer forward model with non-zero initial state on a short sequence. */
    private record Setup(SequenceModel model, FloatTensor input, ModelState state, Nd4jWeights w, INDArray x, INDArray h0, INDArray c0) {
        static Setup of(long seed, int batch, int time, int hidden, LstmLayer.Builder layer) {
            Random r = new Random(seed);
            LstmLayer l = layer == null ? RandomModels.lstm(r, 3, hidden, Direction.FORWARD, false).build()
                    : layer.weights(RandomModels.lstmWeights(r, 3, hidden, false)).build();
            SequenceModel m = SequenceModel.builder(3).add(l).build();
            FloatTensor in = RandomModels.tensor(r, 1.5f, batch, time, 3);
            ModelState s = RandomModels.state(r, m, batch);
            return new Setup(m, in, s, Nd4jWeights.of(l.weights().get(0)),
                    Nd4j.create(in.toArray(), new long[] {batch, time, 3}, 'c'),
                    Nd4j.create(s.layer(0).hidden().toArray(), new long[] {batch, hidden}, 'c'),
                    Nd4j.create(s.layer(0).cell().toArray(), new long[] {batch, hidden}, 'c'));
        }

        int hidden() {
            return model.lstmLayers().get(0).hiddenSize();
        }

        Prediction reference(int... lengths) {
            try (Predictor p = REFERENCE.compile(model)) {
                SequenceBatch b = SequenceBatch.of(input).withInitialState(state);
                return p.predict(lengths.length == 0 ? b : b.withLengths(lengths));
            }
        }

        Prediction nd4j(int... lengths) {
            try (Predictor p = ND4J.compile(model)) {
                SequenceBatch b = SequenceBatch.of(input).withInitialState(state);
                return p.predict(lengths.length == 0 ? b : b.withLengths(lengths));
            }
        }

        LSTMLayerConfig config(LSTMActivations cell, LSTMActivations out) {
            return LSTMLayerConfig.builder().lstmdataformat(LSTMDataFormat.NTS).directionMode(LSTMDirectionMode.FWD)
                    .gateAct(LSTMActivations.SIGMOID).cellAct(cell).outAct(out)
                    .retFullSequence(true).retLastH(true).retLastC(true).build();
        }

        /** libnd4j's lstmLayer called with its own argument contract, as {@link FusedLstmKernel} does. */
        INDArray direct(int directionMode, INDArray seqLen, int gate, double cellClip) {
            long b = x.size(0);
            long t = x.size(1);
            INDArray y = Nd4j.create(DataType.FLOAT, b, t, hidden());
            List<INDArray> in = new ArrayList<>(List.of(x, w.wx(), w.wr(), w.bias()));
            if (seqLen != null) {
                in.add(seqLen);
            }
            in.add(h0);
            in.add(c0);
            Nd4j.exec(DynamicCustomOp.builder("lstmLayer").addInputs(in.toArray(new INDArray[0]))
                    .addOutputs(y, Nd4j.create(DataType.FLOAT, b, hidden()), Nd4j.create(DataType.FLOAT, b, hidden()))
                    .addIntegerArguments(FusedLstmKernel.DATA_FORMAT_NTS, directionMode, gate, 0, 0)
                    .addFloatingPointArguments(cellClip)
                    .addBooleanArguments(true, seqLen != null, true, true, false, true, true, true).build());
            return y;
        }
    }

    /** ND4J's LSTMLayer wrapper with its inputs and outputs replaced by libnd4j's order and preallocated arrays. */
    private static LSTMLayer wrapper(Setup s, LSTMLayerWeights weights, LSTMLayerConfig config) {
        LSTMLayer op = new LSTMLayer(s.x, s.c0, s.h0, null, weights, config);
        for (INDArray misplaced : new ArrayList<>(op.outputArguments())) {
            op.removeOutputArgument(misplaced);
        }
        op.setInputArguments(s.x, s.w.wx(), s.w.wr(), s.w.bias(), s.h0, s.c0);
        long b = s.x.size(0);
        op.addOutputArgument(Nd4j.create(DataType.FLOAT, b, s.x.size(1), s.hidden()), Nd4j.create(DataType.FLOAT, b, s.hidden()),
                Nd4j.create(DataType.FLOAT, b, s.hidden()));
        return op;
    }

    private static FloatTensor tensor(INDArray a) {
        long[] s = a.shape();
        return FloatTensor.of(new int[] {(int) s[0], (int) s[1], (int) s[2]}, Nd4jPredictor.floats(a));
    }

    @Test
    void lstmLayerConstructorOrdersInputsWrongly() {
        Setup s = Setup.of(11, 2, 3, 4, null);
        LSTMLayerWeights weights = LSTMLayerWeights.builder().iWeights(s.w.wx()).irWeights(s.w.wr()).iBias(s.w.bias()).build();
        LSTMLayerConfig config = s.config(LSTMActivations.TANH, LSTMActivations.TANH);

        // LSTMLayer(x, cLast, yLast, maxTSLength, weights, config) passes [maxTSLength, Wx, Wr, b, x, cLast, yLast]
        // (nulls dropped) to DynamicCustomOp as its OUTPUT arrays and gives it no input: "no operands provided".
        LSTMLayer wrapped = new LSTMLayer(s.x, s.c0, s.h0, null, weights, config);
        assertEquals(0, wrapped.numInputArguments(), "the wrapper now sets inputs: the defect may be fixed");
        assertEquals(List.of(s.w.wx(), s.w.wr(), s.w.bias(), s.x, s.c0, s.h0), wrapped.outputArguments());
        assertThrows(RuntimeException.class, () -> Nd4j.exec(wrapped));

        // Inputs set in libnd4j's order x, Wx, Wr, b, hI, cI, with preallocated outputs: runs, and matches the reference engine.
        LSTMLayer fixed = wrapper(s, weights, config);
        INDArray y = fixed.getOutputArgument(0);
        Nd4j.exec(fixed);
        TensorAssertions.assertClose(s.reference().output(), tensor(y), Tolerance.DEFAULT, "LSTMLayer with inputs in libnd4j's order");
        TensorAssertions.assertClose(s.reference().output(), s.nd4j().output(), Tolerance.DEFAULT, "the backend");
    }

    @Test
    void lstmLayerWrapperSwapsCellAndOutputActivations() {
        // Cell activation softsign, output activation tanh: the wrapper's integer arguments give libnd4j
        // [format, direction, gate, OUT, CELL] where it reads [format, direction, gate, cell, out].
        Setup s = Setup.of(12, 2, 3, 4, LstmLayer.builder(3, 4).activations(Activation.sigmoid(), Activation.softsign(), Activation.tanh()));
        LSTMLayerWeights weights = LSTMLayerWeights.builder().iWeights(s.w.wx()).irWeights(s.w.wr()).iBias(s.w.bias()).build();
        LSTMLayer wrapped = wrapper(s, weights, s.config(LSTMActivations.SOFTSIGN, LSTMActivations.TANH));
        INDArray y = wrapped.getOutputArgument(0);
        Nd4j.exec(wrapped);
        FloatTensor expected = s.reference().output();
        assertTrue(Tolerance.DEFAULT.compare(expected, tensor(y)).maxAbsolute() > CLEARLY_WRONG,
                "the wrapper's cell/output activations now agree with the reference engine: the defect may be fixed");

        Setup swapped = Setup.of(12, 2, 3, 4, LstmLayer.builder(3, 4).activations(Activation.sigmoid(), Activation.tanh(), Activation.softsign()));
        TensorAssertions.assertClose(swapped.reference().output(), tensor(y), Tolerance.DEFAULT, "wrapper result = model with cell and output activations exchanged");
        TensorAssertions.assertClose(expected, s.nd4j().output(), Tolerance.DEFAULT, "the backend");
    }

    @Test
    void sameDiffLstmLayerSwapsInitialHiddenAndCell() {
        Setup s = Setup.of(13, 2, 2, 4, null);
        FloatTensor expected = s.reference().output();
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.constant("x", s.x);
        SDVariable h0 = sd.constant("h0", s.h0);
        SDVariable c0 = sd.constant("c0", s.c0);
        LSTMLayerWeights weights = LSTMLayerWeights.builder().weights(sd.constant("wx", s.w.wx()))
                .rWeights(sd.constant("wr", s.w.wr())).bias(sd.constant("b", s.w.bias())).build();
        LSTMLayerConfig config = s.config(LSTMActivations.TANH, LSTMActivations.TANH);

        // As documented: cLast = initial cell state, yLast = initial output.
        SDVariable[] asDocumented = sd.rnn().lstmLayer(x, c0, h0, null, weights, config);
        double error = Tolerance.DEFAULT.compare(expected, tensor(asDocumented[0].eval())).maxAbsolute();
        assertTrue(error > CLEARLY_WRONG, "SameDiff lstmLayer now reads cLast as c0: the defect may be fixed (error " + error + ")");

        // Exchanged, it matches: "cLast" is wired to the initial h and "yLast" to the initial c.
        SDVariable[] exchanged = sd.rnn().lstmLayer(x, h0, c0, null, weights, config);
        TensorAssertions.assertClose(expected, tensor(exchanged[0].eval()), Tolerance.DEFAULT, "SameDiff lstmLayer with h0 and c0 exchanged");
        TensorAssertions.assertClose(expected, s.nd4j().output(), Tolerance.DEFAULT, "the backend (no SameDiff)");
    }

    @Test
    void lstmLayerFailsForHiddenSizeOneWithBatchAboveOne() throws Exception {
        // The op fails ("MmulHelper::mmulMxM: B array has wrong number of rows") after writing past
        // its buffers, which can abort the JVM later: it runs in a JVM of its own.
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), HiddenSizeOneProbe.class.getName())
                .redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(120, TimeUnit.SECONDS));
        assertTrue(child.exitValue() != 0 && !output.contains("RAN"),
                "lstmLayer now runs hidden size 1 with batch 3: the defect may be fixed. Output:\n" + output);
        // Either the op's own error, or glibc aborting on the heap the op corrupted before its message was
        // printed ("munmap_chunk(): invalid pointer", "free(): invalid next size"): which comes first varies.
        assertTrue(output.contains("lstmLayer") || output.matches("(?s).*(munmap_chunk|free\\(\\)|malloc|corrupted).*"), output);

        Setup s = Setup.of(14, 3, 2, 1, null);
        try (Predictor p = ND4J.compile(s.model)) {
            assertEquals(List.of("composed"), ((Nd4jPredictor) p).lstmKernels());
        }
        TensorAssertions.assertClose(s.reference(), s.nd4j(), Tolerance.DEFAULT, "the backend");
    }

    @Test
    void lstmLayerBackwardModeWithSequenceLengthsReadsTheLastStepsOfTheTimeAxis() {
        // ONNX: a reverse direction reads a sequence of length L from step L-1 down to 0.
        // libnd4j's directionMode 1 with seqLen reads steps T-1 down to T-L (left padding).
        Setup s = Setup.of(15, 2, 5, 4, LstmLayer.builder(3, 4).direction(Direction.REVERSE));
        int[] lengths = {5, 2};
        FloatTensor expected = s.reference(lengths).output();
        INDArray y = s.direct(1, Nd4j.createFromArray(lengths), 2, 0.0);
        assertTrue(Tolerance.DEFAULT.compare(expected, tensor(y)).maxAbsolute() > CLEARLY_WRONG,
                "lstmLayer's backward mode now reads steps L-1..0: the defect may be fixed");
        // The backend reverses each sequence's valid steps itself and runs forward.
        TensorAssertions.assertClose(s.reference(lengths), s.nd4j(lengths), Tolerance.DEFAULT, "the backend");
    }

    @Test
    void lstmLayerCellClipBoundsTheCellStateNotTheGatePreActivations() {
        Setup s = Setup.of(16, 2, 6, 4, LstmLayer.builder(3, 4).cellClip(0.3f));
        FloatTensor expected = s.reference().output();
        INDArray y = s.direct(FusedLstmKernel.DIRECTION_FORWARD, null, 2, 0.3);
        assertTrue(Tolerance.DEFAULT.compare(expected, tensor(y)).maxAbsolute() > CLEARLY_WRONG, "lstmLayer's clip now matches ONNX's");
        try (Predictor p = ND4J.compile(s.model)) {
            assertEquals(List.of("composed"), ((Nd4jPredictor) p).lstmKernels());
        }
        TensorAssertions.assertClose(s.reference(), s.nd4j(), Tolerance.DEFAULT, "the backend");
    }

    @Test
    void lstmLayerHardSigmoidIgnoresAlphaAndBeta() {
        // Keras 3's hard sigmoid (alpha 1/6) against the op's fixed 0.2 x + 0.5.
        Setup s = Setup.of(17, 2, 4, 4, LstmLayer.builder(3, 4).activations(Activation.kerasHardSigmoid(), Activation.tanh(), Activation.tanh()));
        FloatTensor expected = s.reference().output();
        INDArray y = s.direct(FusedLstmKernel.DIRECTION_FORWARD, null, 7, 0.0);
        assertTrue(Tolerance.DEFAULT.compare(expected, tensor(y)).maxAbsolute() > CLEARLY_WRONG, "lstmLayer's hard sigmoid now takes alpha 1/6");
        Setup onnx = Setup.of(17, 2, 4, 4, LstmLayer.builder(3, 4).activations(Activation.hardSigmoid(), Activation.tanh(), Activation.tanh()));
        TensorAssertions.assertClose(onnx.reference().output(), tensor(y), Tolerance.DEFAULT, "lstmLayer hard sigmoid = ONNX's 0.2, 0.5");
        TensorAssertions.assertClose(s.reference(), s.nd4j(), Tolerance.DEFAULT, "the backend");
    }
}
