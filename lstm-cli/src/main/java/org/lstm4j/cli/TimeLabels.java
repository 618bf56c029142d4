package org.lstm4j.cli;

import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

/**
 * The labels of a series' rows (dates such as 1958-03 or 1958-03-29, or anything else), extended
 * past the end for forecast steps and turned into chart dates when they are dates.
 */
final class TimeLabels {
    private final List<String> labels;
    private final List<LocalDate> dates;
    private final boolean monthly;

    TimeLabels(List<String> labels) {
        this.labels = List.copyOf(labels);
        List<LocalDate> parsed = new ArrayList<>();
        boolean months = true;
        for (String l : labels) {
            LocalDate d = parse(l);
            if (d == null) {
                parsed = null;
                break;
            }
            months &= l.strip().length() == 7;
            parsed.add(d);
        }
        this.dates = parsed;
        this.monthly = months;
    }

    private static LocalDate parse(String s) {
        String t = s.strip();
        try {
            return t.length() == 7 ? YearMonth.parse(t).atDay(1) : LocalDate.parse(t.length() > 10 ? t.substring(0, 10) : t);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    String get(int i) {
        return labels.get(i);
    }

    /**
     * The label {@code k} steps (1-based) after the last row, by the spacing of the last two rows:
     * in whole months when they fall on the same day of the month (monthly, quarterly, yearly
     * series), else in days.
     */
    String after(int k) {
        if (dates == null || dates.size() < 2) {
            return "+" + k;
        }
        LocalDate last = dates.get(dates.size() - 1);
        long months = monthStep();
        if (months > 0) {
            LocalDate next = last.plusMonths(months * k);
            return monthly ? YearMonth.from(next).toString() : next.toString();
        }
        long step = ChronoUnit.DAYS.between(dates.get(dates.size() - 2), last);
        return last.plusDays(step * k).toString();
    }

    /** Months between the last two rows when they fall on the same day of the month, else 0. */
    private long monthStep() {
        LocalDate last = dates.get(dates.size() - 1);
        LocalDate prev = dates.get(dates.size() - 2);
        return prev.getDayOfMonth() == last.getDayOfMonth() ? Math.max(0, ChronoUnit.MONTHS.between(prev, last)) : 0;
    }

    /** How a chart writes these dates: years alone for a yearly series. */
    String datePattern() {
        return areDates() && monthStep() % 12 == 0 && monthStep() > 0 ? "yyyy" : "yyyy-MM";
    }

    /** Chart x values: dates where every label is one, else row numbers. */
    boolean areDates() {
        return dates != null && dates.size() >= 2;
    }

    Date date(String label) {
        LocalDate d = parse(label);
        return d == null ? null : Date.from(d.atStartOfDay().toInstant(ZoneOffset.UTC));
    }
}
