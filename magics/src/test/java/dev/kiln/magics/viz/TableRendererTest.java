package dev.kiln.magics.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.magics.core.MimeBundle;
import java.time.LocalDate;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.DateColumn;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

class TableRendererTest {

    private final TableRenderer renderer = new TableRenderer();

    private static Table numbered(int rows) {
        return Table.create("readings",
                IntColumn.create("id", IntStream.range(0, rows).toArray()),
                StringColumn.create("station", IntStream.range(0, rows).mapToObj(i -> "st-" + i).toArray(String[]::new)),
                DoubleColumn.create("tmax", IntStream.range(0, rows).mapToDouble(i -> i + 0.5).toArray()),
                DateColumn.create("day", IntStream.range(0, rows).mapToObj(i -> LocalDate.of(2020, 1, 1).plusDays(i))
                        .toArray(LocalDate[]::new)));
    }

    private static String html(MimeBundle b) {
        return (String) b.data().get("text/html");
    }

    @Test
    void rendersHtmlAndText() {
        MimeBundle b = renderer.render(numbered(3));
        assertEquals(java.util.Set.of("text/html", "text/plain"), b.data().keySet());
        assertTrue(((String) b.data().get("text/plain")).contains("readings: 3 rows × 4 columns"));
    }

    @Test
    void headerNamesEachColumnsType() {
        String h = html(renderer.render(numbered(3)));
        for (String t : new String[] {"integer", "string", "double", "local_date"}) {
            assertTrue(h.contains(">" + t + "</span></th>"), "type " + t + " in " + h);
        }
        assertTrue(h.contains(">tmax<br>"));
    }

    @Test
    void shortTableIsShownWhole() {
        String h = html(renderer.render(numbered(TableRenderer.MAX_ROWS)));
        for (int i = 0; i < TableRenderer.MAX_ROWS; i++) {
            assertTrue(h.contains(">st-" + i + "<"), "row " + i);
        }
        assertFalse(h.contains("…"));
        assertTrue(h.contains("20 rows × 4 columns"));
    }

    @Test
    void longTableShowsFirstAndLastRowsAndTheRowCount() {
        int rows = 1_234_567;
        String h = html(renderer.render(Table.create("big",
                IntColumn.create("id", IntStream.range(0, rows).toArray()))));
        for (int i = 0; i < TableRenderer.HEAD_ROWS; i++) {
            assertTrue(h.contains("<tr><th>" + i + "</th>"), "head row " + i);
        }
        for (int i = rows - TableRenderer.TAIL_ROWS; i < rows; i++) {
            assertTrue(h.contains("<tr><th>" + i + "</th>"), "tail row " + i);
        }
        assertFalse(h.contains("<tr><th>" + TableRenderer.HEAD_ROWS + "</th>"));
        assertFalse(h.contains("<tr><th>" + (rows - TableRenderer.TAIL_ROWS - 1) + "</th>"));
        assertTrue(h.contains("<tr><th>…</th>"));
        assertTrue(h.contains("1,234,567 rows × 1 column"), h);
        // a glance, not a dump: the output stays small however long the table
        assertTrue(h.length() < 4_000, "html of " + h.length() + " chars");
    }

    @Test
    void contentNamesAndTableNameAreHtmlEscaped() {
        Table t = Table.create("<b>t&t</b>",
                StringColumn.create("<script>", new String[] {"<img src=x onerror=alert(1)>", "a & b \"q\" 'q'"}));
        String h = html(renderer.render(t));
        assertFalse(h.contains("<script>"));
        assertFalse(h.contains("<img"));
        assertFalse(h.contains("<b>t"));
        assertTrue(h.contains("&lt;img src=x onerror=alert(1)&gt;"));
        assertTrue(h.contains("a &amp; b &quot;q&quot; &#39;q&#39;"));
        assertTrue(h.contains("&lt;script&gt;"));
        assertTrue(h.contains("&lt;b&gt;t&amp;t&lt;/b&gt;"));
    }

