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
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.lstm4j.backend.Backends;
import org.lstm4j.backend.java.fast.FastJavaBackendProvider;
import org.lstm4j.forecast.Accuracy;
import org.lstm4j.forecast.Forecaster;
import org.lstm4j.forecast.Scaling;
import org.lstm4j.forecast.evaluation.ClassicalMethods;
import org.lstm4j.forecast.evaluation.Evaluation;
import org.lstm4j.forecast.evaluation.ForecastMethod;
import org.lstm4j.forecast.evaluation.RollingOrigin;
import org.lstm4j.forecast.lstm.HybridMethod;
import org.lstm4j.forecast.lstm.LstmMethod;
import org.lstm4j.forecast.lstm.SmoothingMetadata;
import org.lstm4j.model.SequenceModel;
import org.lstm4j.onnx.OnnxImporter;
import org.lstm4j.predict.Predictor;
import org.lstm4j.tensor.TimeSeriesCsv;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code lstm forecast}: forecasts a time series from CSV with a model file, in the series' units,
 * next to the classical forecasts (naive, seasonal naive, exponential smoothing), scores them all
 * over a held-out tail from one or several origins, and writes the forecasts as CSV and a chart.
 */
@Command(name = "forecast", sortOptions = false,
        description = {"Forecast a time series with an LSTM model and score it on a held-out tail against naive forecasts and",
            "exponential smoothing, from one or several forecast origins (MASE, sMAPE, RMSE, MAE, MAPE).",
            "With --demo: the Mauna Loa CO2 record and an LSTM trained on it in Keras (shipped with lstm4j), on the",
            "embedded default backend (java-fast), writing forecast.csv and forecast.png."})
final class ForecastCommand implements Callable<Integer> {

    static final String DEMO = "/org/lstm4j/examples/demo/";
    static final String COLUMN = "lstm4j.column";
    static final String SEASON = "lstm4j.season";
    static final String HOLDOUT = "lstm4j.holdout";
    static final String HORIZON = "lstm4j.horizon";
    static final String ORIGINS = "lstm4j.origins";

    @Spec
    CommandSpec spec;

    /** The bundled demos: a series and the model trained on it by tools/demo/train_demo.py. */
    static final Map<String, String[]> DEMOS = Map.of(
            "co2", new String[] {"co2_lstm.onnx", "co2_monthly.csv"},
            "sunspots", new String[] {"sunspots_lstm.onnx", "sunspots_yearly.csv"});

    @Option(names = "--demo", arity = "0..1", fallbackValue = "co2", paramLabel = "NAME",
            description = "Run a bundled demo (no network, no files needed): co2 (the default) or sunspots.")
    String demo;

    @Option(names = "--model", paramLabel = "M.onnx", description = "The model file; its metadata may record scaling, window, column, season, horizon.")
    Path model;

    @Option(names = "--csv", paramLabel = "series.csv", description = "The series: a header line, then one row per step; a date column is kept.")
    Path csv;

    @Option(names = "--column", paramLabel = "NAME", description = "The value column (default: the model's recorded column, else the first numeric one).")
    String column;

    @Option(names = "--window", paramLabel = "W", description = "Steps the model reads (default: the model's recorded window).")
    Integer window;

    @Option(names = "--horizon", paramLabel = "N", description = "Steps to forecast from each origin (default: the model's recorded horizon, else the held-out tail with one origin, else 12).")
    Integer horizon;

    @Option(names = "--holdout", paramLabel = "K", description = "Hold out the last K steps and score the forecasts on them (default: 0; the demo's recorded tail with --demo).")
    Integer holdout;

    @Option(names = "--origins", paramLabel = "N", description = "Forecast origins spread evenly over the held-out tail, the last one leaving a whole horizon (default: 1; the demo's recorded number with --demo).")
    Integer origins;

    @Option(names = "--season", paramLabel = "S", description = "Season length: seasonal naive, Holt-Winters and the MASE scale (default: the model's recorded season, else 1).")
    Integer season;

    @Option(names = "--backend", paramLabel = "NAME", description = "Backend (default: the rules of 'lstm backends'; the embedded default, java-fast, with --demo).")
    String backend;

