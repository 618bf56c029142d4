package org.lstm4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class TimeLabelsTest {

    @Test
    void monthlyQuarterlyAndYearlyDatesStepInWholeMonths() {
        assertEquals("2002-01-01", new TimeLabels(List.of("2001-11-01", "2001-12-01")).after(1));
        assertEquals("2002-04-01", new TimeLabels(List.of("2001-07-01", "2001-10-01")).after(2));
        TimeLabels years = new TimeLabels(List.of("2007-01-01", "2008-01-01"));
        assertEquals("2010-01-01", years.after(2));
        assertEquals("yyyy", years.datePattern());
        assertEquals("2002-02", new TimeLabels(List.of("2001-11", "2001-12")).after(2));
        assertEquals("yyyy-MM", new TimeLabels(List.of("2001-11", "2001-12")).datePattern());
    }

    @Test
    void otherDatesStepInDaysAndOtherLabelsCount() {
        assertEquals("2001-01-15", new TimeLabels(List.of("2001-01-01", "2001-01-08")).after(1));
        assertEquals("+3", new TimeLabels(List.of("a", "b")).after(3));
    }
}
