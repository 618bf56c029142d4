package org.lstm4j.examples;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.lstm4j.backend.Backends;
import org.lstm4j.forecast.Accuracy;
import org.lstm4j.forecast.Forecaster;
import org.lstm4j.forecast.evaluation.ClassicalMethods;
import org.lstm4j.forecast.evaluation.Evaluation;
import org.lstm4j.forecast.evaluation.ForecastMethod;
import org.lstm4j.forecast.evaluation.RollingOrigin;
import org.lstm4j.forecast.lstm.LstmMethod;
import org.lstm4j.model.SequenceModel;
import org.lstm4j.onnx.OnnxImporter;
import org.lstm4j.predict.Predictor;
import org.lstm4j.tensor.TimeSeriesCsv;

/**
 * Forecasting a series in Java, measured as forecasters measure: the demo's Keras-trained CO2 model
 * (its scaling, window and smoothing read from the model file), and the classical forecasters fitted
 * on the same months, each forecasting 12 months from 4 origins over the last 36, scored by MASE.
 * Replace the two resources with your own .onnx and CSV.
 *
 * <pre>./lstm example forecast [backend]</pre>
 */
public final class ForecastExample {

    public static void main(String[] args) {
        try {
            SequenceModel model = OnnxImporter.importModel(bytes("co2_lstm.onnx"), "co2_lstm.onnx");
            TimeSeriesCsv csv = TimeSeriesCsv.read(new InputStreamReader(new java.io.ByteArrayInputStream(bytes("co2_monthly.csv")),
                    StandardCharsets.UTF_8), "co2_monthly.csv");
            double[] series = csv.column(csv.valueColumns().get(0));
            int season = 12;
            RollingOrigin design = RollingOrigin.overTail(series.length, 36, 12, 4);
            double[] training = Arrays.copyOf(series, design.trainingLength());
            try (Predictor predictor = Backends.select(args.length > 0 ? args[0] : null).compile(model)) {
                List<ForecastMethod> methods = new ArrayList<>(List.of(LstmMethod.fromModel(predictor, null, Forecaster.Mode.SLIDING_WINDOW)));
                methods.addAll(ClassicalMethods.fitted(training, season));
                System.out.printf("backend %s; 12-month forecasts from %d origins over the last 36 months%n", predictor.backendName(),
                        design.origins().length);
                for (ForecastMethod method : methods) {
                    Evaluation e = design.evaluate(series, method, season);
                    System.out.printf("  %-30s MASE %.3f  sMAPE %.3f%%%n", method.name(), e.mean(Accuracy::mase), e.mean(Accuracy::smape));
                }
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
