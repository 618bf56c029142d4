package org.lstm4j.spark;

import java.util.Arrays;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.param.StringArrayParam;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.LongAccumulator;
import org.lstm4j.model.SequenceModel;
import org.lstm4j.predict.NanPolicy;
import org.lstm4j.predict.Padding;

/**
 * Scores sequences with an LSTM model as a Spark ML {@link Transformer}: appends {@code outputCol} with each row's
 * prediction, on whichever lstm4j backend the executors have. It composes in a {@code Pipeline} and is saved and
 * loaded with it ({@link MLWritable}; {@link #read()}), the model file's bytes inside the saved folder.
 *
 * <pre>{@code
 * LstmTransformer lstm = new LstmTransformer()
 *         .setModelPath("hdfs:///models/sensor.onnx")
 *         .setInputCol("window")            // array<array<float>>: time x features
 *         .setOutputCol("forecast")
 *         .setBatchSize(64);
 * Dataset<Row> scored = lstm.transform(windows);
 * }</pre>
 *
 * <h2>Input</h2> {@code inputCol} is {@code array<array<float>>} (time x features), {@code array<float>} (the steps
 * one after another, as many values each as the model has features), or {@code array<int>}/{@code array<long>} token
 * ids for a model that starts with an embedding. Padded rows: {@code lengthCol} (each row's number of valid steps,
 * the padding on the side {@code padding} says) and/or {@code maskCol} ({@code array<boolean>}, or 1/0, per step).
 *
 * <h2>Output</h2> By default the model's output: {@code array<float>} per row ({@code [out]}), or
 * {@code array<array<float>>} ({@code [time, out]}) for a model that outputs every step. With {@code outputs} set
 * to graph output names (final states too, e.g. {@code y, hn, cn}), a struct of those, each as the file declares
 * it less the batch axis.
 *
 * <h2>Execution</h2> The driver reads the model once (from {@code modelPath} through Hadoop's FileSystem, or the
 * bytes given with {@link #setModel}) and broadcasts its bytes; each executor JVM imports and compiles it once and
 * shares the predictor between its task threads when the predictor is thread-safe (else one per task thread).
 * Partitions are scored {@code batchSize} rows per engine call. Outputs equal one JVM's {@code Predictor.predict}
 * on the same batches, bit for bit.
 *
 * <h2>Errors</h2> {@code onError = "fail"} (default): a row that cannot be scored fails the job, naming the row's
 * position and the reason. {@code "null"}: its output is null and the accumulator {@link #errorCounter()} (shown
 * in the Spark UI as {@link #errorCounterName()}) counts it. Rows are never dropped.
 */
public final class LstmTransformer extends Transformer implements MLWritable {
    private static final long serialVersionUID = 1L;

    private final String uid;
    private final Param<String> inputCol;
    private final Param<String> outputCol;
    private final Param<String> modelPath;
    private final Param<String> backend;
    private final IntParam batchSize;
    private final StringArrayParam outputs;
    private final Param<String> onError;
    private final Param<String> lengthCol;
    private final Param<String> maskCol;
    private final Param<String> padding;
    private final Param<String> nanPolicy;

    /** The model file, read from modelPath when first needed (again when modelPath changes), or given. */
    private transient ModelFile modelFile;
    private transient SequenceModel model;
    /** What this transformer registered with a SparkContext: the broadcast model, the error counter. */
    private transient SparkContext context;
    private transient Broadcast<byte[]> broadcast;
    private transient LongAccumulator errors;

    public LstmTransformer() {
        this(Identifiable.randomUID("lstm"));
    }

    public LstmTransformer(String uid) {
        this.uid = uid;
        inputCol = new Param<>(this, "inputCol", "the sequences: array<array<float>> (time x features), array<float> (steps "
                + "one after another) or array<int>/array<long> (token ids)");
        outputCol = new Param<>(this, "outputCol", "the column the prediction goes to");
        modelPath = new Param<>(this, "modelPath", "the model file (.onnx) as a Hadoop path or URI, read once by the driver");
        backend = new Param<>(this, "backend", "the lstm4j backend the executors use (java-fast, onnx, ...); unset: their "
                + "default (lstm4j.backend, LSTM4J_BACKEND, else the highest priority)");
        batchSize = new IntParam(this, "batchSize", "rows per engine call", ParamValidators.gtEq(1));
        outputs = new StringArrayParam(this, "outputs", "graph outputs to return as a struct (e.g. y, hn, cn); unset: the "
                + "model's output alone");
        onError = new Param<>(this, "onError", "a row that cannot be scored: fail (the job fails naming it) or null (null "
                + "output, counted)", ParamValidators.inArray(OnError.paramValues()));
        lengthCol = new Param<>(this, "lengthCol", "an integer column: each row's number of valid steps");
        maskCol = new Param<>(this, "maskCol", "array<boolean> (or 1/0): which steps of a row are valid");
        padding = new Param<>(this, "padding", "where lengthCol's padding lies: right (valid steps first) or left",
                ParamValidators.inArray(new String[] {"right", "left"}));
        nanPolicy = new Param<>(this, "nanPolicy", "NaN or infinite inputs: propagate (computed as IEEE 754 does) or reject "
                + "(the row cannot be scored: see onError)", ParamValidators.inArray(new String[] {"propagate", "reject"}));
        setDefault(inputCol, "features");
        setDefault(outputCol, "prediction");
        setDefault(batchSize, 64);
        setDefault(onError, OnError.FAIL.paramValue());
        setDefault(padding, "right");
        setDefault(nanPolicy, "propagate");
    }