    @Option(names = "--mode", description = "SLIDING_WINDOW (default: re-read the latest window, as window-trained models expect) or STATEFUL.")
    Forecaster.Mode mode = Forecaster.Mode.SLIDING_WINDOW;

    @Option(names = "--output", paramLabel = "forecast.csv", description = "Where to write the forecasts (default with --demo: forecast.csv).")
    Path output;

    @Option(names = "--chart", paramLabel = "forecast.png", description = "Where to draw the chart (default with --demo: forecast.png).")
    Path chart;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        SequenceModel m;
        TimeSeriesCsv series;
        String modelName;
        if (demo != null) {
            String[] files = DEMOS.get(demo);
            if (files == null) {
                throw new IllegalArgumentException("no demo '" + demo + "'; the demos are " + new java.util.TreeSet<>(DEMOS.keySet()));
            }
            modelName = files[0] + " (demo)";
            m = OnnxImporter.importModel(resource(files[0]), "demo " + files[0]);
            series = TimeSeriesCsv.read(new InputStreamReader(new java.io.ByteArrayInputStream(resource(files[1])), StandardCharsets.UTF_8),
                    "demo " + files[1]);
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
        int w = window != null ? window : intMeta(meta, LstmMethod.WINDOW, "--window");
        int k = holdout != null ? holdout : demo != null ? intMetaOr(meta, HOLDOUT, 0) : 0;
        int count = origins != null ? origins : demo != null ? intMetaOr(meta, ORIGINS, 1) : 1;
        int n = horizon != null ? horizon : intMetaOr(meta, HORIZON, k > 0 && count == 1 ? k : 12);
        int s = season != null ? season : intMetaOr(meta, SEASON, 1);
        if (m.inputSize() != 1) {
            throw new IllegalArgumentException("model '" + m.name() + "' reads " + m.inputSize() + " features per step; the forecast command "
                    + "forecasts one column (use the Java Forecaster for multivariate series)");
        }

        double[] values = series.column(col);
        TimeLabels labels = new TimeLabels(series.labels());
        if (k < 0 || k >= values.length) {
            throw new IllegalArgumentException("--holdout " + k + " must be between 0 and the series' " + (values.length - 1) + " steps");
        }
        RollingOrigin design = k > 0 ? RollingOrigin.overTail(values.length, k, n, count) : new RollingOrigin(new int[] {values.length}, n);
        double[] training = Arrays.copyOf(values, design.trainingLength());
        if (training.length < w) {
            throw new IllegalArgumentException("the series has " + values.length + " rows; holding out " + k + " leaves " + training.length
                    + ", fewer than the window of " + w);
        }

        String chosen = backend;
        if (chosen == null && demo != null && System.getProperty(Backends.PROPERTY) == null && System.getenv(Backends.ENVIRONMENT_VARIABLE) == null) {
            chosen = FastJavaBackendProvider.NAME;  // the demo shows the embedded default, which needs no native code
        }
        long started = System.nanoTime();
        List<ForecastMethod> methods = new ArrayList<>(ClassicalMethods.fitted(training, s));
        double fitMillis = (System.nanoTime() - started) / 1e6;
        try (Predictor p = Backends.select(chosen).compile(m)) {
            ForecastMethod lstm = LstmMethod.fromModel(p, w, mode);
            boolean hybrid = lstm instanceof HybridMethod;
            methods.add(0, lstm);
            out.printf("Series '%s': %d steps (%s .. %s); model '%s'%s, window %d, scaling %s; backend %s%n", col, values.length,
                    labels.get(0), labels.get(values.length - 1), modelName,
                    hybrid ? " (ES hybrid: corrects " + SmoothingMetadata.read(meta).model() + ")" : "", w, scaling.kind(), p.backendName());
            started = System.nanoTime();
            double[][] lstmForecasts = lstm.forecast(values, design.origins(), n);
            out.printf("LSTM: %d steps from %d origin%s in %.1f ms on %s (%s); classical forecasters fitted in %.0f ms%n", n,
                    design.origins().length, design.origins().length == 1 ? "" : "s", (System.nanoTime() - started) / 1e6, p.backendName(),
                    hybrid ? "one model call for all origins" : mode == Forecaster.Mode.SLIDING_WINDOW ? "autoregressive, sliding window"
                            : "autoregressive, stateful", fitMillis);
            List<Evaluation> runs = new ArrayList<>();
            for (ForecastMethod method : methods) {
                double[][] f = method == lstm ? lstmForecasts : method.forecast(values, design.origins(), n);
                runs.add(k > 0 ? design.score(values, method.name(), f, s) : new Evaluation(method.name(), design, f, List.of()));
            }
            // the chart: the LSTM and the best classical forecaster (without a holdout, the richest smoothing that applies)
            Evaluation classical = k > 0 ? printScores(out, meta, runs, labels, values.length, s) : runs.get(runs.size() - 1);
            List<ForecastChart.Line> lines = List.of(tiled(runs.get(0)), tiled(classical));
            if (output != null) {
                writeCsv(output, col, labels, values, runs);
                out.println("wrote " + output);
            }
            if (chart != null) {
                ForecastChart.write(chart, "Forecasts of " + col + " (" + modelName + ", backend " + p.backendName() + ")", col, labels, values,
                        design.trainingLength(), lines, w);
                out.println("wrote " + chart);
            }
        }
        return 0;
    }

