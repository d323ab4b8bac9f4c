package dev.kiln.sidecar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.internal.chartpart.Axis;
import org.knowm.xchart.internal.chartpart.Chart;

/** The dataset page's chart: a title that names what it draws, the versions' values, and y ticks at round values. */
class SizeChartTest {

    /** 51 versions each one byte larger than the last, made a minute apart: equally spaced values. */
    static List<SizeChart.Point> evenlyGrowing(boolean rows) {
        List<SizeChart.Point> points = new ArrayList<>();
        for (int i = 1; i <= 51; i++) {
            points.add(new SizeChart.Point(1_719_792_000_000L + i * 60_000L, 1000L + i, rows ? 1000L * i : null));
        }
        return points;
    }

    @Test
    void theTitleNamesRowsOnlyWhenAVersionRecordedThem() {
        assertEquals("many: size by version", SizeChart.chart("many", evenlyGrowing(false)).getTitle());
        assertEquals("many: size and rows by version", SizeChart.chart("many", evenlyGrowing(true)).getTitle());
        assertEquals(SizeChart.title("many", false), SizeChart.chart("many", evenlyGrowing(false)).getTitle());
    }

    @Test
    void evenlySpacedSizesGetAFewRoundTicksNotOneLongLabelPerVersion() throws Exception {
        assertRoundTicks(SizeChart.chart("many", evenlyGrowing(false)), 0);
        XYChart withRows = SizeChart.chart("many", evenlyGrowing(true));
        assertRoundTicks(withRows, 0);
        assertRoundTicks(withRows, 1);
    }

    @Test
    void itDrawsEachVersionsSizeAndRowsAndAHelperSeriesShowsNothing() throws Exception {
        List<SizeChart.Point> points = List.of(new SizeChart.Point(1_719_792_000_000L, 3L << 20, 100L),
                new SizeChart.Point(1_719_878_400_000L, 5L << 20, null), new SizeChart.Point(1_719_964_800_000L, 6L << 20, 250L));
        XYChart chart = SizeChart.chart("weather", points);
        List<String> visible = chart.getSeriesMap().values().stream()
                .filter(s -> s.getMarker() != org.knowm.xchart.style.markers.SeriesMarkers.NONE).map(s -> s.getName()).toList();
        assertEquals(List.of("size (MiB)", "rows"), visible, "two series drawn");
        assertEquals(visible, chart.getSeriesMap().values().stream().filter(s -> s.isShowInLegend()).map(s -> s.getName()).toList(),
                "the legend names what is drawn and nothing else");
        var size = chart.getSeriesMap().get("size (MiB)");
        assertEquals(List.of(3.0, 5.0, 6.0), java.util.Arrays.stream(size.getYData()).boxed().toList());
        assertEquals(List.of(1_719_792_000_000.0, 1_719_878_400_000.0, 1_719_964_800_000.0),
                java.util.Arrays.stream(size.getXData()).boxed().toList(), "at the versions' times");
        var rows = chart.getSeriesMap().get("rows");
        assertEquals(List.of(100.0, 250.0), java.util.Arrays.stream(rows.getYData()).boxed().toList(), "rows where recorded");
        assertEquals(1, rows.getYAxisGroup(), "rows on the right axis");
        assertEquals("size (MiB)", chart.getYAxisGroupTitle(0));
        assertEquals("rows", chart.getYAxisGroupTitle(1));
        assertEquals("when the version was made (UTC)", chart.getXAxisTitle());
        for (var helper : chart.getSeriesMap().values()) {
            if (!visible.contains(helper.getName())) {
                assertEquals(org.knowm.xchart.style.lines.SeriesLines.NONE, helper.getLineStyle(), helper.getName() + " draws no line");
                double[] ys = helper.getYData();
                double lo = helper.getYAxisGroup() == 0 ? 3 : 100;
                double hi = helper.getYAxisGroup() == 0 ? 6 : 250;
                for (double y : ys) {
                    assertTrue(y >= lo && y <= hi, helper.getName() + " stays within the data: " + y);
                }
            }
        }
        assertEquals(List.of("2.5", "3", "3.5", "4", "4.5", "5", "5.5", "6", "6.5"), tickLabels(chart, 0), "size ticks in MiB");
    }

    @Test
    void aDatasetOfOneVersionGetsRoundTicksNotItsSizeToTheTenthDecimal() throws Exception {
        // weather-parquet of vega-datasets: 7,809 bytes, 1,461 rows, one version (its page read "7.6259765625")
        XYChart chart = SizeChart.chart("weather-parquet", List.of(new SizeChart.Point(1_764_929_367_000L, 7_809, 1_461L)));
        assertRoundTicks(chart, 0);
        assertRoundTicks(chart, 1);
    }

    static void assertRoundTicks(XYChart chart, int group) throws Exception {
        List<String> labels = tickLabels(chart, group);
        assertTrue(labels.size() >= 3 && labels.size() <= 12, "axis " + group + ": " + labels);
        for (String l : labels) {
            assertTrue(l.replace(",", "").matches("-?\\d+(\\.\\d{1,2})?"), "axis " + group + " label " + l + " of " + labels);
        }
    }

    /** The labels XChart put on y axis {@code group} when it drew the chart (read from its axis; it has no public getter). */
    @SuppressWarnings("rawtypes")
    static List<String> tickLabels(XYChart chart, int group) throws Exception {
        BufferedImage img = new BufferedImage(chart.getWidth(), chart.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        chart.paint(g, chart.getWidth(), chart.getHeight());
        g.dispose();
        Field pair = Chart.class.getDeclaredField("axisPair");
        pair.setAccessible(true);
        Object axisPair = pair.get(chart);
        Method yAxis = axisPair.getClass().getDeclaredMethod("getYAxis", int.class);
        yAxis.setAccessible(true);
        Axis axis = (Axis) yAxis.invoke(axisPair, group);
        return new ArrayList<>(axis.getAxisTickCalculator().getTickLabels());
    }
}
