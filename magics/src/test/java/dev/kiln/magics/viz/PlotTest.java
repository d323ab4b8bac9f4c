package dev.kiln.magics.viz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.magics.core.MimeBundle;
import dev.kiln.magics.core.UserError;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

class PlotTest {

    // ---- histogram -------------------------------------------------------------------------

    @Test
    void histogramBinCountsMatchCountingEachValueAgainstTheEdges() {
        var random = new SplittableRandom(42);
        double[] values = random.doubles(100_000).map(v -> Math.floor(v * 1000) / 10).toArray(); // many on edges
        values[17] = Double.NaN;
        Bins bins = Plot.histogram("v", values, 37).bins();
        long[] expected = new long[37];
        long missing = 0;
        for (double v : values) {
            if (Double.isNaN(v)) {
                missing++;
                continue;
            }
            int k = 0;
            while (k < 36 && v >= bins.edges()[k + 1]) {
                k++;
            }
            expected[k]++;
        }
        assertArrayEquals(expected, bins.counts());
        assertEquals(1, missing);
        assertEquals(1, bins.outside());
        assertEquals(values.length - 1, bins.total());
        assertEquals(Arrays.stream(values).filter(v -> !Double.isNaN(v)).min().getAsDouble(), bins.edges()[0]);
        assertEquals(Arrays.stream(values).filter(v -> !Double.isNaN(v)).max().getAsDouble(), bins.edges()[37], 1e-9);
    }

    @Test
    void histogramOfKnownValuesHasKnownCounts() {
        // 0..9 once, 10..19 twice: bins of width 5 from 0 to 20
        double[] v = IntStream.range(0, 30).mapToDouble(i -> i < 10 ? i : 10 + (i - 10) / 2).toArray();
        Bins b = Plot.histogram("v", v, 4).bins();
        assertArrayEquals(new double[] {0, 4.75, 9.5, 14.25, 19}, b.edges(), 1e-12);
        assertArrayEquals(new long[] {5, 5, 10, 10}, b.counts());
    }

    @Test
    void automaticBinsOfIntegersAreCentredOnIntegers() {
        Table t = Table.create("t", IntColumn.create("year",
                IntStream.range(0, 3_000).map(i -> 1990 + i % 30).toArray()));
        Bins b = Plot.histogram(t, "year").bins();
        assertEquals(30, b.size());
        assertEquals(1989.5, b.edges()[0]);
        assertEquals(1.0, b.width());
        for (long c : b.counts()) {
            assertEquals(100, c);
        }
    }

    /** Incomes (gapminder, vega-datasets): integer bins are edged at half-integers, and the text names the whole numbers they hold. */
    @Test
    void aHistogramOfIntegersSaysWhichWholeNumbersItsBinsHold() {
        Table t = Table.create("g", IntColumn.create("income", 1925, 10620, 13434, 599, 132877, 45000, 20000, 19999));
        HistogramChart h = Plot.histogram(t, "income");
        assertEquals(-0.5, h.bins().edges()[0], "bins centred on integers");
        double lastEdge = h.bins().edges()[h.bins().size()];
        assertEquals(0.5, lastEdge - Math.floor(lastEdge), "a half-integer edge");
        assertTrue(h.description().endsWith(" from 0 to " + ChartStyle.number(lastEdge - 0.5)), h.description());
        Table dice = Table.create("t", IntColumn.create("throw", IntStream.range(0, 60).map(i -> 1 + i % 6).toArray()));
        String thrown = Plot.histogram(dice, "throw").description();
        assertTrue(thrown.endsWith(" 6 bins of width 1 from 1 to 6"), thrown);
    }

