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
 * @param keptAsText the kept table's number columns that hold text, because a value had no exact Java number
 */
public record SqlResult(List<String> columns, List<String> types, List<List<String>> firstRows, long rowCount,
                        Table table, List<KeptAsText> keptAsText, Provenance provenance) implements Result {

    public SqlResult {
        columns = List.copyOf(columns);
        types = List.copyOf(types);
        firstRows = List.copyOf(firstRows);
        keptAsText = List.copyOf(keptAsText);
    }

    /**
     * A number column of the kept table that is text: {@code value} (its first such) fits neither a
     * long nor, for a fraction, a double exactly, and a silently rounded number would be a different value.
     */
    public record KeptAsText(String column, String sqlType, String value) {

        public String sentence() {
            boolean fraction = sqlType.startsWith("DECIMAL") && !sqlType.endsWith(",0)");
            return "Column " + column + " (" + sqlType + ") is kept as text (a StringColumn): its value " + value
                    + (fraction ? " has more digits than a double holds"
                            : value.equals(Long.toString(Long.MIN_VALUE)) ? " is the one a LongColumn keeps for a missing value"
                            : " does not fit in 64 bits (a long)")
                    + ", and a rounded number would be another value. Parse it where you need numbers (new "
                    + (fraction ? "BigDecimal" : "BigInteger") + "(text)), or CAST it to DOUBLE in the SQL.";
        }
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
        t.append(size());
        for (KeptAsText k : keptAsText) {
            t.append('\n').append(k.sentence());
        }
        return t.toString();
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
        h.append("</tbody>\n</table>\n<p style=\"color:#777\">").append(Html.escape(size())).append("</p>\n");
        for (KeptAsText k : keptAsText) {
            h.append("<p>").append(Html.escape(k.sentence())).append("</p>\n");
        }
        return h.append("</div>").toString();
    }

    private static String cell(String v) {
        String s = v == null ? "NULL" : v;
        return s.length() > MAX_CELL ? s.substring(0, MAX_CELL) + "…" : s;
    }
}
