package org.lstm4j.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.lstm4j.model.Port;
import org.lstm4j.model.SequenceModel;
import org.lstm4j.predict.PortBinding;
import org.lstm4j.predict.Prediction;
import org.lstm4j.tensor.FloatTensor;

/**
 * What the output column holds: by default the model's output, one row's slice of it ({@code array<float>} for
 * {@code [batch, out]}, {@code array<array<float>>} for {@code [batch, time, out]}); with {@code outputs} named, a
 * struct with one field per named graph output (final states included), each that output as the model file declares
 * it, less the batch axis. Serializable: it travels in the scoring closure.
 */
final class OutputColumns implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Empty: the model's output alone. */
    private final List<String> names;
    /** Per output: its rank without the batch axis, and where the batch axis lies. */
    private final int[] rowRanks;
    private final int[] batchAxes;

    private OutputColumns(List<String> names, int[] rowRanks, int[] batchAxes) {
        this.names = names;
        this.rowRanks = rowRanks;
        this.batchAxes = batchAxes;
    }

    /**
     * @param outputs graph output names, or null/empty for the model's output
     * @throws IllegalArgumentException for a name the model does not output (listing those it does)
     */
    static OutputColumns resolve(SequenceModel model, String[] outputs) {
        int mainRank = model.outputsSequences() ? 3 : 2;
        if (outputs == null || outputs.length == 0) {
            return new OutputColumns(List.of(), new int[] {mainRank - 1}, new int[] {0});
        }
        List<Port> ports = model.outputPorts();
        int[] ranks = new int[outputs.length];
        int[] axes = new int[outputs.length];
        for (int i = 0; i < outputs.length; i++) {
            String name = outputs[i];
            Port port = ports.stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow(() -> new IllegalArgumentException(
                    "model '" + model.name() + "' has no output '" + name + "'; its outputs are "
                            + ports.stream().map(Port::name).toList()));
            int rank = switch (port.layout()) {
                case BATCH_MAJOR, TIME_MAJOR -> mainRank;
                case ONNX_Y, ONNX_Y_BATCHWISE -> 4;
                case STACKED, STACKED_BATCHWISE -> 3;
                case SQUEEZED -> 2;
            };
            ranks[i] = rank - 1;
            axes[i] = switch (port.layout()) {
                // PortBinding keeps a time-major port's [batch, out] output batch-major.
                case TIME_MAJOR -> rank == 3 ? 1 : 0;
                case ONNX_Y -> 2;
                case STACKED -> 1;
                default -> 0;
            };
        }
        if (Arrays.stream(outputs).distinct().count() != outputs.length) {
            throw new IllegalArgumentException("outputs names an output twice: " + Arrays.toString(outputs));
        }
        return new OutputColumns(List.of(outputs), ranks, axes);
    }

    /** The output column's type. */
    DataType dataType() {
        if (names.isEmpty()) {
            return arrayOfRank(rowRanks[0]);
        }
        List<StructField> fields = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            fields.add(DataTypes.createStructField(names.get(i), arrayOfRank(rowRanks[i]), false));
        }
        return DataTypes.createStructType(fields);
    }

    private static DataType arrayOfRank(int rank) {
        DataType t = DataTypes.FloatType;
        for (int r = 0; r < rank; r++) {
            t = DataTypes.createArrayType(t, false);
        }
        return t;
    }

    /** The output column's value for each of the prediction's {@code rows} rows, in order. */
    Object[] values(SequenceModel model, Prediction prediction, int rows) {
        if (names.isEmpty()) {
            return split(prediction.output(), 0, rows);
        }
        Map<String, FloatTensor> named = PortBinding.toOutputs(model, prediction);
        Object[][] perOutput = new Object[names.size()][];
        for (int i = 0; i < names.size(); i++) {
            perOutput[i] = split(named.get(names.get(i)), batchAxes[i], rows);
        }
        Object[] out = new Object[rows];
        for (int r = 0; r < rows; r++) {
            Object[] fields = new Object[names.size()];
            for (int i = 0; i < names.size(); i++) {
                fields[i] = perOutput[i][r];
            }
            out[r] = RowFactory.create(fields);
        }
        return out;
    }

    /** Row by row along {@code batchAxis}: nested float arrays of the tensor's rank less one. */
    private static Object[] split(FloatTensor t, int batchAxis, int rows) {
        int[] shape = t.shape();
        if (shape[batchAxis] != rows) {
            throw new IllegalStateException("an output of " + shape[batchAxis] + " rows for a batch of " + rows + ": "
                    + Arrays.toString(shape));
        }
        float[] v = t.toArray();
        int pre = 1;
        for (int a = 0; a < batchAxis; a++) {
            pre *= shape[a];
        }
        int post = 1;
        for (int a = batchAxis + 1; a < shape.length; a++) {
            post *= shape[a];
        }
        int[] dims = new int[shape.length - 1];
        for (int a = 0, j = 0; a < shape.length; a++) {
            if (a != batchAxis) {
                dims[j++] = shape[a];
            }
        }
        Object[] out = new Object[rows];
        float[] block = pre == 1 ? null : new float[pre * post];
        for (int r = 0; r < rows; r++) {
            int offset = r * post;
            if (block != null) {
                // [pre, rows, post] -> this row's [pre, post]
                for (int p = 0; p < pre; p++) {
                    System.arraycopy(v, (p * rows + r) * post, block, p * post, post);
                }
            }
            out[r] = nest(block == null ? v : block, block == null ? offset : 0, dims);
        }
        return out;
    }

    private static Object nest(float[] src, int offset, int[] dims) {
        switch (dims.length) {
            case 1:
                return Arrays.copyOfRange(src, offset, offset + dims[0]);
            case 2: {
                float[][] m = new float[dims[0]][];
                for (int i = 0; i < dims[0]; i++) {
                    m[i] = Arrays.copyOfRange(src, offset + i * dims[1], offset + (i + 1) * dims[1]);
                }
                return m;
            }
            case 3: {
                float[][][] m = new float[dims[0]][][];
                int[] inner = {dims[1], dims[2]};
                for (int i = 0; i < dims[0]; i++) {
                    m[i] = (float[][]) nest(src, offset + i * dims[1] * dims[2], inner);
                }
                return m;
            }
            default:
                throw new IllegalStateException("an output of rank " + (dims.length + 1));
        }
    }
}
