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
 * @param keptAsText the kept table's columns that hold text, because a value had no exact Tablesaw value of their type
 * @param countedAsMissing the kept table's columns holding values (NaN, empty text) that Tablesaw counts as missing
 */
public record SqlResult(List<String> columns, List<String> types, List<List<String>> firstRows, long rowCount,
                        Table table, List<KeptAsText> keptAsText, List<CountedAsMissing> countedAsMissing,
                        Provenance provenance) implements Result {

    public SqlResult {
        columns = List.copyOf(columns);
        types = List.copyOf(types);
        firstRows = List.copyOf(firstRows);
        keptAsText = List.copyOf(keptAsText);
        countedAsMissing = List.copyOf(countedAsMissing);
    }

    /**
     * A column of the kept table that is text because its value {@code value} (its first such) has no
     * exact Tablesaw value of the column's type: {@code why} says which limit it met.
     */
    public record KeptAsText(String column, String sqlType, String value, Why why) {

        public enum Why {
            BEYOND_64_BITS("does not fit in 64 bits (a long)", "new BigInteger(text)", "or CAST it to DOUBLE in the SQL"),
            LONG_MISSING_MARKER("is the one a LongColumn keeps for a missing value", "new BigInteger(text)", "or CAST it to DOUBLE in the SQL"),
            MORE_DIGITS_THAN_A_DOUBLE("has more digits than a double holds", "new BigDecimal(text)", "or CAST it to DOUBLE in the SQL"),
            YEAR_BEYOND_TABLESAW("has a year outside the ones Tablesaw's dates hold (16 bits)", "LocalDate.parse(text) or LocalDateTime.parse(text)",
                    "or filter such rows out in the SQL"),
            FINER_THAN_A_MILLISECOND("is finer than the millisecond Tablesaw's times keep", "LocalDateTime.parse(text) or LocalTime.parse(text)",
                    "or date_trunc('millisecond', …) it in the SQL");

            private final String because;
            private final String parse;
            private final String orInSql;

            Why(String because, String parse, String orInSql) {
                this.because = because;
                this.parse = parse;
                this.orInSql = orInSql;
            }
        }

        public String sentence() {
            return "Column " + column + " (" + sqlType + ") is kept as text (a StringColumn): its value " + value + " " + why.because
                    + ", and a rounded value would be another value. Parse it where you need it (" + why.parse + "), " + why.orInSql + ".";
        }
    }

    /**
     * A column of the kept table holding {@code count} values that Tablesaw counts as missing although
     * they are values (NaN in a DOUBLE or FLOAT, the empty text in text), besides its {@code nulls}:
     * Tablesaw writes a missing value as that very value, so the table keeps them and cannot tell them apart.
     */
    public record CountedAsMissing(String column, String sqlType, Value value, long count, long nulls) {

        public enum Value { NAN, EMPTY_TEXT }

        public String sentence() {
            String what = value == Value.NAN ? ProgressText.count(count, "NaN value") : ProgressText.count(count, "empty text");
            String test = value == Value.NAN ? "isnan(" + column + ")" : column + " = ''";
            return "Column " + column + " (" + sqlType + ") holds " + what + ", which Tablesaw counts as missing"
                    + (nulls > 0 ? " as it does its " + ProgressText.count(nulls, "NULL") : "")
                    + " (isMissing, countMissing, removeMissing), though the table keeps " + (count == 1 ? "it" : "them")
                    + ". Where the difference matters, add " + test + " AS " + column + "_" + (value == Value.NAN ? "nan" : "empty")
                    + " to the SQL.";
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
        for (CountedAsMissing m : countedAsMissing) {
            t.append('\n').append(m.sentence());
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
        for (CountedAsMissing m : countedAsMissing) {
            h.append("<p>").append(Html.escape(m.sentence())).append("</p>\n");
        }
        return h.append("</div>").toString();
    }

    private static String cell(String v) {
        String s = v == null ? "NULL" : v;
        return s.length() > MAX_CELL ? s.substring(0, MAX_CELL) + "…" : s;
    }
}
