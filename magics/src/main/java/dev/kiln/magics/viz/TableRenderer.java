package dev.kiln.magics.viz;

import dev.kiln.magics.core.Html;
import dev.kiln.magics.core.DisplayRenderer;
import dev.kiln.magics.core.MimeBundle;
import dev.kiln.magics.core.ProgressText;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.NumericColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;
import tech.tablesaw.table.Relation;
import tech.tablesaw.table.TableSlice;

/**
 * Shows a Tablesaw table (or a slice of one) as an HTML table: column types under the names, the
 * first and last rows with an ellipsis between them when the table is long, and its size; plus
 * Tablesaw's own text rendering as {@code text/plain}.
 *
 * <p>Values are shown as Tablesaw writes them (a cell holding 0.1 reads {@code 0.1}, one holding
 * 4426.000000000008 reads so too: data is shown as it is), except in a summary
 * ({@code table.summary()}, {@code column.summary()}), whose statistics are written for people
 * ({@link NumberText#readable}: {@code 4,426}, {@code 16.44}): a summary is read, not reused.
 */
public final class TableRenderer implements DisplayRenderer {

    /** Tables up to this many rows are shown whole. */
    static final int MAX_ROWS = 20;
    static final int HEAD_ROWS = 10;
    static final int TAIL_ROWS = 5;
    /** Tables up to this many columns are shown whole; wider ones show the first and last. */
    static final int MAX_COLUMNS = 40;
    static final int HEAD_COLUMNS = 20;
    static final int TAIL_COLUMNS = 10;
    /** A cell longer than this is cut (the output is a glance, not an export). */
    static final int MAX_CELL = 200;

    @Override
    public Class<?> type() {
        return Relation.class;
    }

    /** weather.csv: 1,461 rows × 6 columns. */
    @Override
    public Optional<String> brief(Object value) {
        Relation table = (Relation) value;
        return Optional.of(table.name() + ": " + ProgressText.count(table.rowCount(), "row") + " × "
                + ProgressText.count(table.columnCount(), "column"));
    }

    @Override
    public MimeBundle render(Object value) {
        Relation table = forPeople((Relation) value);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("text/html", html(table));
        data.put("text/plain", text(table));
        return MimeBundle.of(data);
    }

    /**
     * Whether a table is a summary made by Tablesaw: {@code Table.summary()} puts the names of the
     * statistics in a first column called "Summary", {@code Column.summary()} makes two columns,
     * "Measure" and "Value".
     */
    /** The rows of Tablesaw's summaries that count something. */
    private static final java.util.Set<String> COUNTS = java.util.Set.of("Count", "Missing", "Unique", "Top Freq.");

    static boolean isSummary(Relation table) {
        if (table.columnCount() < 2 || !(table.column(0) instanceof StringColumn first)) {
            return false;
        }
        return first.name().equals("Summary")
                || first.name().equals("Measure") && table.columnCount() == 2 && table.column(1).name().equals("Value");
    }

    /** A summary with its numbers written for people (a copy: the user's table keeps its formats); any other table as it is. */
    static Relation forPeople(Relation table) {
        if (!(table instanceof Table t) || !isSummary(t)) {
            return table;
        }
        Table shown = Table.create(t.name());
        StringColumn measures = (StringColumn) t.column(0);
        for (Column<?> c : t.columns()) {
            Column<?> copy = c.copy();
            if (copy instanceof DoubleColumn d) {
                d.setPrintFormatter(NumberText.format(), "");
            } else if (copy instanceof StringColumn text && c != measures) {
                // a text column's counts come as text ("1461"); its values ("Top") stay as they are
                for (int r = 0; r < text.size(); r++) {
                    if (COUNTS.contains(measures.get(r)) && text.get(r).matches("\\d+")) {
                        text.set(r, NumberText.count(Long.parseLong(text.get(r))));
                    }
                }
            }
            shown.addColumns(copy);
        }
        return shown;
    }

    static String size(Relation table) {
        return NumberText.count(table.rowCount()) + (table.rowCount() == 1 ? " row × " : " rows × ")
                + table.columnCount() + (table.columnCount() == 1 ? " column" : " columns");
    }

