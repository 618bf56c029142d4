package org.lstm4j.examples;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.lstm4j.backend.Backends;
import org.lstm4j.forecast.Accuracy;
import org.lstm4j.forecast.Forecaster;
import org.lstm4j.forecast.NaiveForecasts;
import org.lstm4j.forecast.Scaling;
import org.lstm4j.model.SequenceModel;
import org.lstm4j.onnx.OnnxImporter;
import org.lstm4j.predict.Predictor;
import org.lstm4j.tensor.FloatTensor;
import org.lstm4j.tensor.TimeSeriesCsv;

/**
 * Forecasting a series in Java: the demo's Keras-trained CO2 model, its scaling read from the
 * model file, a 24-step forecast from the last window before a held-out tail, scored against the
 * naive baseline. Replace the two resources with your own .onnx and CSV.
 *
 * <pre>./lstm example forecast [backend]</pre>
 */
public final class ForecastExample {

    public static void main(String[] args) {
        try {
            SequenceModel model = OnnxImporter.importModel(bytes("co2_lstm.onnx"), "co2_lstm.onnx");
            Scaling scaling = Scaling.fromMetadata(model.metadata()).orElse(Scaling.identity());
            int window = Integer.parseInt(model.metadata().getOrDefault("lstm4j.window", "24"));
            TimeSeriesCsv csv;
            try (InputStream in = ForecastExample.class.getResourceAsStream("/org/lstm4j/examples/demo/co2_monthly.csv")) {
                csv = TimeSeriesCsv.read(new InputStreamReader(in, StandardCharsets.UTF_8), "co2_monthly.csv");
            }
            double[] series = csv.column(csv.valueColumns().get(0));
            int horizon = 24;
            double[] history = Arrays.copyOf(series, series.length - horizon);
            float[] window0 = new float[window];
            for (int i = 0; i < window; i++) {
                window0[i] = (float) scaling.scale(history[history.length - window + i]);
            }
            try (Predictor predictor = Backends.select(args.length > 0 ? args[0] : null).compile(model)) {
                FloatTensor scaled = new Forecaster(predictor).forecast(FloatTensor.of(new int[] {1, window, 1}, window0), horizon);
                double[] forecast = new double[horizon];
                for (int i = 0; i < horizon; i++) {
                    forecast[i] = scaling.unscale(scaled.get(i));
                }
                double[] actual = Arrays.copyOfRange(series, history.length, series.length);
                System.out.printf("backend %s, %d-step forecast from %s%n", predictor.backendName(), horizon, csv.labels().get(history.length - 1));
                System.out.printf("LSTM RMSE %.3f vs naive last value %.3f%n", Accuracy.of(actual, forecast).rmse(),
                        Accuracy.of(actual, NaiveForecasts.lastValue(history, horizon)).rmse());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] bytes(String name) throws IOException {
        try (InputStream in = ForecastExample.class.getResourceAsStream("/org/lstm4j/examples/demo/" + name)) {
            return in.readAllBytes();
        }
    }
}