    /**
     * Prints the held-out evaluation: the design, the table (with the model's recorded reference rows)
     * and the verdict; returns the best classical forecaster computed here, for the chart.
     */
    private static Evaluation printScores(PrintWriter out, Map<String, String> meta, List<Evaluation> runs, TimeLabels labels, int length,
                                          int season) {
        RollingOrigin design = runs.get(0).design();
        int[] o = design.origins();
        int k = length - o[0];
        out.printf("%nHeld-out tail: %d steps (%s .. %s); forecasts of %d steps from %s; every forecaster fitted once on the %d "
                + "steps before the first origin; MASE scaled by the in-sample seasonal naive (season %d) error%n", k,
                labels.get(o[0]), labels.get(length - 1), design.horizon(), o.length == 1 ? "one origin, after " + labels.get(o[0] - 1)
                        : o.length + " origins, after " + labels.get(o[0] - 1) + " .. " + labels.get(o[o.length - 1] - 1),
                design.trainingLength(), season);
        List<Evaluation> classical = runs.subList(1, runs.size());
        List<ForecastTable.Row> rows = new ArrayList<>();
        classical.forEach(e -> rows.add(ForecastTable.Row.of(e)));
        rows.addAll(ForecastTable.references(meta, k, design.horizon(), o.length));
        ForecastTable.Row best = ForecastTable.print(out, ForecastTable.Row.of(runs.get(0)), rows);
        // a reference row has no forecasts to draw: then the best of those computed here
        return classical.stream().filter(e -> e.method().equals(best.name())).findFirst()
                .orElseGet(() -> classical.stream().min(Comparator.comparingDouble(e -> e.mean(Accuracy::mase))).orElseThrow());
    }

    /** One row per forecaster, origin and step: the forecast, and the actual value where the series has it. */
    private static void writeCsv(Path file, String col, TimeLabels labels, double[] values, List<Evaluation> runs) throws IOException {
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("forecaster,origin,step,date," + col + "_forecast," + col + "_actual\n");
            for (Evaluation e : runs) {
                int[] origins = e.design().origins();
                for (int i = 0; i < origins.length; i++) {
                    for (int h = 0; h < e.design().horizon(); h++) {
                        int row = origins[i] + h;
                        w.write(e.method() + "," + labels.get(origins[i] - 1) + "," + (h + 1) + ","
                                + (row < values.length ? labels.get(row) : labels.after(row - values.length + 1)) + "," + e.forecasts()[i][h] + ","
                                + (row < values.length ? Double.toString(values[row]) : "") + "\n");
                    }
                }
            }
        }
    }

    /** A method's forecasts from the origins that tile the tail, as one chart line. */
    private static ForecastChart.Line tiled(Evaluation e) {
        List<Integer> rows = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        int horizon = e.design().horizon();
        for (int origin : e.design().tiling()) {
            double[] f = e.forecastFrom(origin);
            for (int h = 0; h < horizon; h++) {
                rows.add(origin + h);
                values.add(f[h]);
            }
        }
        return new ForecastChart.Line(e.method(), rows.stream().mapToInt(Integer::intValue).toArray(),
                values.stream().mapToDouble(Double::doubleValue).toArray());
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
