package org.lstm4j.backend.nd4j;

import static org.lstm4j.weights.GateOrder.CELL_GATE;
import static org.lstm4j.weights.GateOrder.FORGET_GATE;
import static org.lstm4j.weights.GateOrder.INPUT_GATE;
import static org.lstm4j.weights.GateOrder.OUTPUT_GATE;
import static org.lstm4j.weights.GateOrder.PEEPHOLE_FORGET;
import static org.lstm4j.weights.GateOrder.PEEPHOLE_INPUT;
import static org.lstm4j.weights.GateOrder.PEEPHOLE_OUTPUT;
import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;
import static org.nd4j.linalg.indexing.NDArrayIndex.point;

import org.lstm4j.model.Activation;
import org.lstm4j.model.LstmLayer;
import org.lstm4j.weights.LstmWeights;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * One direction composed from ND4J ops, step by step, exactly as {@link LstmWeights} writes the
 * equations: for what libnd4j's lstmLayer computes differently. Its cell clip bounds the cell
 * state (ONNX Runtime, and so the neutral model, bounds every gate's pre-activation); it has no
 * coupled input-forget gate; its hard sigmoid is fixed at alpha 0.2, beta 0.5.
 *
 * <p>The input projection {@code x Wx + b} is one mmul over all steps; each step then adds
 * {@code h Wr}, the peepholes, the clip and the activations.
 */
final class ComposedLstmKernel implements DirectionKernel {

    private final int hidden;
    private final INDArray wx;
    private final INDArray wr;
    private final INDArray bias;
    private final INDArray peepholes;
    private final INDArray peepI;
    private final INDArray peepF;
    private final INDArray peepO;
    private final Activation gate;
    private final Activation cell;
    private final Activation out;
    private final double clip;
    private final boolean coupled;

    ComposedLstmKernel(LstmLayer layer, LstmWeights w) {
        this.hidden = layer.hiddenSize();
        Nd4jWeights nw = Nd4jWeights.of(w);
        this.wx = nw.wx();
        this.wr = nw.wr();
        this.bias = nw.bias();
        this.peepholes = nw.peepholes();
        if (peepholes != null) {
            try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                peepI = peepholes.get(block(PEEPHOLE_INPUT)).dup().reshape(1, hidden);
                peepF = peepholes.get(block(PEEPHOLE_FORGET)).dup().reshape(1, hidden);
                peepO = peepholes.get(block(PEEPHOLE_OUTPUT)).dup().reshape(1, hidden);
            }
        } else {
            peepI = null;
            peepF = null;
            peepO = null;
        }
        this.gate = layer.gateActivation();
        this.cell = layer.cellActivation();
        this.out = layer.hiddenActivation();
        this.clip = layer.hasCellClip() ? layer.cellClip() : Double.NaN;
        this.coupled = layer.coupledInputForget();
    }

    @Override
    public Output run(INDArray x, INDArray seqLen, INDArray[] masks, INDArray h0, INDArray c0) {
        long batch = x.size(0);
        int time = (int) x.size(1);
        long in = x.size(2);
        int h4 = 4 * hidden;
        INDArray projected = x.reshape('c', batch * time, in).mmul(wx).addiRowVector(bias).reshape('c', batch, time, h4);
        INDArray h = h0.dup('c');
        INDArray c = c0.dup('c');
        INDArray y = Nd4j.create(DataType.FLOAT, batch, time, hidden);
        for (int t = 0; t < time; t++) {
            INDArray z = projected.get(all(), point(t), all()).dup('c');
            z.addi(h.mmul(wr));
            INDArray zi = z.get(all(), block(INPUT_GATE)).dup('c');
            INDArray zf = z.get(all(), block(FORGET_GATE)).dup('c');
            INDArray zg = z.get(all(), block(CELL_GATE)).dup('c');
            INDArray zo = z.get(all(), block(OUTPUT_GATE)).dup('c');
            if (peepholes != null) {
                zi.addi(c.mulRowVector(peepI));
                zf.addi(c.mulRowVector(peepF));
            }
            INDArray i = Nd4jActivations.applyInPlace(gate, clip(zi));
            INDArray f = coupled ? i.rsub(1.0) : Nd4jActivations.applyInPlace(gate, clip(zf));
            INDArray g = Nd4jActivations.applyInPlace(cell, clip(zg));
            INDArray cNew = f.muli(c).addi(i.muli(g));
            if (peepholes != null) {
                zo.addi(cNew.mulRowVector(peepO));
            }
            INDArray o = Nd4jActivations.applyInPlace(gate, clip(zo));
            INDArray hNew = Nd4jActivations.applyInPlace(out, cNew.dup('c')).muli(o);
            if (masks != null) {
                // Past a sequence's end its state stays and its output is 0 (ONNX sequence_lens):
                // m is 1 or 0 per sequence, so the products are exact.
                INDArray m = masks[t];
                INDArray keep = m.rsub(1.0);
                c = c.mulColumnVector(keep).addi(cNew.mulColumnVector(m));
                hNew.muliColumnVector(m);
                h = h.mulColumnVector(keep).addi(hNew);
            } else {
                c = cNew;
                h = hNew;
            }
            y.get(all(), point(t), all()).assign(hNew);
        }
        return new Output(y, h, c);
    }

    /** The columns of gate (or peephole) block {@code k}: k*H .. (k+1)*H. */
    private INDArrayIndex block(int k) {
        return interval(k * hidden, (k + 1) * hidden);
    }

    /** ONNX's clip: every gate pre-activation bounded to [-clip, clip] before its activation. */
    private INDArray clip(INDArray z) {
        if (Double.isNaN(clip)) {
            return z;
        }
        return Transforms.min(Transforms.max(z, -clip, false), clip, false);
    }

    @Override
    public void close() {
        Nd4jWeights.close(wx, wr, bias, peepholes, peepI, peepF, peepO);
    }
}
