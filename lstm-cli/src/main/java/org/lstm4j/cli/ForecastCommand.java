package org.lstm4j.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.lstm4j.backend.Backends;
import org.lstm4j.backend.java.ReferenceBackendProvider;
import org.lstm4j.forecast.Accuracy;
import org.lstm4j.forecast.Forecaster;
import org.lstm4j.forecast.NaiveForecasts;
import org.lstm4j.forecast.Scaling;
import org.lstm4j.model.SequenceModel;
import org.lstm4j.onnx.OnnxImporter;
import org.lstm4j.predict.Predictor;
import org.lstm4j.tensor.FloatTensor;
import org.lstm4j.tensor.TimeSeriesCsv;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code lstm forecast}: forecasts a time series from CSV with a model file, in the series' units
 * (the model's recorded scaling applied and undone), scores a held-out tail against naive
 * baselines, and writes the forecast as CSV and a chart.
 */
@Command(name = "forecast", sortOptions = false,
        description = {"Forecast a time series with an LSTM model and score it on a held-out tail against naive baselines.",
            "With --demo: the Mauna Loa CO2 record and a small LSTM trained on it in Keras (shipped with lstm4j), on the",
            "embedded java backend, writing forecast.csv and forecast.png."})
final class ForecastCommand implements Callable<Integer> {

    static final String DEMO = "/org/lstm4j/examples/demo/";
    static final String WINDOW = "lstm4j.window";
    static final String COLUMN = "lstm4j.column";
    static final String SEASON = "lstm4j.season";
    static final String HOLDOUT = "lstm4j.holdout";

    @Spec
    CommandSpec spec;

    @Option(names = "--demo", description = "Run the bundled demo (no network, no files needed).")
    boolean demo;

    @Option(names = "--model", paramLabel = "M.onnx", description = "The model file; its metadata may record scaling, window, column and season.")
    Path model;

    @Option(names = "--csv", paramLabel = "series.csv", description = "The series: a header line, then one row per step; a date column is kept.")
    Path csv;

    @Option(names = "--column", paramLabel = "NAME", description = "The value column (default: the model's recorded column, else the first numeric one).")
    String column;

    @Option(names = "--window", paramLabel = "W", description = "Steps the model reads (default: the model's recorded window).")
    Integer window;

    @Option(names = "--horizon", paramLabel = "N", description = "Steps to forecast (default: the held-out tail, else 12).")
    Integer horizon;

    @Option(names = "--holdout", paramLabel = "K", description = "Hold out the last K steps and score the forecast on them (default: 0; the demo's recorded tail with --demo).")
    Integer holdout;

    @Option(names = "--season", paramLabel = "S", description = "Season length for the seasonal naive baseline (default: the model's recorded season).")
    Integer season;

    @Option(names = "--backend", paramLabel = "NAME", description = "Backend (default: the rules of 'lstm backends'; the embedded java backend with --demo).")
    String backend;

    @Option(names = "--mode", description = "SLIDING_WINDOW (default: re-read the latest window, as window-trained models expect) or STATEFUL.")
    Forecaster.Mode mode = Forecaster.Mode.SLIDING_WINDOW;

    @Option(names = "--output", paramLabel = "forecast.csv", description = "Where to write the forecast (default with --demo: forecast.csv).")
    Path output;

    @Option(names = "--chart", paramLabel = "forecast.png", description = "Where to draw the chart (default with --demo: forecast.png).")
    Path chart;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        SequenceModel m;
        TimeSeriesCsv series;
        String modelName;
        if (demo) {
            modelName = "co2_lstm.onnx (demo)";
            m = OnnxImporter.importModel(resource("co2_lstm.onnx"), "demo co2_lstm.onnx");
            try (InputStream in = ForecastCommand.class.getResourceAsStream(DEMO + "co2_monthly.csv")) {
                series = TimeSeriesCsv.read(new InputStreamReader(in, StandardCharsets.UTF_8), "demo co2_monthly.csv");
            }
            output = output == null ? Path.of("forecast.csv") : output;
            chart = chart == null ? Path.of("forecast.png") : chart;
        } else {
            if (model == null || csv == null) {
                throw new IllegalArgumentException("give --model and --csv (or --demo)");
            }
            m = OnnxImporter.importModel(model);
            modelName = model.getFileName().toString();
            series = TimeSeriesCsv.read(csv);
        }
        Map<String, String> meta = m.metadata();
        Scaling scaling = Scaling.fromMetadata(meta).orElse(Scaling.identity());
        String col = column != null ? column : meta.getOrDefault(COLUMN, series.valueColumns().get(0));
        int w = window != null ? window : intMeta(meta, WINDOW, "--window");
        int k = holdout != null ? holdout : demo ? intMetaOr(meta, HOLDOUT, 0) : 0;
        int n = horizon != null ? horizon : k > 0 ? k : 12;
        Integer s = season != null ? season : meta.containsKey(SEASON) ? intMeta(meta, SEASON, "--season") : null;

        double[] values = series.column(col);
        TimeLabels labels = new TimeLabels(series.labels());
        int historyLength = values.length - k;
        if (k < 0 || historyLength < w) {
            throw new IllegalArgumentException("the series has " + values.length + " rows; holding out " + k + " leaves " + historyLength
                    + ", fewer than the window of " + w);
        }
        double[] history = Arrays.copyOf(values, historyLength);
        float[] lastWindow = new float[w * m.inputSize()];
        if (m.inputSize() != 1) {
            throw new IllegalArgumentException("model '" + m.name() + "' reads " + m.inputSize() + " features per step; the forecast command "
                    + "forecasts one column (use the Java Forecaster for multivariate series)");
        }
        for (int i = 0; i < w; i++) {
            lastWindow[i] = (float) scaling.scale(history[historyLength - w + i]);
        }

        String chosen = backend;
        if (chosen == null && demo && System.getProperty(Backends.PROPERTY) == null && System.getenv(Backends.ENVIRONMENT_VARIABLE) == null) {
            chosen = ReferenceBackendProvider.NAME;  // the demo shows the embedded default, which needs no native code
        }
        double[] forecast = new double[n];
        String backendName;
        long started = System.nanoTime();
        try (Predictor p = Backends.select(chosen).compile(m)) {
            backendName = p.backendName();
            FloatTensor f = new Forecaster(p, mode).forecast(FloatTensor.of(new int[] {1, w, 1}, lastWindow), n);
            for (int i = 0; i < n; i++) {
                forecast[i] = scaling.unscale(f.get(i));
            }
        }
        double millis = (System.nanoTime() - started) / 1e6;

        out.printf("Series '%s': %d steps (%s .. %s); model '%s', window %d, scaling %s; backend %s%n", col, values.length,
                labels.get(0), labels.get(values.length - 1), modelName, w, scaling.kind(), backendName);
        out.printf("Forecast of %d steps after %s in %.1f ms (%s)%n", n, labels.get(historyLength - 1), millis,
                mode == Forecaster.Mode.SLIDING_WINDOW ? "autoregressive, sliding window" : "autoregressive, stateful");
        double[] actual = Arrays.copyOfRange(values, historyLength, historyLength + Math.min(k, n));
        if (actual.length > 0) {
            out.printf("%nHeld-out tail: %d steps (%s .. %s)%n", actual.length, labels.get(historyLength),
                    labels.get(historyLength + actual.length - 1));
            out.printf("  %-26s %10s %10s %9s%n", "forecaster", "RMSE", "MAE", "MAPE");
            Accuracy lstm = Accuracy.of(actual, forecast);
            Accuracy last = Accuracy.of(actual, NaiveForecasts.lastValue(history, actual.length));
            row(out, "LSTM", lstm);
            row(out, "naive (last value)", last);
            Accuracy seasonal = null;
            if (s != null) {
                seasonal = Accuracy.of(actual, NaiveForecasts.seasonal(history, s, actual.length));
                row(out, "seasonal naive (season " + s + ")", seasonal);
            }
            double best = Math.min(last.rmse(), seasonal == null ? Double.POSITIVE_INFINITY : seasonal.rmse());
            out.printf("  LSTM RMSE is %.2fx the best naive baseline's (%s)%n", lstm.rmse() / best,
                    lstm.rmse() < best ? "the LSTM wins" : "the baseline wins");
        }
        List<String> futureLabels = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int row = historyLength + i;
            futureLabels.add(row < values.length ? labels.get(row) : labels.after(row - values.length + 1));
        }
        if (output != null) {
            writeCsv(output, series.labelColumn().orElse("step"), col, futureLabels, forecast, values, historyLength);
            out.println("wrote " + output);
        }
        if (chart != null) {
            ForecastChart.write(chart, "Forecast of " + col + " (" + modelName + ", backend " + backendName + ")", col, labels, history,
                    futureLabels, forecast, actual, w);
            out.println("wrote " + chart);
        }
        return 0;
    }

    private static void row(PrintWriter out, String name, Accuracy a) {
        out.printf("  %-26s %10.4f %10.4f %8.3f%%%n", name, a.rmse(), a.mae(), a.mape());
    }

    private static void writeCsv(Path file, String labelName, String col, List<String> labels, double[] forecast, double[] values,
                                 int historyLength) throws IOException {
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write(labelName + "," + col + "_forecast," + col + "_actual\n");
            for (int i = 0; i < forecast.length; i++) {
                int row = historyLength + i;
                w.write(labels.get(i) + "," + forecast[i] + "," + (row < values.length ? Double.toString(values[row]) : "") + "\n");
            }
        }
    }

    private static int intMeta(Map<String, String> meta, String key, String option) {
        String v = meta.get(key);
        if (v == null) {
            throw new IllegalArgumentException("the model records no '" + key + "'; give " + option);
        }
        return Integer.parseInt(v.strip());
    }

    private static int intMetaOr(Map<String, String> meta, String key, int fallback) {
        return meta.containsKey(key) ? Integer.parseInt(meta.get(key).strip()) : fallback;
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = ForecastCommand.class.getResourceAsStream(DEMO + name)) {
            if (in == null) {
                throw new IOException("the demo resource " + name + " is missing from the class path");
            }
            return in.readAllBytes();
        }
    }
}
