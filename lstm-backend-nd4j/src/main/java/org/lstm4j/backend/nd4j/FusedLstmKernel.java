package org.lstm4j.backend.nd4j;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.lstm4j.model.Activation;
import org.lstm4j.model.LstmLayer;
import org.lstm4j.weights.LstmWeights;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One direction on libnd4j's fused {@code lstmLayer} op, called directly as a custom op.
 *
 * <p>Why not ND4J's Java wrapper {@code org.nd4j.linalg.api.ops.impl.layers.recurrent.LSTMLayer}
 * (1.0.0-M2.1): its INDArray constructor hands [maxTSLength, Wx, Wr, b, x, cLast, yLast] to the op
 * as <em>output</em> arrays and gives it no input ("no operands provided"); and its integer
 * arguments put the output activation where libnd4j reads the cell activation and the reverse,
 * with no alpha/beta for the activations that take them. ({@code SameDiff}'s {@code lstmLayer}
 * has a third defect, initial h and c exchanged; it is not used.) libnd4j's own contract
 * ({@code generic/nn/recurrent/lstmLayer.cpp}) is: inputs x, Wx, Wr, [b], [seqLen], [hI], [cI],
 * [Wp]; integer args dataFormat, directionMode, gateAct, cellAct, outAct; float args cellClip then
 * the alpha/beta each activation takes; boolean args hasBias, hasSeqLen, hasInitH, hasInitC,
 * hasPH, retFullSeq, retLastH, retLastC. {@code Nd4jDefectsTest} has a test per defect.
 *
 * <p>Used only where the op's equations are the neutral model's and it runs: hidden size above 1, no cell clip (libnd4j clips
 * the cell state, ONNX clips gate pre-activations), no coupled input-forget, and activations it
 * computes exactly (see {@link Nd4jActivations#lstmLayerId}).
 */
final class FusedLstmKernel implements DirectionKernel {

    /** libnd4j dataFormat 1: x is [bS, sL, nIn]. */
    static final int DATA_FORMAT_NTS = 1;
    /** libnd4j directionMode 0: forward. */
    static final int DIRECTION_FORWARD = 0;

    private final int hidden;
    private final INDArray wx;
    private final INDArray wr;
    private final INDArray bias;
    private final INDArray peepholes;
    private final int[] intArgs;
    private final Double[] floatArgs;

    FusedLstmKernel(LstmLayer layer, LstmWeights w) {
        if (!supports(layer)) {
            throw new IllegalArgumentException("lstmLayer cannot run " + layer);
        }
        this.hidden = layer.hiddenSize();
        Nd4jWeights nw = Nd4jWeights.of(w);
        this.wx = nw.wx();
        this.wr = nw.wr();
        this.bias = nw.bias();
        this.peepholes = nw.peepholes();
        int gate = Nd4jActivations.lstmLayerId(layer.gateActivation()).getAsInt();
        int cell = Nd4jActivations.lstmLayerId(layer.cellActivation()).getAsInt();
        int out = Nd4jActivations.lstmLayerId(layer.hiddenActivation()).getAsInt();
        this.intArgs = new int[] {DATA_FORMAT_NTS, DIRECTION_FORWARD, gate, cell, out};
        List<Double> t = new ArrayList<>();
        t.add(0.0);  // cell clip: none
        addAlphaBeta(t, gate, layer.gateActivation());
        addAlphaBeta(t, cell, layer.cellActivation());
        addAlphaBeta(t, out, layer.hiddenActivation());
        this.floatArgs = t.toArray(new Double[0]);
    }

    /** Whether the fused op computes this layer's equations exactly. */
    static boolean supports(LstmLayer layer) {
        // Hidden size 1: in 1.0.0-M2.1 the op fails for batches above 1 ("MmulHelper::mmulMxM: B array
        // has wrong number of rows"), its [B, 1] states taken for vectors, after writing past its
        // buffers (the JVM may abort later). Never handed to the op, whatever the batch.
        return layer.hiddenSize() > 1 && !layer.hasCellClip() && !layer.coupledInputForget()
                && Nd4jActivations.lstmLayerId(layer.gateActivation()).isPresent()
                && Nd4jActivations.lstmLayerId(layer.cellActivation()).isPresent()
                && Nd4jActivations.lstmLayerId(layer.hiddenActivation()).isPresent();
    }

    private static void addAlphaBeta(List<Double> t, int id, Activation a) {
        if (Nd4jActivations.lstmLayerTakesAlpha(id)) {
            t.add((double) a.alpha());
        }
        if (Nd4jActivations.lstmLayerTakesBeta(id)) {
            t.add((double) a.beta());
        }
    }

    @Override
    public Output run(INDArray x, INDArray seqLen, INDArray[] masks, INDArray h0, INDArray c0) {
        long batch = x.size(0);
        long time = x.size(1);
        INDArray y = Nd4j.create(DataType.FLOAT, batch, time, hidden);
        INDArray hLast = Nd4j.create(DataType.FLOAT, batch, hidden);
        INDArray cLast = Nd4j.create(DataType.FLOAT, batch, hidden);
        List<INDArray> inputs = new ArrayList<>(8);
        inputs.add(x);
        inputs.add(wx);
        inputs.add(wr);
        inputs.add(bias);
        if (seqLen != null) {
            inputs.add(seqLen);
        }
        inputs.add(h0);
        inputs.add(c0);
        if (peepholes != null) {
            inputs.add(peepholes);
        }
        DynamicCustomOp op = DynamicCustomOp.builder("lstmLayer")
                .addInputs(inputs.toArray(new INDArray[0]))
                .addOutputs(y, hLast, cLast)
                .addIntegerArguments(intArgs)
                .addFloatingPointArguments(floatArgs)
                .addBooleanArguments(true, seqLen != null, true, true, peepholes != null, true, true, true)
                .build();
        Nd4j.exec(op);
        return new Output(y, hLast, cLast);
    }

    /**
     * A context for one step of this layer on libnd4j's {@code lstmLayerCell} (the cell of {@code lstmLayer}, same
     * arguments): {@code x [B, I]} and {@code h0, c0} in, {@code h, c} out, arrays and arguments set once, so
     * that a stream runs it every step allocating nothing. ({@code lstmLayer} itself, run over one step
     * through a reused context, still grew resident memory about 0.12 KiB per call in 1.0.0-M2.1; the cell
     * op did not.) The caller closes it.
     */
    OpContext stepContext(INDArray x, INDArray h0, INDArray c0, INDArray h, INDArray c) {
        OpContext ctx = Nd4j.getExecutioner().buildContext();
        List<INDArray> inputs = new ArrayList<>(List.of(x, wx, wr, bias, h0, c0));
        if (peepholes != null) {
            inputs.add(peepholes);
        }
        ctx.setInputArrays(inputs);
        ctx.setOutputArrays(h, c);
        ctx.setIArguments(intArgs[2], intArgs[3], intArgs[4]);  // gate, cell and output activations
        ctx.setTArguments(Arrays.stream(floatArgs).mapToDouble(Double::doubleValue).toArray());
        ctx.setBArguments(true, peepholes != null);  // hasBias, hasPH
        return ctx;
    }

    @Override
    public void close() {
        Nd4jWeights.close(wx, wr, bias, peepholes);
    }
}
