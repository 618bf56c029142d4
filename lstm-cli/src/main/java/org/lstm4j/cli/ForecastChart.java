package org.lstm4j.cli;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Draws history, forecast and held-out actuals with XChart. */
final class ForecastChart {
    private ForecastChart() {
    }

    static void write(Path file, String title, String column, TimeLabels labels, double[] history, List<String> futureLabels,
                      double[] forecast, double[] actual, int window) throws IOException {
        System.setProperty("java.awt.headless", "true");
        XYChart chart = new XYChartBuilder().width(1100).height(550).title(title).xAxisTitle(labels.areDates() ? "date" : "step")
                .yAxisTitle(column).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotGridLinesColor(new Color(225, 225, 225));
        if (labels.areDates()) {
            chart.getStyler().setDatePattern("yyyy-MM");
        }
        // Enough history to see the level and a few seasons, not the whole record.
        int from = Math.max(0, history.length - Math.max(4 * window, 8 * forecast.length));
        List<Object> hx = new ArrayList<>();
        List<Double> hy = new ArrayList<>();
        for (int i = from; i < history.length; i++) {
            hx.add(x(labels, labels.get(i), i));
            hy.add(history[i]);
        }
        // Forecast and actuals start from the last observation, so that the lines join the history.
        List<Object> fx = new ArrayList<>(List.of(hx.get(hx.size() - 1)));
        List<Double> fy = new ArrayList<>(List.of(history[history.length - 1]));
        for (int i = 0; i < forecast.length; i++) {
            fx.add(x(labels, futureLabels.get(i), history.length + i));
            fy.add(forecast[i]);
        }
        addSeries(chart, "history", hx, hy, new Color(60, 60, 60));
        if (actual.length > 0) {
            List<Double> ay = new ArrayList<>(List.of(history[history.length - 1]));
            ay.addAll(toList(actual));
            addSeries(chart, "actual (held out)", fx.subList(0, actual.length + 1), ay, new Color(40, 130, 40));
        }
        XYSeries f = addSeries(chart, "LSTM forecast", fx, fy, new Color(200, 60, 30));
        f.setLineStyle(new BasicStroke(2.2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 10f, new float[] {8f, 5f}, 0f));
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        BitmapEncoder.saveBitmapWithDPI(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG, 110);
        if (!file.toString().toLowerCase().endsWith(".png")) {
            // XChart appends the extension; keep the name the user asked for.
            Files.move(Path.of(file + ".png"), file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static Object x(TimeLabels labels, String label, int index) {
        if (labels.areDates()) {
            Date d = labels.date(label);
            if (d != null) {
                return d;
            }
        }
        return index;
    }

    @SuppressWarnings("unchecked")
    private static XYSeries addSeries(XYChart chart, String name, List<Object> x, List<Double> y, Color color) {
        XYSeries s = x.get(0) instanceof Date
                ? chart.addSeries(name, (List<Date>) (List<?>) x, y)
                : chart.addSeries(name, (List<Integer>) (List<?>) x, y);
        s.setMarker(SeriesMarkers.NONE);
        s.setLineColor(color);
        return s;
    }

    private static List<Double> toList(double[] a) {
        List<Double> out = new ArrayList<>();
        for (double v : a) {
            out.add(v);
        }
        return out;
    }
}
