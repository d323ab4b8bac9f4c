package dev.kiln.magics.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.FontMetrics;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.internal.series.Series;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.Styler;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import tech.tablesaw.api.DateTimeColumn;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.io.csv.CsvReadOptions;

/**
 * The charts' axes on real data (daily weather at Seattle, 2012–2015, from vega-datasets): the
 * ticks Kiln chooses, and the labels and grid lines as drawn, read back from an SVG rendering.
 */
class ChartAxesTest {

    static Table seattle() throws Exception {
        try (InputStream in = ChartAxesTest.class.getResourceAsStream("/viz/seattle-weather.csv")) {
            return Table.read().usingOptions(CsvReadOptions.builder(in).tableName("seattle"));
        }
    }

    static double millis(LocalDate d) {
        return d.toEpochDay() * 86_400_000d;
    }

    /** A text drawn in a chart's SVG: its left end, its baseline, what it says. */
    record SvgText(double x, double y, String text) {
        double centre() {
            return x + width(text) / 2;
        }
    }

    /** A line drawn in a chart's SVG, and its colour. */
    record SvgLine(double x1, double y1, double x2, double y2, String style) {
    }

    static double width(String s) {
        BufferedImage scratch = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        FontMetrics m = scratch.createGraphics().getFontMetrics(ChartStyle.TICK_FONT);
        return m.stringWidth(s);
    }