    static String text(Relation table) {
        String name = table.name() == null || table.name().isBlank() ? "" : table.name() + ": ";
        // Tablesaw's printer asks for a column per cell, which a slice builds anew each time
        Relation printable = table instanceof TableSlice slice ? slice.asTable() : table;
        String printed = table.columnCount() == 0 ? "" : printable.print(MAX_ROWS);
        return printed + (printed.endsWith("\n") || printed.isEmpty() ? "" : "\n") + name + size(table);
    }

    static String html(Relation table) {
        int rows = table.rowCount();
        List<Integer> shownRows = new ArrayList<>();
        boolean cutRows = rows > MAX_ROWS;
        for (int r = 0; r < (cutRows ? HEAD_ROWS : rows); r++) {
            shownRows.add(r);
        }
        if (cutRows) {
            shownRows.add(-1);
            for (int r = rows - TAIL_ROWS; r < rows; r++) {
                shownRows.add(r);
            }
        }
        int cols = table.columnCount();
        List<Integer> shownCols = new ArrayList<>();
        boolean cutCols = cols > MAX_COLUMNS;
        for (int c = 0; c < (cutCols ? HEAD_COLUMNS : cols); c++) {
            shownCols.add(c);
        }
        if (cutCols) {
            shownCols.add(-1);
            for (int c = cols - TAIL_COLUMNS; c < cols; c++) {
                shownCols.add(c);
            }
        }

        // a slice's column(i) builds the column anew: fetch each shown column once
        Column<?>[] columns = new Column<?>[cols];
        for (int c : shownCols) {
            if (c >= 0) {
                columns[c] = table.column(c);
            }
        }

        StringBuilder h = new StringBuilder(4096);
        h.append("<div class=\"kiln-table\">\n<table>\n");
        if (table.name() != null && !table.name().isBlank()) {
            h.append("<caption style=\"text-align:left\">").append(Html.escape(table.name())).append("</caption>\n");
        }
        h.append("<thead>\n<tr><th></th>");
        for (int c : shownCols) {
            if (c < 0) {
                h.append("<th>…</th>");
                continue;
            }
            Column<?> col = columns[c];
            h.append("<th").append(align(col)).append('>').append(Html.escape(col.name()))
                    .append("<br><span style=\"font-weight:normal;color:#777\">")
                    .append(Html.escape(col.type().name().toLowerCase())).append("</span></th>");
        }
        h.append("</tr>\n</thead>\n<tbody>\n");
        for (int r : shownRows) {
            if (r < 0) {
                h.append("<tr><th>…</th>");
                for (int ignored : shownCols) {
                    h.append("<td>…</td>");
                }
                h.append("</tr>\n");
                continue;
            }
            h.append("<tr><th>").append(r).append("</th>");
            for (int c : shownCols) {
                if (c < 0) {
                    h.append("<td>…</td>");
                    continue;
                }
                Column<?> col = columns[c];
                h.append("<td").append(align(col)).append('>').append(Html.escape(cell(col, r))).append("</td>");
            }
            h.append("</tr>\n");
        }
        h.append("</tbody>\n</table>\n<p style=\"color:#777\">").append(size(table));
        if (cutRows || cutCols) {
            h.append(" (showing ");
            h.append(cutRows ? "the first " + HEAD_ROWS + " and last " + TAIL_ROWS + " rows" : "all rows");
            if (cutCols) {
                h.append(", the first ").append(HEAD_COLUMNS).append(" and last ").append(TAIL_COLUMNS).append(" columns");
            }
            h.append(')');
        }
        h.append("</p>\n</div>");
        return h.toString();
    }

    private static String cell(Column<?> col, int row) {
        String s = col.isMissing(row) ? "" : col.getString(row);
        return s.length() > MAX_CELL ? s.substring(0, MAX_CELL) + "…" : s;
    }

    private static String align(Column<?> col) {
        return col instanceof NumericColumn<?> ? " style=\"text-align:right\"" : "";
    }

}
