package org.lstm4j.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import org.lstm4j.tensor.TimeSeriesCsv;

/**
 * Fuzzes {@link TimeSeriesCsv#read(java.io.Reader, String)}: any text either reads as a series
 * whose every accessor works, or is refused with {@link TimeSeriesCsv.CsvFormatException} naming
 * the source. Anything else, an {@link OutOfMemoryError} or a hang is a finding.
 *
 * <p>Seeds: {@code src/test/resources/org/lstm4j/reliability/CsvFuzzTestInputs/readsOrRefuses/}.
 */
class CsvFuzzTest {

    private static final String SOURCE = "fuzz.csv";

    @FuzzTest(maxDuration = "5m")
    void readsOrRefuses(byte[] bytes) throws IOException {
        String text = new String(bytes, StandardCharsets.UTF_8);
        TimeSeriesCsv csv;
        try {
            csv = TimeSeriesCsv.read(new StringReader(text), SOURCE);
        } catch (TimeSeriesCsv.CsvFormatException e) {
            assertTrue(e.getMessage().startsWith(SOURCE), "a refusal names its source: " + e.getMessage());
            return;
        }
        assertFalse(csv.valueColumns().isEmpty());
        int length = csv.length();
        assertTrue(length > 0);
        assertEquals(length, csv.labels().size());
        for (String column : csv.valueColumns()) {
            assertEquals(length, csv.column(column).length, column);
        }
        csv.labelColumn().ifPresent(label -> assertTrue(csv.header().contains(label)));
    }
}
