package dev.kiln.magics.data;

import dev.kiln.magics.parquet.CsvFormat;
import dev.kiln.magics.parquet.ParquetSummary;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * Rows and schema of a table file, for {@code kiln data diff}: a CSV file's records (RFC 4180, so
 * a quoted field may hold line breaks) and header, or a Parquet file's row count and typed columns
 * from its footer alone.
 *
 * @param columns column name to type ({@code null} for CSV, which has no types), in file order
 */
record TableSummary(long rows, Map<String, String> columns) {

    /** Whether {@code kiln data diff} describes files with this name. */
    static boolean describes(String path) {
        String p = path.toLowerCase(Locale.ROOT);
        return p.endsWith(".csv") || p.endsWith(".csv.gz") || p.endsWith(".parquet");
    }

    /** The summary of a file, or {@code null} when it cannot be read as the table its name says. */
    static TableSummary of(Path file, String name) {
        try {
            return name.toLowerCase(Locale.ROOT).endsWith(".parquet") ? parquet(file) : csv(file);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static TableSummary parquet(Path file) throws IOException {
        ParquetSummary s = ParquetSummary.of(file);
        Map<String, String> cols = new LinkedHashMap<>();
        for (ParquetSummary.ColumnSummary c : s.columns()) {
            cols.put(c.name(), c.type());
        }
        return new TableSummary(s.rows(), cols);
    }

    private static TableSummary csv(Path file) throws IOException {
        try (InputStream raw = Files.newInputStream(file);
             InputStream in = new BufferedInputStream(CsvFormat.isGzip(file) ? new GZIPInputStream(raw, 1 << 16) : raw, 1 << 16)) {
            // the header: bytes up to the first line break outside quotes
            java.io.ByteArrayOutputStream header = new java.io.ByteArrayOutputStream();
            boolean quoted = false;
            int b;
            while ((b = in.read()) >= 0 && (quoted || b != '\n')) {
                if (b == '"') {
                    quoted = !quoted;
                }
                header.write(b);
            }
            if (header.size() == 0 && b < 0) {
                return new TableSummary(0, new LinkedHashMap<>());
            }
            // then records: line breaks outside quotes, not counting an empty last line
            long rows = 0;
            boolean inRecord = false;
            quoted = false;
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                for (int i = 0; i < n; i++) {
                    byte c = buf[i];
                    if (c == '"') {
                        quoted = !quoted;
                        inRecord = true;
                    } else if (c == '\n' && !quoted) {
                        if (inRecord) {
                            rows++;
                        }
                        inRecord = false;
                    } else if (c != '\r') {
                        inRecord = true;
                    }
                }
            }
            if (inRecord) {
                rows++;
            }
            Map<String, String> cols = new LinkedHashMap<>();
            for (String c : fields(header.toString(StandardCharsets.UTF_8).replaceAll("\r$", ""))) {
                cols.put(c, null);
            }
            return new TableSummary(rows, cols);
        }
    }

    /** The fields of one CSV line, unquoted. */
    static List<String> fields(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cur.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cur.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                out.add(cur.toString().strip());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        out.add(cur.toString().strip());
        return out;
    }

    /** One line for the diff: rows before and after, and what happened to the columns. */
    static String describe(TableSummary before, TableSummary after) {
        if (before == null && after == null) {
            return null;
        }
        if (before == null) {
            return after.rows + " rows, columns " + after.columnList();
        }
        if (after == null) {
            return before.rows + " rows removed";
        }
        long d = after.rows - before.rows;
        String rows = "rows " + before.rows + " → " + after.rows + " (" + (d >= 0 ? "+" : "") + d + ")";
        if (before.columns.equals(after.columns)
                && List.copyOf(before.columns.keySet()).equals(List.copyOf(after.columns.keySet()))) {
            return rows + ", same columns";
        }
        List<String> parts = new ArrayList<>();
        after.columns.forEach((name, type) -> {
            if (!before.columns.containsKey(name)) {
                parts.add("+" + name + (type != null ? " " + type : ""));
            } else if (type != null && !type.equals(before.columns.get(name))) {
                parts.add(name + " " + before.columns.get(name) + " → " + type);
            }
        });
        before.columns.forEach((name, type) -> {
            if (!after.columns.containsKey(name)) {
                parts.add("-" + name);
            }
        });
        return rows + ", columns " + (parts.isEmpty() ? "reordered" : String.join(", ", parts));
    }

    private String columnList() {
        List<String> out = new ArrayList<>();
        columns.forEach((name, type) -> out.add(type != null ? name + " " + type : name));
        return String.join(", ", out);
    }
}
