package org.lstm4j.cli;

import java.time.LocalDate;
import java.time.Year;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

/**
 * The labels of a series' rows (dates such as 1958-03 or 1958-03-29, years such as 1700, or anything
 * else), extended past the end for forecast steps and turned into chart dates when they are dates.
 */
final class TimeLabels {
    private final List<String> labels;
    private final List<LocalDate> dates;
    private final boolean monthly;
    private final boolean yearly;

    TimeLabels(List<String> labels) {
        this.labels = List.copyOf(labels);
        List<LocalDate> parsed = new ArrayList<>();
        boolean months = true;
        boolean years = true;
        for (String l : labels) {
            LocalDate d = parse(l);
            if (d == null) {
                parsed = null;
                break;
            }
            months &= l.strip().length() == 7;
            years &= l.strip().length() == 4;
            parsed.add(d);
        }
        this.dates = parsed;
        this.monthly = months;
        this.yearly = years;
    }

    private static LocalDate parse(String s) {
        String t = s.strip();
        try {
            if (t.length() == 4) {
                return t.chars().allMatch(Character::isDigit) ? Year.parse(t).atDay(1) : null;
            }
            return t.length() == 7 ? YearMonth.parse(t).atDay(1) : LocalDate.parse(t.length() > 10 ? t.substring(0, 10) : t);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    String get(int i) {
        return labels.get(i);
    }

    /** The label {@code k} steps (1-based) after the last row, by the spacing of the last two rows. */
    String after(int k) {
        if (dates == null || dates.size() < 2) {
            return "+" + k;
        }
        LocalDate last = dates.get(dates.size() - 1);
        LocalDate prev = dates.get(dates.size() - 2);
        if (yearly) {
            return Integer.toString(last.getYear() + (last.getYear() - prev.getYear()) * k);
        }
        if (monthly) {
            long step = ChronoUnit.MONTHS.between(prev, last);
            return YearMonth.from(last.plusMonths(step * k)).toString();
        }
        long step = ChronoUnit.DAYS.between(prev, last);
        return last.plusDays(step * k).toString();
    }

    /** Chart x values: dates where every label is one, else row numbers. */
    boolean areDates() {
        return dates != null && dates.size() >= 2;
    }

    /** How a chart writes these dates. */
    String datePattern() {
        return yearly ? "yyyy" : "yyyy-MM";
    }

    Date date(String label) {
        LocalDate d = parse(label);
        return d == null ? null : Date.from(d.atStartOfDay().toInstant(ZoneOffset.UTC));
    }
}
