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

/** The dataset page's chart: a title that names what it draws, and y ticks at round values. */
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
