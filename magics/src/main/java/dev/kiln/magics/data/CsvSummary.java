package dev.kiln.magics.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Rows and header of a CSV file, for {@code kiln data diff}. */
record CsvSummary(long rows, List<String> columns) {

    static CsvSummary of(Path file) {
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String header = r.readLine();
            if (header == null) {
                return new CsvSummary(0, List.of());
            }
            long rows = 0;
            for (String line; (line = r.readLine()) != null; ) {
                if (!line.isEmpty()) {
                    rows++;
                }
            }
            List<String> cols = new ArrayList<>();
            for (String c : header.split(",", -1)) {
                cols.add(c.strip().replaceAll("^\"|\"$", ""));
            }
            return new CsvSummary(rows, cols);
        } catch (IOException | UncheckedIOException e) {
            return null;
        }
    }

    static String describe(CsvSummary before, CsvSummary after) {
        if (before == null && after == null) {
            return null;
        }
        if (before == null) {
            return after.rows + " rows, columns " + String.join(",", after.columns);
        }
        if (after == null) {
            return before.rows + " rows removed";
        }
        String rows = "rows " + before.rows + " → " + after.rows + " (" + (after.rows - before.rows >= 0 ? "+" : "")
                + (after.rows - before.rows) + ")";
        if (before.columns.equals(after.columns)) {
            return rows + ", same columns";
        }
        List<String> addedCols = new ArrayList<>(after.columns);
        addedCols.removeAll(before.columns);
        List<String> removedCols = new ArrayList<>(before.columns);
        removedCols.removeAll(after.columns);
        return rows + ", columns" + (addedCols.isEmpty() ? "" : " +" + String.join(" +", addedCols))
                + (removedCols.isEmpty() ? "" : " -" + String.join(" -", removedCols))
                + (addedCols.isEmpty() && removedCols.isEmpty() ? " reordered" : "");
    }
}
