package dev.kiln.magics.viz;

import java.awt.Color;
import java.awt.Font;
import java.text.DecimalFormat;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.TimeZone;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.HeatMapStyler;
import org.knowm.xchart.style.Styler;

/** The look shared by Kiln's charts: white, quiet grid, no legend for a single series. */
final class ChartStyle {

    static final int WIDTH = 640;
    static final int HEIGHT = 400;
    static final Color INK = new Color(31, 119, 180);
    static final Color INK_FILL = new Color(31, 119, 180, 170);
    private static final Color GRID = new Color(225, 225, 225);

    private ChartStyle() {
    }

    static void apply(Chart<?, ?> chart, boolean legend) {
        Headless.ensure();
        Styler s = chart.getStyler();
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setPlotBorderColor(new Color(180, 180, 180));
        s.setChartTitleBoxVisible(false);
        s.setLegendVisible(legend);
        if (!(s instanceof HeatMapStyler)) {
            s.setLegendPosition(Styler.LegendPosition.InsideNE);
        }
        s.setLegendBorderColor(new Color(200, 200, 200));
        s.setChartPadding(8);
        s.setAntiAlias(true);
        s.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        s.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        s.setChartFontColor(new Color(40, 40, 40));
        if (s instanceof AxesChartStyler a) {
            a.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            a.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
            a.setAxisTickLabelsColor(new Color(60, 60, 60));
            a.setPlotGridLinesColor(GRID);
            a.setAxisTickMarksColor(new Color(140, 140, 140));
            a.setAxisTicksLineVisible(false);
            a.setPlotMargin(0);
        }
    }

    /**
     * Adds an invisible series spanning the given extent, with one point off any regular grid:
     * XChart puts ticks only at the data's values when those are equally spaced (histogram edges,
     * two corners), which gives odd labels; an irregular point makes it choose round ticks.
     */
    static void roundTicks(XYChart chart, Values.Kind xKind, double x0, double x1, double y0, double y1) {
        double f = 0.3719;
        XYSeries s = addSeries(chart, "(extent)", xKind, new double[] {x0, x0 + f * (x1 - x0), x1},
                new double[] {y0, y0 + f * (y1 - y0), y1});
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        s.setMarker(SeriesMarkers.NONE);
        s.setLineStyle(SeriesLines.NONE);
        s.setShowInLegend(false);
    }

    /** A series whose x values are dates when {@code xKind} says so (XChart then picks date ticks). */
    static XYSeries addSeries(XYChart chart, String name, Values.Kind xKind, double[] x, double[] y) {
        if (xKind != Values.Kind.DATE && xKind != Values.Kind.DATE_TIME) {
            return chart.addSeries(name, x, y);
        }
        List<Date> xs = new ArrayList<>(x.length);
        List<Double> ys = new ArrayList<>(y.length);
        for (int i = 0; i < x.length; i++) {
            xs.add(new Date(Math.round(x[i])));
            ys.add(y[i]);
        }
        return chart.addSeries(name, xs, ys);
    }

    /** Tick labels that suit the axes' values: dates in UTC, integers (years) ungrouped. */
    static void axes(XYChart chart, Values.Kind x, Values.Kind y) {
        var styler = chart.getStyler();
        if (x == Values.Kind.DATE || x == Values.Kind.DATE_TIME) {
            styler.setTimezone(TimeZone.getTimeZone("UTC"));
        } else if (x == Values.Kind.INTEGER) {
            styler.setXAxisDecimalPattern("0.##");
        }
        if (tickFormat(y) != null) {
            styler.setyAxisTickLabelsFormattingFunction(tickFormat(y));
        } else if (y == Values.Kind.INTEGER) {
            styler.setYAxisDecimalPattern("0.##");
        }
    }

    /** Tick labels for an axis of dates or times read as epoch milliseconds. */
    static java.util.function.Function<Double, String> tickFormat(Values.Kind kind) {
        return switch (kind) {
            case DATE -> ms -> LocalDate.ofEpochDay(Math.round(ms / 86_400_000d)).toString();
            case DATE_TIME -> ms -> DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")
                    .format(Instant.ofEpochMilli(Math.round(ms)).atOffset(ZoneOffset.UTC));
            default -> null;
        };
    }

    /** A value of an axis of {@code kind}, for a description. */
    static String value(Values.Kind kind, double v) {
        var f = tickFormat(kind);
        return f == null ? number(v) : f.apply(v);
    }

    /** A number for a description: thousands separated, at most 4 significant decimals. */
    static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return String.format("%,d", (long) v);
        }
        return new DecimalFormat("#,##0.####").format(v);
    }
}
