package org.lstm4j.tensor;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A time series read from CSV: a header line, then one observation per line. Columns whose
 * every value parses as a number are value columns; the first other column (a date, say) is
 * kept as the series' labels. Fields may be quoted with double quotes; empty lines are skipped.
 */
public final class TimeSeriesCsv {

    /** Lines longer than this are not a time series; refusing them keeps a hostile file from exhausting memory. */
    private static final int MAX_LINE_CHARS = 1 << 20;

    private final List<String> header;
    private final Map<String, double[]> values;
    private final String labelColumn;
    private final List<String> labels;

    private TimeSeriesCsv(List<String> header, Map<String, double[]> values, String labelColumn, List<String> labels) {
        this.header = header;
        this.values = values;
        this.labelColumn = labelColumn;
        this.labels = labels;
    }

    public static TimeSeriesCsv read(Path file) throws IOException {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return read(r, file.toString());
        }
    }

    /**
     * Reads CSV text; {@code source} names it in error messages.
     *
     * @throws CsvFormatException for text that is not a time series (message: source, line and reason);
     *                            lines over a million characters are refused rather than buffered
     */
    public static TimeSeriesCsv read(Reader reader, String source) throws IOException {
        BufferedReader in = reader instanceof BufferedReader b ? b : new BufferedReader(reader);
        List<String> header = null;
        List<List<String>> rows = new ArrayList<>();
        String line;
        int lineNo = 0;
        while ((line = readLine(in, source, lineNo + 1)) != null) {
            lineNo++;
            if (line.isBlank()) {
                continue;
            }
            List<String> fields = split(line, source, lineNo);
            if (header == null) {
                header = fields;
                continue;
            }
            if (fields.size() != header.size()) {
                throw new CsvFormatException(source + ":" + lineNo + ": " + fields.size() + " fields, the header has " + header.size());
            }
            rows.add(fields);
        }
        if (header == null) {
            throw new CsvFormatException(source + ": empty file (a header line and at least one row are expected)");
        }
        if (rows.isEmpty()) {
            throw new CsvFormatException(source + ": no rows after the header");
        }
        Map<String, double[]> numeric = new LinkedHashMap<>();
        String labelColumn = null;
        List<String> labels = null;
        for (int c = 0; c < header.size(); c++) {
            double[] col = new double[rows.size()];
            boolean isNumeric = true;
            for (int r = 0; r < rows.size() && isNumeric; r++) {
                try {
                    col[r] = Double.parseDouble(rows.get(r).get(c));
                } catch (NumberFormatException e) {
                    isNumeric = false;
                }
            }
            if (isNumeric) {
                numeric.put(header.get(c), col);
            } else if (labelColumn == null) {
                labelColumn = header.get(c);
                labels = new ArrayList<>(rows.size());
                for (List<String> row : rows) {
                    labels.add(row.get(c));
                }
            }
        }
        if (numeric.isEmpty()) {
            throw new CsvFormatException(source + ": no column holds only numbers (columns: " + header + ")");
        }
        return new TimeSeriesCsv(List.copyOf(header), numeric, labelColumn, labels == null ? null : List.copyOf(labels));
    }

    /** All column names in file order. */
    public List<String> header() {
        return header;
    }

    /** The names of the numeric columns. */
    public List<String> valueColumns() {
        return List.copyOf(values.keySet());
    }

    /** A numeric column's values; unknown or non-numeric names are an error that lists the numeric ones. */
    public double[] column(String name) {
        double[] v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException("no numeric column '" + name + "'; numeric columns: " + values.keySet());
        }
        return v.clone();
    }

    /** The label (date) column's name, if the file has a non-numeric column. */
    public Optional<String> labelColumn() {
        return Optional.ofNullable(labelColumn);
    }

    /** One label per row, or row numbers from 0 when the file has no label column. */
    public List<String> labels() {
        if (labels != null) {
            return labels;
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < length(); i++) {
            out.add(Integer.toString(i));
        }
        return out;
    }

    public int length() {
        return values.values().iterator().next().length;
    }

    private static String readLine(BufferedReader in, String source, int lineNo) throws IOException {
        StringBuilder sb = new StringBuilder();
        int ch;
        while ((ch = in.read()) != -1) {
            if (ch == '\n') {
                break;
            }
            if (ch != '\r') {
                sb.append((char) ch);
            }
            if (sb.length() > MAX_LINE_CHARS) {
                throw new CsvFormatException(source + ":" + lineNo + ": line longer than " + MAX_LINE_CHARS + " characters");
            }
        }
        return ch == -1 && sb.length() == 0 ? null : sb.toString();
    }

    private static List<String> split(String line, String source, int lineNo) throws CsvFormatException {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (quoted) {
                if (ch == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cur.append('"');
                    i++;
                } else if (ch == '"') {
                    quoted = false;
                } else {
                    cur.append(ch);
                }
            } else if (ch == '"') {
                quoted = true;
            } else if (ch == ',') {
                out.add(cur.toString().strip());
                cur.setLength(0);
            } else {
                cur.append(ch);
            }
        }
        if (quoted) {
            throw new CsvFormatException(source + ":" + lineNo + ": unterminated quoted field");
        }
        out.add(cur.toString().strip());
        return out;
    }

    /** A CSV file that is not a readable time series; the message names the file and line. */
    public static final class CsvFormatException extends IOException {
        public CsvFormatException(String message) {
            super(message);
        }
    }
}