    @Test
    void automaticBinsHaveARoundWidthAndHoldEveryValue() {
        var random = new SplittableRandom(1);
        double[] v = random.doubles(200_000).map(x -> x * 37.3 - 5).toArray();
        Bins b = Plot.histogram(v).bins();
        assertEquals(200_000, b.total());
        assertEquals(0, b.outside());
        double w = b.width();
        double mantissa = w / Math.pow(10, Math.floor(Math.log10(w)));
        assertTrue(Arrays.stream(new double[] {1, 2, 2.5, 5}).anyMatch(m -> Math.abs(m - mantissa) < 1e-9), "width " + w);
        assertTrue(b.size() <= Bins.MAX_AUTO_BINS);
        assertEquals(0, Math.abs(Math.IEEEremainder(b.edges()[0], w)), 1e-9, "edges on multiples of the width");
    }

    @Test
    void histogramOfDatesHasBinsOfWholeDays() {
        var days = IntStream.range(0, 3_000).mapToObj(i -> java.time.LocalDate.of(2020, 1, 1).plusDays(i / 3))
                .toArray(java.time.LocalDate[]::new);
        Bins b = Plot.histogram(Table.create("t", tech.tablesaw.api.DateColumn.create("day", days)), "day").bins();
        double day = 86_400_000;
        assertEquals(0, b.width() % day, "width " + b.width());
        assertEquals(0, b.edges()[0] % day, "edges at midnight");
        assertEquals(3_000, b.total());
    }

    @Test
    void histogramOfOneRepeatedValueHasOneBin() {
        Bins b = Plot.histogram(new double[] {4, 4, 4}).bins();
        assertEquals(1, b.size());
        assertEquals(3, b.total());
    }

    @Test
    void histogramOfNothingIsAClearError() {
        UserError e = assertThrows(UserError.class, () -> Plot.histogram("tmax", new double[] {Double.NaN}));
        assertTrue(e.getMessage().contains("'tmax' has no values"), e.getMessage());
    }

    // ---- scatter ---------------------------------------------------------------------------

    @Test
    void largeScatterIsADensityRasterSmallInOutputWithNoRawData() throws Exception {
        int n = 1_000_000;
        var random = new SplittableRandom(5);
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = 123.456789 + random.nextGaussian();
            y[i] = 987.654321 + x[i] * random.nextDouble();
        }
        Table t = Table.create("big", DoubleColumn.create("x", x), DoubleColumn.create("y", y));
        XYChart chart = Plot.scatter(t, "x", "y");
        DensityScatterChart density = assertInstanceOf(DensityScatterChart.class, chart);
        assertEquals(n, density.points());
        assertEquals(n, Arrays.stream(density.counts()).asLongStream().sum(), "every point counted once");
        // the chart holds counts, not points
        for (XYSeries s : chart.getSeriesMap().values()) {
            assertTrue(s.getXData().length < 10);
        }