    @Override
    public String uid() {
        return uid;
    }

    // ---- parameters, in Spark's style: the Param, its getter, its setter

    public Param<String> inputCol() {
        return inputCol;
    }

    public String getInputCol() {
        return getOrDefault(inputCol);
    }

    public LstmTransformer setInputCol(String value) {
        set(inputCol, value);
        return this;
    }

    public Param<String> outputCol() {
        return outputCol;
    }

    public String getOutputCol() {
        return getOrDefault(outputCol);
    }

    public LstmTransformer setOutputCol(String value) {
        set(outputCol, value);
        return this;
    }

    public Param<String> modelPath() {
        return modelPath;
    }

    public String getModelPath() {
        return getOrDefault(modelPath);
    }

    /** The model file (a Hadoop path or URI: {@code hdfs://}, {@code s3a://}, {@code file:}), read by the driver. */
    public LstmTransformer setModelPath(String value) {
        set(modelPath, value);
        return this;
    }

    /**
     * The model as the bytes of its file, {@code fileName} telling its format ({@code "model.onnx"}); replaces any
     * {@code modelPath}. The bytes are copied.
     */
    public synchronized LstmTransformer setModel(byte[] bytes, String fileName) {
        ModelFile file = ModelFile.of(bytes, fileName);
        clear(modelPath);
        use(file);
        return this;
    }

    public Param<String> backend() {
        return backend;
    }

    public String getBackend() {
        return getOrDefault(backend);
    }

    public LstmTransformer setBackend(String value) {
        set(backend, value);
        return this;
    }

    public IntParam batchSize() {
        return batchSize;
    }

    public int getBatchSize() {
        return (Integer) getOrDefault(batchSize);
    }

    public LstmTransformer setBatchSize(int value) {
        set(batchSize, value);
        return this;
    }

    public StringArrayParam outputs() {
        return outputs;
    }

    public String[] getOutputs() {
        return getOrDefault(outputs);
    }

    public LstmTransformer setOutputs(String... value) {
        set(outputs, value);
        return this;
    }

    public Param<String> onError() {
        return onError;
    }

    public String getOnError() {
        return getOrDefault(onError);
    }

    /** {@code "fail"} or {@code "null"}. */
    public LstmTransformer setOnError(String value) {
        set(onError, value);
        return this;
    }

    public LstmTransformer setOnError(OnError value) {
        return setOnError(value.paramValue());
    }

    public Param<String> lengthCol() {
        return lengthCol;
    }

    public String getLengthCol() {
        return getOrDefault(lengthCol);
    }

    public LstmTransformer setLengthCol(String value) {
        set(lengthCol, value);
        return this;
    }

    public Param<String> maskCol() {
        return maskCol;
    }

    public String getMaskCol() {
        return getOrDefault(maskCol);
    }

    public LstmTransformer setMaskCol(String value) {
        set(maskCol, value);
        return this;
    }

    public Param<String> padding() {
        return padding;
    }

    public String getPadding() {
        return getOrDefault(padding);
    }

    /** {@code "right"} (valid steps first, the default) or {@code "left"} (Keras {@code pad_sequences}' default). */
    public LstmTransformer setPadding(String value) {
        set(padding, value);
        return this;
    }

    public Param<String> nanPolicy() {
        return nanPolicy;
    }

    public String getNanPolicy() {
        return getOrDefault(nanPolicy);
    }

    /**
     * {@code "propagate"} (the default: NaN flows into the outputs as IEEE 754 computes, except on the onnx backend,
     * whose LSTM clamps it) or {@code "reject"}: a row with a NaN or infinite value cannot be scored (see onError).
     */
    public LstmTransformer setNanPolicy(String value) {
        set(nanPolicy, value);
        return this;
    }

