package org.lstm4j.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TimeSeriesCsvTest {

    @Test
    void keepsTheDateColumnAsLabelsAndReadsNumbers() throws IOException {
        TimeSeriesCsv csv = TimeSeriesCsv.read(new StringReader("date,co2,\"note\"\r\n1958-03,315.7,a\n\n1958-04,317.45,\"b, c\"\n"), "t.csv");
        assertEquals(Optional.of("date"), csv.labelColumn());
        assertEquals(List.of("1958-03", "1958-04"), csv.labels());
        assertEquals(List.of("co2"), csv.valueColumns());
        assertArrayEquals(new double[] {315.7, 317.45}, csv.column("co2"));
    }

    @Test
    void anUnknownColumnListsTheNumericOnes() throws IOException {
        TimeSeriesCsv csv = TimeSeriesCsv.read(new StringReader("t,a,b\n1,2,3\n"), "t.csv");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> csv.column("c"));
        assertTrue(e.getMessage().contains("[t, a, b]"), e.getMessage());
    }

    @Test
    void aShortRowNamesTheFileAndLine() {
        TimeSeriesCsv.CsvFormatException e = assertThrows(TimeSeriesCsv.CsvFormatException.class,
                () -> TimeSeriesCsv.read(new StringReader("a,b\n1,2\n3\n"), "s.csv"));
        assertTrue(e.getMessage().startsWith("s.csv:3:"), e.getMessage());
    }

    @Test
    void anEmptyFileIsRefused() {
        assertThrows(TimeSeriesCsv.CsvFormatException.class, () -> TimeSeriesCsv.read(new StringReader(""), "e.csv"));
    }
}
