package org.lstm4j.cli;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Draws the history, the held-out actuals and the forecasts of several methods with XChart. */
final class ForecastChart {

    /** One method's forecast: {@code values[i]} at row {@code rows[i]} (rows past the series are future steps). */
    record Line(String name, int[] rows, double[] values) {
    }

    private static final Color[] COLORS = {new Color(200, 60, 30), new Color(30, 90, 200), new Color(150, 60, 170), new Color(200, 140, 0)};

    private ForecastChart() {
    }

    /**
     * @param values       every observation of the series
     * @param firstUnseen  the first row no method has seen (the first origin; {@code values.length} without a holdout)
     */
    static void write(Path file, String title, String column, TimeLabels labels, double[] values, int firstUnseen, List<Line> forecasts,
                      int window) throws IOException {
        System.setProperty("java.awt.headless", "true");
        XYChart chart = new XYChartBuilder().width(1100).height(550).title(title).xAxisTitle(labels.areDates() ? "date" : "step")
                .yAxisTitle(column).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotGridLinesColor(new Color(225, 225, 225));
        if (labels.areDates()) {
            chart.getStyler().setDatePattern(labels.datePattern());
        }
        int last = firstUnseen;
        for (Line f : forecasts) {
            last = Math.max(last, f.rows()[f.rows().length - 1] + 1);
        }
        // Enough history to see the level and a few seasons, not the whole record.
        int from = Math.max(0, firstUnseen - Math.max(4 * window, 3 * (last - firstUnseen)));
        addSeries(chart, "history", labels, values, from, firstUnseen, new Color(60, 60, 60));
        if (firstUnseen < values.length) {
            // the actuals start from the last seen observation, so that the lines join
            addSeries(chart, "actual (held out)", labels, values, firstUnseen - 1, values.length, new Color(40, 130, 40));
        }
        for (int i = 0; i < forecasts.size(); i++) {
            Line f = forecasts.get(i);
            List<Object> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            for (int j = 0; j < f.rows().length; j++) {
                x.add(x(labels, values.length, f.rows()[j]));
                y.add(f.values()[j]);
            }
            XYSeries s = add(chart, f.name(), x, y, COLORS[i % COLORS.length]);
            s.setLineStyle(new BasicStroke(2.2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 10f,
                    i == 0 ? new float[] {8f, 5f} : new float[] {3f, 4f}, 0f));
        }
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        BitmapEncoder.saveBitmapWithDPI(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG, 110);
        if (!file.toString().toLowerCase().endsWith(".png")) {
            // XChart appends the extension; keep the name the user asked for.
            Files.move(Path.of(file + ".png"), file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void addSeries(XYChart chart, String name, TimeLabels labels, double[] values, int from, int to, Color color) {
        List<Object> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        for (int i = Math.max(0, from); i < to; i++) {
            x.add(x(labels, values.length, i));
            y.add(values[i]);
        }
        add(chart, name, x, y, color);
    }

    private static Object x(TimeLabels labels, int length, int row) {
        if (labels.areDates()) {
            Date d = labels.date(row < length ? labels.get(row) : labels.after(row - length + 1));
            if (d != null) {
                return d;
            }
        }
        return row;
    }

    @SuppressWarnings("unchecked")
    private static XYSeries add(XYChart chart, String name, List<Object> x, List<Double> y, Color color) {
        XYSeries s = x.get(0) instanceof Date
                ? chart.addSeries(name, (List<Date>) (List<?>) x, y)
                : chart.addSeries(name, (List<Integer>) (List<?>) x, y);
        s.setMarker(SeriesMarkers.NONE);
        s.setLineColor(color);
        return s;
    }
}
