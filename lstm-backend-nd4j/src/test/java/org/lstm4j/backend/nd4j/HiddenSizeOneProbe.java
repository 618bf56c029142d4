package org.lstm4j.backend.nd4j;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Runs libnd4j's lstmLayer with hidden size 1 and batch 3, in a JVM of its own: the op writes
 * past its buffers before it fails, corrupting the native heap ("free(): invalid next size"),
 * so {@link Nd4jDefectsTest} must not run it in the test JVM. Prints {@code RAN} when the op
 * completes.
 */
public final class HiddenSizeOneProbe {
    private HiddenSizeOneProbe() {
    }

    public static void main(String[] args) {
        int batch = 3;
        int time = 2;
        int in = 3;
        int hidden = 1;
        INDArray x = Nd4j.rand(DataType.FLOAT, batch, time, in);
        INDArray wx = Nd4j.rand(DataType.FLOAT, in, 4 * hidden);
        INDArray wr = Nd4j.rand(DataType.FLOAT, hidden, 4 * hidden);
        INDArray b = Nd4j.rand(DataType.FLOAT, 4 * hidden);
        INDArray h0 = Nd4j.rand(DataType.FLOAT, batch, hidden);
        INDArray c0 = Nd4j.rand(DataType.FLOAT, batch, hidden);
        Nd4j.exec(DynamicCustomOp.builder("lstmLayer").addInputs(x, wx, wr, b, h0, c0)
                .addOutputs(Nd4j.create(DataType.FLOAT, batch, time, hidden), Nd4j.create(DataType.FLOAT, batch, hidden),
                        Nd4j.create(DataType.FLOAT, batch, hidden))
                .addIntegerArguments(FusedLstmKernel.DATA_FORMAT_NTS, FusedLstmKernel.DIRECTION_FORWARD, 2, 0, 0)
                .addFloatingPointArguments(0.0)
                .addBooleanArguments(true, false, true, true, false, true, true, true).build());
        System.out.println("RAN");
    }
}
