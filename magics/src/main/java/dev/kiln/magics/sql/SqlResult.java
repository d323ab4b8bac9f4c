package dev.kiln.magics.sql;

import dev.kiln.magics.core.Html;
import dev.kiln.magics.core.ProgressText;
import dev.kiln.magics.core.Provenance;
import dev.kiln.magics.core.Result;
import java.util.List;
import tech.tablesaw.api.Table;

/**
 * What a query gave: its columns, the first rows (as many as a display shows), how many rows there
 * were in all, the whole result as a Tablesaw table when it was asked to be kept, and the dataset
 * versions it read.
 *
 * @param types     the columns' SQL types, as DuckDB names them
 * @param rowCount  every row of the result, shown or not; -1 for a statement without rows
 * @param table     the whole result, when kept ({@code %%sql -o NAME}), else null
 */
public record SqlResult(List<String> columns, List<String> types, List<List<String>> firstRows, long rowCount,
                        Table table, Provenance provenance) implements Result {

    public SqlResult {
        columns = List.copyOf(columns);
        types = List.copyOf(types);
        firstRows = List.copyOf(firstRows);
    }

    /** Widest a cell is shown, in characters. */
    private static final int MAX_CELL = 200;

    public boolean hasRows() {
        return rowCount >= 0;
    }

    /** 1,461 rows × 3 columns (showing the first 20). */
    public String size() {
        if (!hasRows()) {
            return "Done.";
        }
        String s = ProgressText.count(rowCount, "row") + " × " + ProgressText.count(columns.size(), "column");
        return firstRows.size() < rowCount ? s + " (showing the first " + firstRows.size() + ")" : s;
    }

    @Override
    public String text() {
        if (!hasRows()) {
            return size();
        }
        int[] width = new int[columns.size()];
        for (int c = 0; c < width.length; c++) {
            width[c] = columns.get(c).length();
            for (List<String> row : firstRows) {
                width[c] = Math.max(width[c], cell(row.get(c)).length());
            }
        }
        StringBuilder t = new StringBuilder();
        line(t, columns, width);
        for (int c = 0; c < width.length; c++) {
            t.append(c == 0 ? "" : "-+-").append("-".repeat(width[c]));
        }
        t.append('\n');
        for (List<String> row : firstRows) {
            line(t, row, width);
        }
        return t.append(size()).toString();
    }

    private static void line(StringBuilder t, List<String> cells, int[] width) {
        for (int c = 0; c < width.length; c++) {
            String s = cell(cells.get(c));
            t.append(c == 0 ? "" : " | ").append(s).append(" ".repeat(width[c] - s.length()));
        }
        t.append('\n');
    }

    @Override
    public String html() {
        if (!hasRows()) {
            return null;
        }
        StringBuilder h = new StringBuilder(4096).append("<div class=\"kiln-table\">\n<table>\n<thead>\n<tr><th></th>");
        for (int c = 0; c < columns.size(); c++) {
            h.append("<th>").append(Html.escape(columns.get(c))).append("<br><span style=\"font-weight:normal;color:#777\">")
                    .append(Html.escape(types.get(c).toLowerCase())).append("</span></th>");
        }
        h.append("</tr>\n</thead>\n<tbody>\n");
        for (int r = 0; r < firstRows.size(); r++) {
            h.append("<tr><th>").append(r).append("</th>");
            for (String v : firstRows.get(r)) {
                h.append("<td>").append(Html.escape(cell(v))).append("</td>");
            }
            h.append("</tr>\n");
        }
        return h.append("</tbody>\n</table>\n<p style=\"color:#777\">").append(Html.escape(size())).append("</p>\n</div>").toString();
    }

    private static String cell(String v) {
        String s = v == null ? "NULL" : v;
        return s.length() > MAX_CELL ? s.substring(0, MAX_CELL) + "…" : s;
    }
}