    @Test
    void wideTableShowsFirstAndLastColumns() {
        Table t = Table.create("wide");
        for (int c = 0; c < 60; c++) {
            t.addColumns(IntColumn.create("c" + c, new int[] {c}));
        }
        String h = html(renderer.render(t));
        assertTrue(h.contains(">c0<br>"));
        assertTrue(h.contains(">c19<br>"));
        assertFalse(h.contains(">c20<br>"));
        assertFalse(h.contains(">c49<br>"));
        assertTrue(h.contains(">c50<br>"));
        assertTrue(h.contains(">c59<br>"));
        assertTrue(h.contains("<th>…</th>"));
        assertTrue(h.contains("1 row × 60 columns"));
    }

    @Test
    void longCellsAreCut() {
        String longText = "x".repeat(10_000);
        String h = html(renderer.render(Table.create("t", StringColumn.create("s", new String[] {longText}))));
        assertFalse(h.contains(longText));
        assertTrue(h.contains("x".repeat(TableRenderer.MAX_CELL) + "…"));
    }

    @Test
    void missingValuesShowAsEmptyCells() {
        DoubleColumn d = DoubleColumn.create("v", new double[] {1.5, Double.NaN});
        String h = html(renderer.render(Table.create("t", d)));
        assertTrue(h.contains("<tr><th>1</th><td style=\"text-align:right\"></td></tr>"), h);
    }

    @Test
    void aTablesSummaryShowsItsNumbersForPeople() throws Exception {
        Table summary = ChartAxesTest.seattle().summary();
        MimeBundle b = renderer.render(summary);
        String h = html(b);
        // Tablesaw's sum of the precipitation is 4426.000000000008, its mean 3.0294318959616673
        assertTrue(h.contains("<tr><th>4</th><td>sum</td><td></td><td style=\"text-align:right\">4,426</td>"
                + "<td style=\"text-align:right\">24,017</td>"), h);
        assertTrue(h.contains("<td>Mean</td><td></td><td style=\"text-align:right\">3.029</td>"
                + "<td style=\"text-align:right\">16.44</td>"), h);
        assertTrue(h.contains("<td>Count</td><td>1,461</td><td style=\"text-align:right\">1,461</td>"), h);
        assertTrue(h.contains("<td>Top</td><td></td><td style=\"text-align:right\"></td><td style=\"text-align:right\"></td>"
                + "<td style=\"text-align:right\"></td><td style=\"text-align:right\"></td><td>rain</td>"), h);
        assertFalse(h.contains("4426.000000000008"), h);
        assertTrue(h.contains(">double</span>"), "columns keep their types");
        String text = (String) b.data().get("text/plain");
        assertTrue(text.contains("4,426") && !text.contains("4426.000000000008"), text);
        // the user's table keeps Tablesaw's formats
        assertEquals("4426.000000000008", summary.doubleColumn("precipitation").getString(4));
    }

    @Test
    void aColumnsSummaryShowsItsNumbersForPeople() throws Exception {
        String h = html(renderer.render(ChartAxesTest.seattle().doubleColumn("temp_max").summary()));
        assertTrue(h.contains("<td>sum</td><td style=\"text-align:right\">24,017</td>"), h);
        assertTrue(h.contains("<td>Std. Dev</td><td style=\"text-align:right\">7.35</td>"), h);
    }

    @Test
    void anOrdinaryTableShowsItsValuesAsTheyAre() {
        Table t = Table.create("data", StringColumn.create("Measure", new String[] {"a", "b", "c"}),
                DoubleColumn.create("v", new double[] {0.1, 4426.000000000008, 1e-7}),
                DoubleColumn.create("w", new double[] {1, 2, 3}));
        String h = html(renderer.render(t));
        assertTrue(h.contains(">0.1</td>"), h);
        assertTrue(h.contains(">4426.000000000008</td>"), "data is shown as it is: " + h);
        assertFalse(TableRenderer.isSummary(t), "a first column named Measure, but not Measure and Value alone");
    }

    @Test
    void sliceOfATableRendersToo() {
        Table t = numbered(100);
        MimeBundle b = renderer.render(new tech.tablesaw.table.TableSlice(t, t.intColumn("id").isGreaterThanOrEqualTo(95)));
        assertTrue(html(b).contains(">st-99<"));
        assertTrue(html(b).contains("5 rows × 4 columns"));
        String text = (String) b.data().get("text/plain");
        assertTrue(text.contains("st-99") && text.endsWith("readings: 5 rows × 4 columns"), text);
    }
}