    // ---- Transformer

    @Override
    public StructType transformSchema(StructType schema) {
        SequenceModel m = model();
        inputColumns(schema, m);
        OutputColumns out = outputColumns(m);
        String col = getOutputCol();
        if (Arrays.asList(schema.fieldNames()).contains(col)) {
            throw new IllegalArgumentException("outputCol '" + col + "' already exists; choose another name");
        }
        return schema.add(col, out.dataType(), true);
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        StructType schema = transformSchema(dataset.schema());
        SequenceModel m = model();
        SparkContext sc = dataset.sparkSession().sparkContext();
        ModelFile file = modelFile();
        ExecutorModels.Key key = new ExecutorModels.Key(file.sha256(), isSet(backend) ? getBackend() : null,
                "reject".equals(getNanPolicy()) ? NanPolicy.REJECT : NanPolicy.PROPAGATE);
        PartitionScorer scorer = new PartitionScorer(broadcast(sc, file), file.fileName(), key, inputColumns(dataset.schema(), m),
                outputColumns(m), getBatchSize(), OnError.of(getOnError()), errorCounter(sc));
        return dataset.toDF().mapPartitions(scorer, Encoders.row(schema));
    }

    private InputColumns inputColumns(StructType schema, SequenceModel m) {
        return InputColumns.resolve(schema, m, getInputCol(), isSet(lengthCol) ? getLengthCol() : null,
                isSet(maskCol) ? getMaskCol() : null, "left".equals(getPadding()) ? Padding.LEFT : Padding.RIGHT);
    }

    private OutputColumns outputColumns(SequenceModel m) {
        return OutputColumns.resolve(m, isSet(outputs) ? getOutputs() : null);
    }

    @Override
    public LstmTransformer copy(ParamMap extra) {
        LstmTransformer copy = new LstmTransformer(uid);
        synchronized (this) {
            copy.modelFile = modelFile;
            copy.model = model;
        }
        return copyValues(copy, extra);
    }

    /**
     * Rows this transformer could not score with {@code onError = "null"}, over every {@code transform} of it (an
     * accumulator: its value is complete once an action has run); null before the first {@code transform}.
     */
    public synchronized LongAccumulator errorCounter() {
        return errors;
    }

    /** The error counter's name in the Spark UI. */
    public String errorCounterName() {
        return "lstm4j rows not scored (" + uid + ")";
    }

    private synchronized LongAccumulator errorCounter(SparkContext sc) {
        bind(sc);
        return errors;
    }

    /** The model's bytes, broadcast once per model and SparkContext. */
    private synchronized Broadcast<byte[]> broadcast(SparkContext sc, ModelFile file) {
        bind(sc);
        if (broadcast == null) {
            broadcast = JavaSparkContext.fromSparkContext(sc).broadcast(file.bytes());
        }
        return broadcast;
    }

    private void bind(SparkContext sc) {
        if (context != sc) {
            context = sc;
            broadcast = null;
            errors = sc.longAccumulator(errorCounterName());
        }
    }

    /** The model file: given, or read from modelPath on first use and whenever modelPath changed since. */
    synchronized ModelFile modelFile() {
        if (isSet(modelPath)) {
            String path = getModelPath();
            if (modelFile == null || !path.equals(modelFile.source())) {
                use(ModelFile.read(path, hadoopConfiguration()));
            }
        } else if (modelFile == null) {
            throw new IllegalStateException("LstmTransformer " + uid + " has no model: setModelPath(path) or setModel(bytes, fileName)");
        }
        return modelFile;
    }

    private synchronized SequenceModel model() {
        modelFile();
        if (model == null) {
            model = modelFile.load();
        }
        return model;
    }

    private void use(ModelFile file) {
        modelFile = file;
        model = null;
        broadcast = null;
    }

    private static Configuration hadoopConfiguration() {
        scala.Option<SparkSession> s = SparkSession.getActiveSession();
        if (s.isEmpty()) {
            s = SparkSession.getDefaultSession();
        }
        return s.isDefined() ? s.get().sparkContext().hadoopConfiguration() : new Configuration();
    }

    // ---- persistence

    @Override
    public MLWriter write() {
        return new LstmTransformerPersistence.Writer(this);
    }

    /** Reads a transformer saved with {@code write().save(path)} (a {@code PipelineModel}'s reader calls this). */
    public static MLReader<LstmTransformer> read() {
        return new LstmTransformerPersistence.Reader();
    }

    public static LstmTransformer load(String path) {
        return read().load(path);
    }

    /** Used by the reader: the model kept in the saved folder. */
    synchronized void useSaved(ModelFile file) {
        use(file);
    }
}
