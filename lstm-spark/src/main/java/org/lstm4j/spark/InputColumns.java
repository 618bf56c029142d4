package org.lstm4j.spark;

import java.io.Serializable;
import java.util.Arrays;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.lstm4j.model.SequenceModel;
import org.lstm4j.predict.Padding;
import scala.collection.Seq;

/**
 * How a row's columns become one sequence: which column holds the steps and in which form, and which (if any)
 * gives its valid length or its mask. Decided once from the schema on the driver ({@link #resolve}), applied to
 * every row on the executors ({@link #read}). Serializable: it travels in the scoring closure.
 */
final class InputColumns implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The forms of the input column. */
    enum Form {
        /** {@code array<array<float>>}: time x features. */
        STEPS("array<array<float>> (time x features)"),
        /** {@code array<float>}: the steps one after another, {@code features} values each. */
        FLAT("array<float> (time x features, step after step)"),
        /** {@code array<int>} or {@code array<long>}: one token id per step. */
        TOKENS("array<int> or array<long> (token ids)");

        final String text;

        Form(String text) {
            this.text = text;
        }
    }

    private final String inputCol;
    private final int inputIndex;
    private final Form form;
    private final int features;
    private final String lengthCol;
    private final int lengthIndex;
    private final String maskCol;
    private final int maskIndex;
    private final Padding padding;
    /** Token ids lie in [0, vocabulary); 0 for a model that reads features. */
    private final int vocabulary;

    private InputColumns(String inputCol, int inputIndex, Form form, int features, String lengthCol, int lengthIndex,
                         String maskCol, int maskIndex, Padding padding, int vocabulary) {
        this.inputCol = inputCol;
        this.inputIndex = inputIndex;
        this.form = form;
        this.features = features;
        this.lengthCol = lengthCol;
        this.lengthIndex = lengthIndex;
        this.maskCol = maskCol;
        this.maskIndex = maskIndex;
        this.padding = padding;
        this.vocabulary = vocabulary;
    }

    /**
     * Checks the columns against {@code schema} and {@code model}.
     *
     * @param lengthCol null for none
     * @param maskCol   null for none
     * @throws IllegalArgumentException naming the column, its type and the types that fit
     */
    static InputColumns resolve(StructType schema, SequenceModel model, String inputCol, String lengthCol, String maskCol,
                                Padding padding) {
        StructField in = field(schema, inputCol, "inputCol");
        Form form = formOf(in, model);
        int lengthIndex = -1;
        if (lengthCol != null) {
            StructField f = field(schema, lengthCol, "lengthCol");
            if (!isInteger(f.dataType())) {
                throw new IllegalArgumentException("lengthCol '" + lengthCol + "' is " + f.dataType().simpleString()
                        + "; it must be an integer column (int, long, short or byte): each row's number of valid steps");
            }
            lengthIndex = schema.fieldIndex(lengthCol);
        }
        int maskIndex = -1;
        if (maskCol != null) {
            StructField f = field(schema, maskCol, "maskCol");
            DataType t = f.dataType();
            if (!(t instanceof ArrayType a && (a.elementType() instanceof BooleanType || isInteger(a.elementType())))) {
                throw new IllegalArgumentException("maskCol '" + maskCol + "' is " + t.simpleString()
                        + "; it must be array<boolean> or an integer array (1 valid step, 0 padding), one value per step");
            }
            maskIndex = schema.fieldIndex(maskCol);
        }
        int features = model.readsTokens() ? 1 : model.inputSize();
        int vocabulary = model.embedding().map(e -> e.vocabularySize()).orElse(0);
        return new InputColumns(inputCol, schema.fieldIndex(inputCol), form, features, lengthCol, lengthIndex, maskCol, maskIndex,
                padding, vocabulary);
    }

    private static StructField field(StructType schema, String name, String param) {
        if (!Arrays.asList(schema.fieldNames()).contains(name)) {
            throw new IllegalArgumentException(param + " '" + name + "' is not a column; the columns are "
                    + Arrays.toString(schema.fieldNames()));
        }
        return schema.apply(name);
    }

    private static Form formOf(StructField in, SequenceModel model) {
        DataType t = in.dataType();
        String name = in.name();
        if (t instanceof ArrayType a) {
            DataType e = a.elementType();
            if (e instanceof IntegerType || e instanceof LongType) {
                if (!model.readsTokens()) {
                    throw new IllegalArgumentException("inputCol '" + name + "' holds token ids (" + t.simpleString() + ") but model '"
                            + model.name() + "' reads " + model.inputSize() + " features per step: give "
                            + Form.STEPS.text + " or " + Form.FLAT.text);
                }
                return Form.TOKENS;
            }
            if (!model.readsTokens()) {
                if (e instanceof FloatType) {
                    return Form.FLAT;
                }
                if (e instanceof ArrayType inner && inner.elementType() instanceof FloatType) {
                    return Form.STEPS;
                }
            }
        }
        String wanted = model.readsTokens() ? Form.TOKENS.text
                : Form.STEPS.text + " or " + Form.FLAT.text + " with " + model.inputSize() + " features per step";
        String hint = t.simpleString().contains("double") && !model.readsTokens()
                ? "; the model computes in float32: cast the column, e.g. col(\"" + name + "\").cast(\""
                + (t instanceof ArrayType a && a.elementType() instanceof ArrayType ? "array<array<float>>" : "array<float>") + "\")"
                : "";
        throw new IllegalArgumentException("inputCol '" + name + "' is " + t.simpleString() + "; model '" + model.name()
                + "' needs " + wanted + hint);
    }

    private static boolean isInteger(DataType t) {
        return t instanceof IntegerType || t instanceof LongType || t instanceof ShortType || t instanceof ByteType;
    }

    Form form() {
        return form;
    }

    boolean hasLengths() {
        return lengthIndex >= 0;
    }

    boolean hasMask() {
        return maskIndex >= 0;
    }

    Padding padding() {
        return padding;
    }

    int features() {
        return features;
    }

    /**
     * One row's sequence.
     *
     * @throws RowException naming the column and what is wrong with the value
     */
    Sequence read(Row row) {
        Object value = row.get(inputIndex);
        if (value == null) {
            throw new RowException("inputCol '" + inputCol + "' is null");
        }
        Seq<?> steps = (Seq<?>) value;
        Sequence s = switch (form) {
            case STEPS -> readSteps(steps);
            case FLAT -> readFlat(steps);
            case TOKENS -> readTokens(steps);
        };
        if (s.time == 0) {
            throw new RowException("inputCol '" + inputCol + "' has no step");
        }
        if (lengthIndex >= 0) {
            Object l = row.get(lengthIndex);
            if (l == null) {
                throw new RowException("lengthCol '" + lengthCol + "' is null");
            }
            long length = ((Number) l).longValue();
            if (length < 0 || length > s.time) {
                throw new RowException("lengthCol '" + lengthCol + "' is " + length + " but the sequence has " + s.time + " steps");
            }
            s.length = (int) length;
        }
        if (maskIndex >= 0) {
            s.mask = readMask(row.get(maskIndex), s.time);
        }
        return s;
    }

    private Sequence readSteps(Seq<?> steps) {
        int time = steps.length();
        float[] values = new float[time * features];
        for (int t = 0; t < time; t++) {
            Object step = steps.apply(t);
            if (step == null) {
                throw new RowException("inputCol '" + inputCol + "': step " + t + " is null");
            }
            Seq<?> f = (Seq<?>) step;
            if (f.length() != features) {
                throw new RowException("inputCol '" + inputCol + "': step " + t + " has " + f.length() + " features, the model reads "
                        + features);
            }
            for (int k = 0; k < features; k++) {
                values[t * features + k] = floatAt(f, k, t);
            }
        }
        return Sequence.features(time, values);
    }

    private Sequence readFlat(Seq<?> flat) {
        int n = flat.length();
        if (n % features != 0) {
            throw new RowException("inputCol '" + inputCol + "' holds " + n + " values, not a whole number of steps of " + features
                    + " features");
        }
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = floatAt(flat, i, i / features);
        }
        return Sequence.features(n / features, values);
    }

    private float floatAt(Seq<?> s, int i, int step) {
        Object v = s.apply(i);
        if (v == null) {
            throw new RowException("inputCol '" + inputCol + "': a feature of step " + step + " is null");
        }
        return (Float) v;
    }

    private Sequence readTokens(Seq<?> ids) {
        int time = ids.length();
        int[] values = new int[time];
        for (int t = 0; t < time; t++) {
            Object v = ids.apply(t);
            if (v == null) {
                throw new RowException("inputCol '" + inputCol + "': the token id of step " + t + " is null");
            }
            long id = ((Number) v).longValue();
            if (id < 0 || id >= vocabulary) {
                throw new RowException("inputCol '" + inputCol + "': token id " + id + " at step " + t + " is outside the model's "
                        + "vocabulary [0, " + vocabulary + ")");
            }
            values[t] = (int) id;
        }
        return Sequence.tokens(time, values);
    }

    private boolean[] readMask(Object value, int time) {
        if (value == null) {
            throw new RowException("maskCol '" + maskCol + "' is null");
        }
        Seq<?> m = (Seq<?>) value;
        if (m.length() != time) {
            throw new RowException("maskCol '" + maskCol + "' has " + m.length() + " values but the sequence has " + time + " steps");
        }
        boolean[] valid = new boolean[time];
        for (int t = 0; t < time; t++) {
            Object v = m.apply(t);
            if (v == null) {
                throw new RowException("maskCol '" + maskCol + "' is null at step " + t);
            }
            if (v instanceof Boolean b) {
                valid[t] = b;
            } else {
                long x = ((Number) v).longValue();
                if (x != 0 && x != 1) {
                    throw new RowException("maskCol '" + maskCol + "' is " + x + " at step " + t + "; 1 marks a valid step, 0 padding");
                }
                valid[t] = x == 1;
            }
        }
        return valid;
    }

    /** One row's input: features {@code [time * features]} or token ids {@code [time]}, and its length or mask if given. */
    static final class Sequence {
        final int time;
        final float[] features;
        final int[] tokens;
        /** -1 when the row gives none. */
        int length = -1;
        boolean[] mask;

        private Sequence(int time, float[] features, int[] tokens) {
            this.time = time;
            this.features = features;
            this.tokens = tokens;
        }

        static Sequence features(int time, float[] values) {
            return new Sequence(time, values, null);
        }

        static Sequence tokens(int time, int[] ids) {
            return new Sequence(time, null, ids);
        }
    }

    /** What is wrong with one row's input; the scorer adds the row's position. */
    static final class RowException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        RowException(String message) {
            super(message, null, false, false);
        }
    }
}