        MimeBundle b = new ChartRenderer().render(chart);
        assertFalse(b.data().containsKey("image/svg+xml"));
        int pngBytes = Base64Length.decoded((String) b.data().get("image/png"));
        assertTrue(pngBytes < 400_000, "PNG of " + pngBytes + " bytes for " + n + " points");
        assertEquals(1280, ChartRendererTest.png(b).getWidth());
        String text = (String) b.data().get("text/plain");
        assertTrue(text.contains("1,000,000 points"), text);
        // no point's value is in the output (the text names only the extremes)
        var extremes = java.util.Set.of(Arrays.stream(x).min().getAsDouble(), Arrays.stream(x).max().getAsDouble(),
                Arrays.stream(y).min().getAsDouble(), Arrays.stream(y).max().getAsDouble());
        for (int i = 0; i < 1000; i++) {
            for (double v : new double[] {x[i], y[i]}) {
                if (extremes.contains(v)) {
                    continue;
                }
                assertFalse(text.contains(Double.toString(v)), "raw value in output");
                assertFalse(text.contains(new java.text.DecimalFormat("#,##0.####").format(v)), "raw value in output");
            }
        }
        assertEquals(java.util.Set.of("image/png", "text/plain"), b.data().keySet());
    }

    @Test
    void densityRasterPutsPointsInTheRightCells() {
        // all points in the lower-left and upper-right corners
        int n = 20_000;
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = i % 2 == 0 ? 0 : 100;
            y[i] = i % 2 == 0 ? 0 : 50;
        }
        DensityScatterChart c = assertInstanceOf(DensityScatterChart.class, Plot.scatter(x, y));
        int[] counts = c.counts();
        int w = c.columns();
        int h = c.rows();
        assertEquals(n / 2, counts[(h - 1) * w], "bottom-left cell");
        assertEquals(n / 2, counts[w - 1], "top-right cell");
    }

    @Test
    void smallScatterDrawsEveryKnownPoint() {
        double[] x = {1, 2, Double.NaN, 4};
        double[] y = {1, 4, 9, Double.NaN};
        XYChart c = Plot.scatter(x, y);
        assertFalse(c instanceof DensityScatterChart);
        XYSeries s = c.getSeriesMap().values().iterator().next();
        assertArrayEquals(new double[] {1, 2}, s.getXData());
        assertArrayEquals(new double[] {1, 4}, s.getYData());
    }

    @Test
    void scatterOfUnequalLengthsIsAClearError() {
        double[] big = new double[Plot.DENSITY_THRESHOLD + 1];
        assertThrows(UserError.class, () -> Plot.scatter(big, new double[3]));
        assertThrows(UserError.class, () -> Plot.scatter(new double[2], new double[3]));
    }

    // ---- line ------------------------------------------------------------------------------

    @Test
    void longLineIsReducedAndKeepsEveryBucketsExtremes() {
        int n = 1_000_000;
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = Math.sin(i / 1000.0);
        }
        y[123_457] = 50;   // a spike
        y[765_432] = -40;  // a dip
        XYChart c = Plot.line(y);
        XYSeries s = c.getSeriesMap().values().iterator().next();
        assertTrue(s.getXData().length <= 2 * Plot.LINE_BUCKETS + 2, "points " + s.getXData().length);
        assertEquals(50, Arrays.stream(s.getYData()).max().getAsDouble());
        assertEquals(-40, Arrays.stream(s.getYData()).min().getAsDouble());
        double[] xs = s.getXData();
        for (int i = 1; i < xs.length; i++) {
            assertTrue(xs[i] >= xs[i - 1], "x in order");
        }
    }

    @Test
    void lineOfUnsortedXIsDrawnInXOrder() {
        XYChart c = Plot.line(new double[] {3, 1, 2}, new double[] {30, 10, 20});
        XYSeries s = c.getSeriesMap().values().iterator().next();
        assertArrayEquals(new double[] {1, 2, 3}, s.getXData());
        assertArrayEquals(new double[] {10, 20, 30}, s.getYData());
    }

    // ---- bar, box, correlation -------------------------------------------------------------

    @Test
    void barCountsRowsPerCategoryMostFrequentFirstAndLumpsTheRest() {
        String[] labels = IntStream.range(0, 1000).mapToObj(i -> "c" + (i % 50 < 10 ? 0 : i % 50)).toArray(String[]::new);
        var chart = Plot.bar(Table.create("t", StringColumn.create("cat", labels)), "cat");
        var s = chart.getSeriesMap().values().iterator().next();
        var x = s.getXData().stream().map(Object::toString).toList();
        var y = s.getYData().stream().mapToDouble(Number::doubleValue).toArray();
        assertEquals(Plot.MAX_BARS, x.size());
        assertEquals("c0", x.get(0));
        assertEquals(200, y[0]);
        assertEquals("other (12)", x.get(Plot.MAX_BARS - 1));
        assertEquals(1000, Arrays.stream(y).sum());
    }

    @Test
    void barSumsValuesPerCategory() {
        Table t = Table.create("t", StringColumn.create("k", new String[] {"a", "b", "a"}),
                DoubleColumn.create("v", new double[] {1, 2, 3}));
        var s = Plot.bar(t, "k", "v").getSeriesMap().values().iterator().next();
        assertEquals(java.util.List.of("a", "b"), s.getXData().stream().map(Object::toString).toList());
        assertEquals(java.util.List.of(4.0, 2.0), s.getYData().stream().map(Number::doubleValue).toList());
    }

    @Test
    void boxPlotQuartilesInterpolateBetweenOrderStatistics() {
        double[] v = IntStream.rangeClosed(1, 9).mapToDouble(i -> i).toArray();
        double[] withOutlier = Arrays.copyOf(v, 10);
        withOutlier[9] = 100;
        var box = Plot.box("v", withOutlier).boxes().get(0);
        assertEquals(3.25, box.q1(), 1e-12);
        assertEquals(5.5, box.median(), 1e-12);
        assertEquals(7.75, box.q3(), 1e-12);
        assertEquals(1, box.low());
        assertEquals(9, box.high(), "whisker at the furthest value within 1.5 IQR");
        assertEquals(1, box.outliers());
        assertEquals(10, box.count());
    }

    @Test
    void boxByACategoryDrawsOneSortedBoxPerCategory() throws Exception {
        Table t = ChartAxesTest.seattle();
        BoxPlotChart chart = Plot.box(t, "temp_max", "weather");
        List<BoxPlotChart.Box> boxes = chart.boxes();
        List<String> names = boxes.stream().map(BoxPlotChart.Box::name).toList();
        assertEquals(List.of("drizzle", "fog", "rain", "snow", "sun"), names);
        assertEquals(names, new ArrayList<>(chart.getSeriesMap().keySet()), "XChart's categories, in the same order");
        assertEquals("temp_max by weather", chart.getTitle());
        assertEquals("weather", chart.getXAxisTitle());
        assertEquals("temp_max", chart.getYAxisTitle());
        for (BoxPlotChart.Box b : boxes) {
            double[] values = t.where(t.stringColumn("weather").isEqualTo(b.name())).doubleColumn("temp_max").asDoubleArray();
            Arrays.sort(values);
            assertEquals(values.length, b.count(), b.name());
            assertEquals(BoxPlotChart.quantile(values, 0.5), b.median(), 1e-12, b.name());
            assertEquals(BoxPlotChart.quantile(values, 0.25), b.q1(), 1e-12, b.name());
        }
        assertEquals(t.rowCount(), boxes.stream().mapToLong(BoxPlotChart.Box::count).sum());
        String text = chart.description();
        assertTrue(text.startsWith("Box plot of temp_max by weather"), text);
    }

    @Test
    void categoriesAreSortedNumbersByValueTextIgnoringCaseMissingLast() {
        Table t = Table.create("t",
                StringColumn.create("k", new String[] {"b", "10", "", "A", "9", "b", "a"}),
                DoubleColumn.create("v", new double[] {1, 2, 3, 4, 5, 6, 7}));
        List<String> names = Plot.box(t, "v", "k").boxes().stream().map(BoxPlotChart.Box::name).toList();
        assertEquals(List.of("9", "10", "A", "a", "b", Plot.MISSING), names);
        Table stations = Table.create("s",
                StringColumn.create("station", IntStream.range(0, 12).mapToObj(i -> "ST-" + (11 - i)).toArray(String[]::new)),
                DoubleColumn.create("v", IntStream.range(0, 12).mapToDouble(i -> i).toArray()));
        assertEquals(IntStream.range(0, 12).mapToObj(i -> "ST-" + i).toList(),
                Plot.box(stations, "v", "station").boxes().stream().map(BoxPlotChart.Box::name).toList(),
                "digits by value: ST-2 before ST-10");
        Table flags = Table.create("f", tech.tablesaw.api.BooleanColumn.create("rainy", new boolean[] {true, false, true}),
                DoubleColumn.create("v", new double[] {1, 2, 3}));
        assertEquals(List.of("false", "true"), Plot.box(flags, "v", "rainy").boxes().stream().map(BoxPlotChart.Box::name).toList());
    }

    @Test
    void boxByAColumnOfTooManyValuesIsAClearError() {
        Table t = Table.create("readings",
                StringColumn.create("station", IntStream.range(0, 400).mapToObj(i -> "st-" + i % 40).toArray(String[]::new)),
                DoubleColumn.create("tmax", IntStream.range(0, 400).mapToDouble(i -> i).toArray()));
        UserError e = assertThrows(UserError.class, () -> Plot.box(t, "tmax", "station"));
        assertTrue(e.getMessage().startsWith("Column 'station' of table 'readings' has more than 30 different values (40)"),
                e.getMessage());
    }

    @Test
    void boxByAColumnThatIsNotACategoryIsAClearError() throws Exception {
        Table t = ChartAxesTest.seattle();
        UserError byDate = assertThrows(UserError.class, () -> Plot.box(t, "temp_max", "date"));
        assertTrue(byDate.getMessage().startsWith("Column 'date' of table 'seattle' holds local_date values: "), byDate.getMessage());
        assertTrue(byDate.getMessage().contains("Plot.box(table, \"precipitation\", \"weather\")"), byDate.getMessage());
        UserError swapped = assertThrows(UserError.class, () -> Plot.box(t, "weather", "temp_max"));
        assertTrue(swapped.getMessage().startsWith("Column 'weather' of table 'seattle' holds string values: "), swapped.getMessage());
        UserError notNumbers = assertThrows(UserError.class, () -> Plot.box(t, "weather", "weather"));
        assertTrue(notNumbers.getMessage().startsWith("Column 'weather' of table 'seattle' holds string values: "
                + "a box plot by weather needs a numeric column first"), notNumbers.getMessage());
    }

    @Test
    void valuesBeyondTheWhiskersAreDrawnAsDotsThinnedToACap() {
        double[] v = IntStream.rangeClosed(1, 9).mapToDouble(i -> i).toArray();
        double[] withOutlier = Arrays.copyOf(v, 10);
        withOutlier[9] = 100;
        assertArrayEquals(new double[] {100}, Plot.box("v", withOutlier).dots(0));
        // 20,000 values beyond the whiskers: the cap, the extremes among them
        double[] many = new double[100_000];
        for (int i = 0; i < many.length; i++) {
            many[i] = i < 10_000 ? -1e6 - i : i >= 90_000 ? 1e6 + i : i;
        }
        BoxPlotChart chart = Plot.box("many", many);
        double[] dots = chart.dots(0);
        assertEquals(20_000, chart.boxes().get(0).outliers());
        assertEquals(BoxPlotChart.MAX_DOTS, dots.length);
        assertEquals(Arrays.stream(many).min().getAsDouble(), Arrays.stream(dots).min().getAsDouble());
        assertEquals(Arrays.stream(many).max().getAsDouble(), Arrays.stream(dots).max().getAsDouble());
    }

    @Test
    void correlationOfLinearColumnsIsOneAndMinusOne() {
        double[] a = IntStream.range(0, 100).mapToDouble(i -> i).toArray();
        double[] b = Arrays.stream(a).map(v -> 3 * v + 2).toArray();
        double[] c = Arrays.stream(a).map(v -> -v).toArray();
        double[][] r = Correlation.pearson(java.util.List.of(Values.of("a", a), Values.of("b", b), Values.of("c", c)));
        assertEquals(1, r[0][1], 1e-12);
        assertEquals(-1, r[0][2], 1e-12);
        assertEquals(r[1][2], r[2][1]);
    }

    // ---- errors ----------------------------------------------------------------------------

    @Test
    void unknownColumnIsAUserErrorListingTheColumns() {
        Table t = Table.create("weather", DoubleColumn.create("tmin", new double[] {1}),
                DoubleColumn.create("tmax", new double[] {2}));
        UserError e = assertThrows(UserError.class, () -> Plot.histogram(t, "tmean"));
        assertEquals("Table 'weather' has no column 'tmean'. Its columns are: tmin, tmax.", e.getMessage());
    }

    @Test
    void aColumnNamedTwiceIsAUserErrorNamingIt() {
        Table t = Table.create("t", DoubleColumn.create("x", new double[] {1, 2, 3}),
                DoubleColumn.create("a", new double[] {4, 5, 6}), DoubleColumn.create("b", new double[] {7, 9, 8}));
        List<org.junit.jupiter.api.function.Executable> twice = List.of(
                () -> Plot.line(t, "x", "a", "a"),
                () -> Plot.line(t, "x", "a", "b", "a"),
                () -> Plot.box(t, "a", "b", "a"),
                () -> Plot.correlation(t, "a", "b", "a"));
        for (org.junit.jupiter.api.function.Executable plot : twice) {
            UserError e = assertThrows(UserError.class, plot);
            assertTrue(e.getMessage().startsWith("Column 'a' is named twice"), e.getMessage());
        }
        assertEquals("Column 'a' is named twice in Plot.line, which draws each column once. Name it once: Plot.line(table, \"x\", \"a\", \"b\").",
                assertThrows(UserError.class, () -> Plot.line(t, "x", "a", "b", "a")).getMessage());
        assertEquals(List.of("a", "b"), Plot.line(t, "x", "a", "b").getSeriesMap().keySet().stream().toList());
    }

    @Test
    void textColumnIsAUserErrorNamingTheNumericColumns() {
        Table t = Table.create("weather", StringColumn.create("station", new String[] {"a"}),
                DoubleColumn.create("tmax", new double[] {2}));
        UserError e = assertThrows(UserError.class, () -> Plot.scatter(t, "station", "tmax"));
        assertTrue(e.getMessage().contains("'station'") && e.getMessage().contains("string")
                && e.getMessage().contains("Numeric columns: tmax."), e.getMessage());
    }

    @Test
    void lineOfSeveralColumnsIsTitledByTheirNames() {
        Table t = Table.create("weather", DoubleColumn.create("day", new double[] {1, 2}),
                DoubleColumn.create("temp_max", new double[] {12, 14}), DoubleColumn.create("temp_min", new double[] {3, 5}),
                DoubleColumn.create("wind", new double[] {4, 2}), DoubleColumn.create("precipitation", new double[] {0, 1}));
        assertEquals("temp_max, temp_min by day", Plot.line(t, "day", "temp_max", "temp_min").getTitle());
        assertEquals("temp_max by day", Plot.line(t, "day", "temp_max").getTitle());
        assertEquals("4 columns by day", Plot.line(t, "day", "temp_max", "temp_min", "wind", "precipitation").getTitle());
    }

    @Test
    void numbersWrittenAsTextAreNamedAsSuchAndATableWithoutNumbersSaysSo() {
        // what %%sql -o gives for sum(count) (DuckDB's HUGEINT): a text column of numbers, and no numeric column
        Table top = Table.create("top", StringColumn.create("iata", new String[] {"ATL", "ORD"}),
                StringColumn.create("flights", new String[] {"414513", "350380"}));
        UserError e = assertThrows(UserError.class, () -> Plot.bar(top, "iata", "flights"));
        assertEquals("Column 'flights' of table 'top' holds string values; this chart needs numbers, dates or times. "
                + "Its values are numbers written as text (as a %%sql HUGEINT or DECIMAL(38) arrives): cast them in the query "
                + "(CAST(flights AS BIGINT)) or convert the column. Table 'top' has no numeric column.", e.getMessage());
        UserError words = assertThrows(UserError.class, () -> Plot.bar(top, "flights", "iata"));
        assertEquals("Column 'iata' of table 'top' holds string values; this chart needs numbers, dates or times. "
                + "Table 'top' has no numeric column.", words.getMessage());
    }

    /** Decoded size of base64 text without decoding it. */
    static final class Base64Length {
        static int decoded(String b64) {
            int pad = b64.endsWith("==") ? 2 : b64.endsWith("=") ? 1 : 0;
            return b64.length() / 4 * 3 - pad;
        }
    }
}
