package org.lstm4j.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * Draws the side-by-side chart (the script has no plotting library of its own): for each shape, each
 * engine's median time over the best Python anchor's as log10 (0 = as fast as the best anchor,
 * below 0 = faster).
 *
 * <pre>java -cp benchmarks.jar org.lstm4j.bench.ChartWriter ratios.tsv chart.png "title"</pre>
 * ratios.tsv: {@code shape<TAB>engine<TAB>ratio} per line.
 */
public final class ChartWriter {
    private ChartWriter() {
    }

    public static void main(String[] args) throws IOException {
        Map<String, Map<String, Double>> byEngine = new LinkedHashMap<>();
        Set<String> shapes = new LinkedHashSet<>();
        for (String line : Files.readAllLines(Path.of(args[0]), StandardCharsets.UTF_8)) {
            String[] f = line.split("\t");
            if (f.length != 3) {
                continue;
            }
            shapes.add(f[0]);
            byEngine.computeIfAbsent(f[1], k -> new LinkedHashMap<>()).put(f[0], Double.parseDouble(f[2]));
        }
        CategoryChart chart = new CategoryChartBuilder().width(1400).height(700).title(args.length > 2 ? args[2] : "lstm4j side by side")
                .xAxisTitle("workload").yAxisTitle("log10(median time / best Python anchor): below 0 = faster than the best anchor").build();
        // XChart's log axis refuses the gaps a missing backend leaves, so the axis is log10 itself.
        chart.getStyler().setYAxisDecimalPattern("0.0");
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setOverlapped(false);
        List<String> xs = new ArrayList<>(shapes);
        for (Map.Entry<String, Map<String, Double>> e : byEngine.entrySet()) {
            List<Double> ys = new ArrayList<>();
            for (String s : xs) {
                // XChart draws no bar for null; a backend without a figure for a shape shows a gap.
                Double r = e.getValue().get(s);
                ys.add(r == null ? null : Math.log10(r));
            }
            chart.addSeries(e.getKey(), xs, ys);
        }
        BitmapEncoder.saveBitmap(chart, args[1], BitmapEncoder.BitmapFormat.PNG);
    }
}
