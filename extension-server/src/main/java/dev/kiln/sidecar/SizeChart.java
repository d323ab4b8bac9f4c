package dev.kiln.sidecar;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.TimeZone;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** A dataset's size (and rows, where versions recorded them) over its versions, as a PNG drawn on the server (no script, no CDN). */
final class SizeChart {

    /** One point: when a version was made, its size, its rows when known. */
    record Point(long timeMs, long size, Long rows) {
    }

    /** The chart's title, which names only what it draws: rows only when some version recorded them. */
    static String title(String dataset, boolean rows) {
        return dataset + (rows ? ": size and rows by version" : ": size by version");
    }

    static byte[] png(String dataset, List<Point> points) throws IOException {
        return BitmapEncoder.getBitmapBytes(chart(dataset, points), BitmapEncoder.BitmapFormat.PNG);
    }

    static XYChart chart(String dataset, List<Point> points) {
        boolean anyRows = points.stream().anyMatch(p -> p.rows() != null);
        XYChart chart = new XYChartBuilder().width(820).height(320).title(title(dataset, anyRows))
                .xAxisTitle("when the version was made (UTC)").build();
        Styler.ChartTheme theme = Styler.ChartTheme.XChart;
        chart.getStyler().setTheme(theme.newInstance(theme));
        chart.getStyler().setTimezone(TimeZone.getTimeZone("UTC"));
        chart.getStyler().setDatePattern("yyyy-MM-dd HH:mm");
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        chart.getStyler().setLegendVisible(anyRows); // one series needs no legend: the axis says what it is
        chart.getStyler().setYAxisGroupPosition(1, Styler.YAxisPosition.Right);
        // the look of Kiln's notebook charts: white, a quiet grid, no box around the title
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        chart.getStyler().setPlotBackgroundColor(java.awt.Color.WHITE);
        chart.getStyler().setPlotBorderColor(new java.awt.Color(180, 180, 180));
        chart.getStyler().setPlotGridLinesColor(new java.awt.Color(225, 225, 225));
        chart.getStyler().setChartTitleBoxVisible(false);
        chart.getStyler().setChartFontColor(new java.awt.Color(40, 40, 40));
        chart.getStyler().setAxisTickLabelsColor(new java.awt.Color(60, 60, 60));

        long max = points.stream().mapToLong(Point::size).max().orElse(0);
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        int u = 0;
        double scale = 1;
        while (max / scale >= 1024 && u < units.length - 1) {
            scale *= 1024;
            u++;
        }
        List<Date> times = new ArrayList<>();
        List<Double> sizes = new ArrayList<>();
        List<Date> rowTimes = new ArrayList<>();
        List<Double> rows = new ArrayList<>();
        for (Point p : points) {
            times.add(new Date(p.timeMs()));
            sizes.add(p.size() / scale);
            if (p.rows() != null) {
                rowTimes.add(new Date(p.timeMs()));
                rows.add(p.rows().doubleValue());
            }
        }
        chart.setYAxisGroupTitle(0, "size (" + units[u] + ")");
        XYSeries size = chart.addSeries("size (" + units[u] + ")", times, sizes);
        size.setMarker(SeriesMarkers.CIRCLE);
        size.setLineColor(new java.awt.Color(31, 119, 180));
        size.setMarkerColor(new java.awt.Color(31, 119, 180));
        roundTicks(chart, 0, times, sizes);
        if (!rows.isEmpty()) {
            XYSeries r = chart.addSeries("rows", rowTimes, rows);
            r.setYAxisGroup(1);
            r.setMarker(SeriesMarkers.DIAMOND);
            r.setLineColor(new java.awt.Color(255, 127, 14));
            r.setMarkerColor(new java.awt.Color(255, 127, 14));
            chart.setYAxisGroupTitle(1, "rows");
            roundTicks(chart, 1, rowTimes, rows);
        }
        return chart;
    }

    /**
     * Adds an invisible series over a y axis's extent with one point off any regular grid: XChart
     * puts a tick at every value when values are equally spaced (sizes growing by the same bytes
     * each version), which prints labels such as 1.0244140625; an irregular point makes it choose
     * round ticks (the same remedy as the notebook's charts).
     */
    private static void roundTicks(XYChart chart, int group, List<Date> times, List<Double> ys) {
        long t0 = times.stream().mapToLong(Date::getTime).min().orElse(0);
        long t1 = times.stream().mapToLong(Date::getTime).max().orElse(0);
        double y0 = ys.stream().mapToDouble(Double::doubleValue).min().orElse(0);
        double y1 = ys.stream().mapToDouble(Double::doubleValue).max().orElse(0);
        if (y0 == y1) {
            // one value (a dataset's first version): an axis from zero, else its one tick is the value to ten decimals
            y0 = Math.min(0, y0);
            y1 = y1 > 0 ? y1 * 1.25 : y0 + 1;
        }
        if (t0 == t1) {
            t0 -= 12 * 3_600_000L; // a day around the one version, so the time axis has ticks
            t1 += 12 * 3_600_000L;
        }
        double f = 0.3719;
        XYSeries extent = chart.addSeries("(extent " + group + ")",
                List.of(new Date(t0), new Date(t0 + Math.round(f * (t1 - t0))), new Date(t1)), List.of(y0, y0 + f * (y1 - y0), y1));
        extent.setYAxisGroup(group);
        extent.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        extent.setMarker(SeriesMarkers.NONE);
        extent.setLineStyle(org.knowm.xchart.style.lines.SeriesLines.NONE);
        extent.setShowInLegend(false);
    }

    private SizeChart() {
    }
}