    static org.w3c.dom.Document svg(Chart<?, ?> chart) throws Exception {
        String svg = ChartImages.svg(chart);
        return DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    static List<SvgText> texts(org.w3c.dom.Document doc) {
        List<SvgText> out = new ArrayList<>();
        NodeList nodes = doc.getElementsByTagName("text");
        for (int i = 0; i < nodes.getLength(); i++) {
            Element e = (Element) nodes.item(i);
            out.add(new SvgText(Double.parseDouble(e.getAttribute("x")), Double.parseDouble(e.getAttribute("y")),
                    e.getTextContent()));
        }
        return out;
    }

    static List<SvgLine> gridLines(org.w3c.dom.Document doc) {
        List<SvgLine> out = new ArrayList<>();
        NodeList nodes = doc.getElementsByTagName("line");
        String grid = "stroke:rgb(" + ChartStyle.GRID.getRed() + "," + ChartStyle.GRID.getGreen() + ","
                + ChartStyle.GRID.getBlue() + ")";
        for (int i = 0; i < nodes.getLength(); i++) {
            Element e = (Element) nodes.item(i);
            if (e.getAttribute("style").contains(grid)) {
                out.add(new SvgLine(Double.parseDouble(e.getAttribute("x1")), Double.parseDouble(e.getAttribute("y1")),
                        Double.parseDouble(e.getAttribute("x2")), Double.parseDouble(e.getAttribute("y2")),
                        e.getAttribute("style")));
            }
        }
        return out;
    }

    static SvgText only(List<SvgText> texts, String label) {
        List<SvgText> found = texts.stream().filter(t -> t.text().equals(label)).toList();
        assertEquals(1, found.size(), "one text '" + label + "' in " + texts);
        return found.get(0);
    }

    /**
     * Each x tick's label is drawn once, centred under the pixel where XChart draws the tick's
     * value, below the plot; and a vertical grid line stands there.
     */
    static void assertXTicksDrawnWhereTheirValuesAre(TickedXYChart chart) throws Exception {
        List<String> laidOut = chart.xTicks().stream().map(Tick::label).toList();
        var doc = svg(chart);
        List<SvgText> texts = texts(doc);
        List<SvgLine> grid = gridLines(doc);
        // the SVG's own layout (it may differ from a PNG's by a pixel): XChart's mapping and Kiln's ticks as drawn
        Rectangle2D plot = chart.axes().drawnArea();
        assertEquals(laidOut, chart.axes().drawnXTicks().stream().map(Tick::label).toList(), "the PNG's ticks and the SVG's");
        for (Tick t : chart.axes().drawnXTicks()) {
            double x = chart.getScreenXFromChart(t.value());
            SvgText label = only(texts, t.label());
            assertEquals(x, label.centre(), 2.0, t + " centred on its value's pixel");
            assertTrue(label.y() > plot.getMaxY(), t + " below the plot");
            if (x > plot.getMinX() + 1 && x < plot.getMaxX() - 1) {
                assertTrue(grid.stream().anyMatch(l -> Math.abs(l.x1() - x) < 0.11 && Math.abs(l.x2() - x) < 0.11),
                        "a grid line at " + t);
            }
        }
    }

    // ---- dates and times -------------------------------------------------------------------

    @Test
    void seattleDailyTemperatureHasItsFirstTickLabelled2012OnNewYearsDay2012() throws Exception {
        Table t = seattle();
        assertEquals(1461, t.rowCount());
        TickedXYChart chart = assertInstanceOf(TickedXYChart.class, Plot.line(t, "date", "temp_max"));
        List<Tick> ticks = chart.xTicks();
        assertEquals("2012", ticks.get(0).label());
        assertEquals(1_325_376_000_000d, ticks.get(0).value(), "2012-01-01T00:00Z in epoch milliseconds");
        // the plot reaches a little past the data (to February 2016)
        assertEquals(List.of("2012", "2013", "2014", "2015", "2016"), ticks.stream().map(Tick::label).toList());
        for (Tick tick : ticks) {
            assertEquals(millis(LocalDate.of(Integer.parseInt(tick.label()), 1, 1)), tick.value(), tick.label());
        }
        // the first day's temperature is drawn where its tick is
        double firstDay = chart.getSeriesMap().get("temp_max").getXData()[0];
        assertEquals(millis(LocalDate.of(2012, 1, 1)), firstDay);
        assertXTicksDrawnWhereTheirValuesAre(chart);
        List<SvgText> texts = texts(svg(chart));
        assertTrue(texts.stream().noneMatch(x -> x.text().equals("2011")), "no 2011 on a chart of 2012–2015");
    }

    @Test
    void threeMonthsOfSeattleWeatherHaveTicksOnTheFirstOfEachMonth() throws Exception {
        Table t = seattle();
        Table winter = t.where(t.dateColumn("date").isBetweenIncluding(LocalDate.of(2013, 1, 1), LocalDate.of(2013, 3, 31)));
        TickedXYChart chart = (TickedXYChart) Plot.line(winter, "date", "temp_max");
        List<Tick> ticks = chart.xTicks();
        // the plot's margin reaches past March 31: April 1 is on it
        assertEquals(List.of("2013", "Feb", "Mar", "Apr"), ticks.stream().map(Tick::label).toList());
        for (int i = 0; i < ticks.size(); i++) {
            assertEquals(millis(LocalDate.of(2013, i + 1, 1)), ticks.get(i).value(), ticks.get(i).label());
        }
        assertXTicksDrawnWhereTheirValuesAre(chart);
    }

    @Test
    void aDayOfReadingsHasTicksOnWholeHours() throws Exception {
        LocalDateTime start = LocalDateTime.of(2020, 3, 5, 0, 0);
        Table day = Table.create("day",
                DateTimeColumn.create("time", IntStream.range(0, 97).mapToObj(i -> start.plusMinutes(15L * i))
                        .toArray(LocalDateTime[]::new)),
                DoubleColumn.create("load", IntStream.range(0, 97).mapToDouble(i -> 50 + 10 * Math.sin(i / 8.0)).toArray()));
        TickedXYChart chart = (TickedXYChart) Plot.line(day, "time", "load");
        assertEquals(List.of("Mar 5, 2020", "06:00", "12:00", "18:00", "Mar 6"),
                chart.xTicks().stream().map(Tick::label).toList());
        for (int i = 0; i < chart.xTicks().size(); i++) {
            assertEquals(AxisTicksTest.millis(start.plusHours(6L * i)), chart.xTicks().get(i).value());
        }
        assertXTicksDrawnWhereTheirValuesAre(chart);
    }

    @Test
    void aHistogramOfDatesHasCalendarTicks() throws Exception {
        HistogramChart chart = Plot.histogram(seattle(), "date");
        for (Tick t : chart.xTicks()) {
            assertTrue(AxisTicksTest.saysWhen(t), t.toString());
        }
        assertXTicksDrawnWhereTheirValuesAre(chart);
    }

    // ---- numbers ---------------------------------------------------------------------------

    @Test
    void millionsReadAsMillionsAtTheirTicks() throws Exception {
        double[] values = IntStream.range(0, 5_000).mapToDouble(i -> 1_000_000 + i * 200.5).toArray();
        TickedXYChart chart = (TickedXYChart) Plot.line(values);
        List<String> labels = chart.yTicks().stream().map(Tick::label).toList();
        assertTrue(labels.contains("1.8 M"), labels.toString());
        assertTrue(labels.stream().noneMatch(l -> l.contains("E")), labels.toString());
        Tick tick = chart.yTicks().get(labels.indexOf("1.8 M"));
        assertEquals(1_800_000, tick.value());
        List<SvgText> texts = texts(svg(chart));
        SvgText drawn = only(texts, "1.8 M");
        double y = chart.getScreenYFromChart(1_800_000);
        // the label's digits are centred on its tick's line: baseline a little below it
        assertTrue(drawn.y() > y && drawn.y() < y + 8, drawn + " at the line of 1,800,000 (y " + y + ")");
        assertTrue(drawn.x() + width("1.8 M") <= chart.axes().drawnArea().getMinX(), "left of the plot");
        // the x axis: 0 to 5,000 rows
        assertTrue(chart.xTicks().stream().map(Tick::label).toList().contains("5000"), chart.xTicks().toString());
        assertXTicksDrawnWhereTheirValuesAre(chart);
    }

    @Test
    void ticksHalfAUnitApartCarryOneDecimal() {
        double[] values = IntStream.range(0, 100).mapToDouble(i -> 165.66015625 + Math.sin(i / 10.0)).toArray();
        TickedXYChart chart = (TickedXYChart) Plot.line(values);
        List<String> labels = chart.yTicks().stream().map(Tick::label).toList();
        assertTrue(labels.contains("165.5") && labels.contains("166.0"), labels.toString());
        assertTrue(labels.stream().allMatch(l -> l.matches("\\d{3}\\.\\d")), labels.toString());
    }

    @Test
    void barAndBoxValueAxesHaveKilnsTicksToo() throws Exception {
        Table t = seattle();
        BarChart bar = Plot.bar(t, "weather");
        assertEquals(List.of("0", "100", "200", "300", "400", "500", "600"),
                bar.yTicks().stream().map(Tick::label).toList());
        BoxPlotChart box = Plot.box(t, "temp_max", "weather");
        assertEquals(List.of("0", "5", "10", "15", "20", "25", "30", "35"),
                box.yTicks().stream().map(Tick::label).toList());
        List<SvgText> texts = texts(svg(box));
        double y = box.getScreenYFromChart(20);
        SvgText twenty = only(texts, "20");
        assertTrue(twenty.y() > y && twenty.y() < y + 8, twenty + " at 20 (y " + y + ")");
    }

    // ---- every kind: the model and the style -----------------------------------------------

    /** Every kind of chart Plot makes, from the Seattle weather. */
    static Map<String, Chart<?, ?>> everyKind(Table t) {
        Map<String, Chart<?, ?>> charts = new LinkedHashMap<>();
        charts.put("histogram", Plot.histogram(t, "temp_max"));
        charts.put("scatter", Plot.scatter(t, "temp_min", "temp_max"));
        Table twice = t.copy().append(t).append(t);
        charts.put("density scatter", Plot.scatter(twice, "temp_min", "temp_max"));
        charts.put("line", Plot.line(t, "date", "temp_max"));
        charts.put("lines", Plot.line(t, "date", "temp_max", "temp_min"));
        charts.put("bar", Plot.bar(t, "weather"));
        charts.put("box", Plot.box(t, "temp_min", "temp_max"));
        charts.put("box by weather", Plot.box(t, "temp_max", "weather"));
        charts.put("correlation", Plot.correlation(t));
        return charts;
    }

    @Test
    void everyKindSaysItsSeriesAxisTitlesAndLegend() throws Exception {
        Map<String, Chart<?, ?>> charts = everyKind(seattle());
        record Expected(List<String> series, String x, String y, List<String> legend) {
        }
        Map<String, Expected> expected = Map.of(
                "histogram", new Expected(List.of("temp_max"), "temp_max", "count", List.of()),
                "scatter", new Expected(List.of("temp_max"), "temp_min", "temp_max", List.of()),
                "density scatter", new Expected(List.of("(extent)"), "temp_min", "temp_max", List.of()),
                "line", new Expected(List.of("temp_max"), "date", "temp_max", List.of()),
                "lines", new Expected(List.of("temp_max", "temp_min"), "date", "", List.of("temp_max", "temp_min")),
                "bar", new Expected(List.of("rows"), "weather", "rows", List.of()),
                "box", new Expected(List.of("temp_min", "temp_max"), "", "", List.of()),
                "box by weather", new Expected(List.of("drizzle", "fog", "rain", "snow", "sun"), "weather", "temp_max", List.of()),
                "correlation", new Expected(List.of("value"), null, null,
                        List.of("value")));
        for (var e : charts.entrySet()) {
            Chart<?, ?> c = e.getValue();
            Expected want = expected.get(e.getKey());
            assertEquals(want.series(), new ArrayList<>(c.getSeriesMap().keySet()), e.getKey() + ": series");
            if (want.x() != null) {
                assertEquals(want.x(), c.getXAxisTitle(), e.getKey() + ": x axis title");
                assertEquals(want.y(), c.getYAxisTitle(), e.getKey() + ": y axis title");
            }
            List<String> legend = c.getStyler().isLegendVisible()
                    ? c.getSeriesMap().values().stream().filter(Series::isShowInLegend).map(Series::getName).toList()
                    : List.of();
            assertEquals(want.legend(), legend, e.getKey() + ": legend entries");
        }
    }

    /** The ticks a kind's model lays out, x and y (none where XChart draws categories or a heat map's labels). */
    static List<List<Tick>> ticks(Chart<?, ?> c) {
        if (c instanceof TickedXYChart t) {
            return List.of(t.xTicks(), t.yTicks());
        }
        if (c instanceof BarChart b) {
            return List.of(List.of(), b.yTicks());
        }
        if (c instanceof BoxPlotChart b) {
            return List.of(List.of(), b.yTicks());
        }
        return List.of(List.of(), List.of());
    }

    static List<String> labels(List<Tick> ticks) {
        return ticks.stream().map(Tick::label).toList();
    }

    @Test
    void everyKindHasTheTicksAndValuesOfItsDataAndDrawsExactlyThoseLabels() throws Exception {
        Table t = seattle();
        Map<String, Chart<?, ?>> charts = everyKind(t);
        List<String> degrees = List.of("0", "5", "10", "15", "20", "25", "30", "35");
        List<String> fromMinus5 = List.of("-5", "0", "5", "10", "15", "20", "25", "30", "35");
        List<String> years = List.of("2012", "2013", "2014", "2015", "2016");
        Map<String, List<List<String>>> expected = new LinkedHashMap<>();
        expected.put("histogram", List.of(degrees, List.of("0", "50", "100", "150", "200")));
        expected.put("scatter", List.of(List.of("-5", "0", "5", "10", "15"), degrees));
        expected.put("density scatter", List.of(List.of("-5", "0", "5", "10", "15"), degrees));
        expected.put("line", List.of(years, degrees));
        expected.put("lines", List.of(years, fromMinus5));
        expected.put("bar", List.of(List.of(), List.of("0", "100", "200", "300", "400", "500", "600")));
        expected.put("box", List.of(List.of(), fromMinus5));
        expected.put("box by weather", List.of(List.of(), degrees));
        expected.put("correlation", List.of(List.of(), List.of()));
        assertEquals(expected.keySet(), charts.keySet());
        for (var e : charts.entrySet()) {
            String kind = e.getKey();
            List<List<Tick>> ticks = ticks(e.getValue());
            assertEquals(expected.get(kind).get(0), labels(ticks.get(0)), kind + ": x tick labels");
            assertEquals(expected.get(kind).get(1), labels(ticks.get(1)), kind + ": y tick labels");
            for (List<Tick> axis : ticks) {
                for (Tick tick : axis) {
                    if (!kind.startsWith("line")) {
                        assertEquals(Double.parseDouble(tick.label()), tick.value(), 1e-9, kind + ": " + tick + " says its value");
                    }
                }
            }
            if (!kind.equals("density scatter")) { // drawn as an image of its own: PNG only
                List<String> drawn = texts(svg(e.getValue())).stream().map(SvgText::text).toList();
                List<String> laidOut = new ArrayList<>(labels(ticks.get(0)));
                laidOut.addAll(labels(ticks.get(1)));
                assertEquals(laidOut, drawn, kind + ": the labels drawn are the ticks laid out, nothing else");
            }
        }
        // a date axis ticks at New Year's midnight, not at epoch milliseconds printed as numbers
        for (String kind : List.of("line", "lines")) {
            assertEquals(IntStream.rangeClosed(2012, 2016).mapToObj(y -> millis(LocalDate.of(y, 1, 1))).toList(),
                    ((TickedXYChart) charts.get(kind)).xTicks().stream().map(Tick::value).toList(), kind);
        }

        // the values drawn are the data's: every day in the line, every row in a histogram bin, bar heights as counts
        int days = t.rowCount();
        XYChart line = (XYChart) charts.get("line");
        assertEquals(days, line.getSeriesMap().get("temp_max").getXData().length);
        assertEquals(t.doubleColumn("temp_max").get(0), line.getSeriesMap().get("temp_max").getYData()[0]);
        HistogramChart histogram = (HistogramChart) charts.get("histogram");
        long[] counts = histogram.bins().counts();
        assertEquals(days, Arrays.stream(counts).sum(), "every day in one bin");
        double[] outline = histogram.getSeriesMap().get("temp_max").getYData();
        assertEquals(counts.length + 3, outline.length, "up the left edge, a step per bin, down the right edge");
        for (int i = 0; i < counts.length; i++) {
            assertEquals(counts[i], outline[i + 1], 0.0, "bin " + i + " drawn at its count");
        }
        org.knowm.xchart.CategoryChart bar = (org.knowm.xchart.CategoryChart) charts.get("bar");
        var rows = bar.getSeriesMap().get("rows");
        List<String> weathers = new ArrayList<>();
        rows.getXData().forEach(x -> weathers.add(String.valueOf(x)));
        assertEquals(List.of("rain", "sun", "fog", "drizzle", "snow"), weathers, "most rows first");
        List<Number> heights = new ArrayList<>();
        rows.getYData().forEach(heights::add);
        for (int i = 0; i < weathers.size(); i++) {
            String w = weathers.get(i);
            long count = t.stringColumn("weather").asList().stream().filter(w::equals).count();
            assertEquals(count, heights.get(i).longValue(), "bar " + w);
        }
        org.knowm.xchart.HeatMapChart correlation = (org.knowm.xchart.HeatMapChart) charts.get("correlation");
        var heat = correlation.getSeriesMap().get("value");
        List<String> columns = new ArrayList<>();
        heat.getXData().forEach(x -> columns.add(String.valueOf(x)));
        assertEquals(List.of("precipitation", "temp_max", "temp_min", "wind"), columns);
        List<String> rowsUp = new ArrayList<>();
        heat.getYData().forEach(y -> rowsUp.add(String.valueOf(y)));
        assertEquals(List.of("wind", "temp_min", "temp_max", "precipitation"), rowsUp, "XChart counts y upwards: row 0 on top");
        int n = columns.size();
        double[][] r = new double[n][n];
        for (Number[] cell : heat.getHeatData()) {
            r[n - 1 - cell[1].intValue()][cell[0].intValue()] = cell[2].doubleValue();
        }
        for (int i = 0; i < n; i++) {
            assertEquals(1.0, r[i][i], 1e-9, columns.get(i) + " correlates with itself");
            for (int j = 0; j < n; j++) {
                assertEquals(r[i][j], r[j][i], 1e-12, columns.get(i) + " and " + columns.get(j) + " either way");
            }
        }
        assertTrue(r[1][2] > 0.8, "temp_max and temp_min go together: " + r[1][2]);
    }

    @Test
    void everyKindSharesOneStyle() throws Exception {
        for (var e : everyKind(seattle()).entrySet()) {
            Styler s = e.getValue().getStyler();
            String kind = e.getKey();
            assertEquals(ChartStyle.WIDTH, e.getValue().getWidth(), kind);
            assertEquals(ChartStyle.HEIGHT, e.getValue().getHeight(), kind);
            assertEquals(ChartStyle.TITLE_FONT, s.getChartTitleFont(), kind);
            assertEquals(ChartStyle.LEGEND_FONT, s.getLegendFont(), kind);
            assertEquals(Color.WHITE, s.getChartBackgroundColor(), kind);
            assertEquals(ChartStyle.TEXT, s.getChartFontColor(), kind);
            assertEquals(Arrays.asList(ChartStyle.PALETTE), Arrays.asList(s.getSeriesColors()), kind);
            if (s instanceof AxesChartStyler a) {
                assertEquals(ChartStyle.AXIS_TITLE_FONT, a.getAxisTitleFont(), kind);
                assertEquals(ChartStyle.TICK_FONT, a.getAxisTickLabelsFont(), kind);
            }
        }
    }

    @Test
    void noChartShowsXChartsOwnColours() throws Exception {
        // XChart draws box plots in pure blue, red and black, whatever the style
        for (var e : everyKind(seattle()).entrySet()) {
            BufferedImage img = ChartImages.image(e.getValue(), 1);
            for (int y = 0; y < img.getHeight(); y++) {
                for (int x = 0; x < img.getWidth(); x++) {
                    int rgb = img.getRGB(x, y) & 0xffffff;
                    assertFalse(rgb == 0xff0000 || rgb == 0x0000ff, e.getKey() + ": XChart's colour at " + x + "," + y);
                }
            }
        }
    }

    @Test
    void kilnsPlotAreaIsXChartsPlotArea() throws Exception {
        for (var e : everyKind(seattle()).entrySet()) {
            TickedAxes axes = e.getValue() instanceof TickedXYChart c ? c.axes()
                    : e.getValue() instanceof BarChart b ? b.axes()
                    : e.getValue() instanceof BoxPlotChart b ? b.axes() : null;
            if (axes == null) {
                continue;
            }
            assertEquals(axes.xchartPlotArea(), axes.plotArea(), e.getKey());
        }
    }

    @Test
    void aBoxIsDrawnInKilnsColours() {
        BoxPlotChart chart = Plot.box("v", IntStream.range(0, 101).mapToDouble(i -> i).toArray());
        BufferedImage img = ChartImages.image(chart, 1);
        Rectangle2D plot = chart.axes().plotArea();
        int x = (int) Math.round(chart.boxCentre(0, plot)) + 3;
        int median = (int) Math.round(chart.getScreenYFromChart(50));
        int between = (int) Math.round(chart.getScreenYFromChart(37.5));
        Color darkest = IntStream.rangeClosed(median - 1, median + 1).mapToObj(y -> new Color(img.getRGB(x, y)))
                .min(java.util.Comparator.comparingInt(c -> c.getRed() + c.getGreen() + c.getBlue())).orElseThrow();
        assertTrue(distance(darkest, ChartStyle.INK_DARK) < 30, "the median line in the ink's dark blue: " + darkest);
        Color fill = new Color(img.getRGB(x, between));
        assertTrue(fill.getBlue() > fill.getRed() && fill.getRed() > 150, "the box's light blue fill: " + fill);
    }

    static double distance(Color a, Color b) {
        return Math.abs(a.getRed() - b.getRed()) + Math.abs(a.getGreen() - b.getGreen()) + Math.abs(a.getBlue() - b.getBlue());
    }

    @Test
    void aLogarithmicAxisKeepsXChartsOwnTicks() {
        double[] x = IntStream.range(1, 1000).mapToDouble(i -> i).toArray();
        TickedXYChart chart = (TickedXYChart) Plot.line(x, Arrays.stream(x).map(v -> v * v).toArray());
        chart.getStyler().setYAxisLogarithmic(true);
        assertEquals(List.of(), chart.yTicks(), "Kiln places no ticks on a logarithmic axis");
        assertEquals(ChartStyle.TICK_LABELS, chart.getStyler().getYAxisTickLabelsColor(), "XChart's labels show");
        assertTrue(chart.getStyler().isPlotGridHorizontalLinesVisible(), "XChart's grid shows");
        assertFalse(chart.xTicks().isEmpty(), "the linear x axis keeps Kiln's ticks");
        assertEquals(new Color(0, 0, 0, 0), chart.getStyler().getXAxisTickLabelsColor());
        chart.getStyler().setYAxisLogarithmic(false);
        assertFalse(chart.yTicks().isEmpty(), "Kiln's ticks again once the axis is linear");
    }

    @Test
    void aChartOfOneValueStillHasAnAxis() {
        XYChart chart = Plot.line(new double[] {1, 2, 3}, new double[] {7, 7, 7});
        List<Tick> y = ((TickedXYChart) chart).yTicks();
        assertTrue(y.stream().anyMatch(t -> t.value() == 7 && t.label().equals("7.0")), y.toString());
        List<Tick> dates = ((TickedXYChart) Plot.line(Table.create("one", tech.tablesaw.api.DateColumn.create("day",
                new LocalDate[] {LocalDate.of(2014, 6, 3)}), DoubleColumn.create("v", new double[] {1})), "day", "v")).xTicks();
        assertTrue(dates.stream().anyMatch(t -> t.value() == millis(LocalDate.of(2014, 6, 3))), dates.toString());
    }
}
