package org.lstm4j.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.lstm4j.forecast.Accuracy;
import org.lstm4j.forecast.evaluation.Evaluation;

/**
 * The accuracy table of {@code lstm forecast --holdout}: one row per forecaster, mean (and spread of
 * MASE) over the forecast origins, and a verdict computed from the numbers as printed.
 */
final class ForecastTable {

    /** Reference rows recorded in model metadata, computed elsewhere (by statsmodels at training time). */
    static final String REFERENCE = "lstm4j.reference.";

    /** One printed row; {@code note} says where a reference row's numbers come from. */
    record Row(String name, double mase, double maseSd, double smape, double rmse, double mae, double mape, String note) {

        static Row of(Evaluation e) {
            return new Row(e.method(), e.mean(Accuracy::mase), e.sd(Accuracy::mase), e.mean(Accuracy::smape), e.mean(Accuracy::rmse),
                    e.mean(Accuracy::mae), e.mean(Accuracy::mape), null);
        }

        /** MASE as printed: the verdict compares these, so that it is true by the table. */
        double printedMase() {
            return Double.parseDouble(String.format(Locale.ROOT, "%.3f", mase));
        }
    }

    private ForecastTable() {
    }

    /**
     * The reference rows in {@code metadata} recorded for this evaluation design (the same holdout,
     * horizon and number of origins); each entry is {@code lstm4j.reference.NAME = "holdout=36;
     * horizon=12; origins=25; mase=..; mase_sd=..; smape=..; rmse=..; mae=..; mape=..; source=.."}.
     */
    static List<Row> references(Map<String, String> metadata, int holdout, int horizon, int origins) {
        List<Row> out = new ArrayList<>();
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            if (!e.getKey().startsWith(REFERENCE)) {
                continue;
            }
            Map<String, String> f = new HashMap<>();
            for (String part : e.getValue().split(";")) {
                int eq = part.indexOf('=');
                if (eq > 0) {
                    f.put(part.substring(0, eq).strip(), part.substring(eq + 1).strip());
                }
            }
            try {
                if (Integer.parseInt(f.get("holdout")) == holdout && Integer.parseInt(f.get("horizon")) == horizon
                        && Integer.parseInt(f.get("origins")) == origins) {
                    out.add(new Row(e.getKey().substring(REFERENCE.length()), num(f, "mase"), num(f, "mase_sd"), num(f, "smape"),
                            num(f, "rmse"), num(f, "mae"), num(f, "mape"), f.getOrDefault("source", "recorded in the model")));
                }
            } catch (RuntimeException bad) {
                throw new IllegalArgumentException("model metadata '" + e.getKey() + "' is not a reference row of the form "
                        + "'holdout=..; horizon=..; origins=..; mase=..; mase_sd=..; smape=..; rmse=..; mae=..; mape=..; source=..': '"
                        + e.getValue() + "'");
            }
        }
        return out;
    }

    private static double num(Map<String, String> f, String key) {
        return Double.parseDouble(f.get(key));
    }

    /** Prints the LSTM's row, then the classical rows best first, then the verdict; returns the best classical row. */
    static Row print(PrintWriter out, Row lstm, List<Row> classical) {
        List<Row> sorted = new ArrayList<>(classical);
        sorted.sort(Comparator.comparingDouble(Row::mase));
        out.printf("  %-34s %15s %8s %9s %9s %8s%n", "forecaster", "MASE (mean ± sd)", "sMAPE", "RMSE", "MAE", "MAPE");
        row(out, lstm);
        for (Row r : sorted) {
            row(out, r);
        }
        for (Row r : sorted) {
            if (r.note() != null) {
                out.printf("  * %s: %s%n", r.name(), r.note());
            }
        }
        Row best = sorted.get(0);
        double ratio = lstm.printedMase() / best.printedMase();
        String winner = lstm.printedMase() < best.printedMase() ? "the LSTM wins" : lstm.printedMase() == best.printedMase() ? "a tie"
                : best.name() + " wins";
        out.printf("  Verdict: the LSTM's MASE is %.2fx that of the best classical forecaster, %s (%.3f vs %.3f): %s.%n", ratio,
                best.name(), lstm.printedMase(), best.printedMase(), winner);
        return best;
    }

    private static void row(PrintWriter out, Row r) {
        out.printf(Locale.ROOT, "  %-34s %7.3f ± %5.3f %7.3f%% %9.4f %9.4f %7.3f%%%n", r.name() + (r.note() != null ? " *" : ""), r.mase(),
                r.maseSd(), r.smape(), r.rmse(), r.mae(), r.mape());
    }
}
