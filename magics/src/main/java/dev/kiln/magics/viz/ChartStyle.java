package dev.kiln.magics.viz;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.HeatMapStyler;
import org.knowm.xchart.style.Styler;

/**
 * The one look of Kiln's charts, whatever their kind: size, fonts, colours, grid. White, a quiet
 * solid grid on the value axes only, series in one palette, no legend for a single series.
 */
final class ChartStyle {

    static final int WIDTH = 640;
    static final int HEIGHT = 400;

    /** The series colours, in order (Tableau 10): the first is the colour of every single-series chart. */
    static final Color[] PALETTE = {
        new Color(31, 119, 180), new Color(255, 127, 14), new Color(44, 160, 44), new Color(214, 39, 40),
        new Color(148, 103, 189), new Color(140, 86, 75), new Color(227, 119, 194), new Color(127, 127, 127),
        new Color(188, 189, 34), new Color(23, 190, 207)};
    static final Color INK = PALETTE[0];
    /** Areas: a histogram's bars, a box. */
    static final Color INK_FILL = new Color(31, 119, 180, 170);
    static final Color INK_LIGHT = new Color(31, 119, 180, 60);
    /** Lines drawn over an area in the ink's colour: a box's median. */
    static final Color INK_DARK = new Color(8, 69, 148);

    static final Color PLOT_BACKGROUND = Color.WHITE;
    static final Color GRID = new Color(228, 228, 228);
    static final BasicStroke GRID_STROKE = new BasicStroke(1f);
    static final Color BORDER = new Color(180, 180, 180);
    static final Color TEXT = new Color(40, 40, 40);
    static final Color TICK_LABELS = new Color(70, 70, 70);

    static final Font TITLE_FONT = new Font(Font.SANS_SERIF, Font.BOLD, 14);
    static final Font AXIS_TITLE_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    static final Font TICK_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
    static final Font LEGEND_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 11);

    private ChartStyle() {
    }

    static void apply(Chart<?, ?> chart, boolean legend) {
        Headless.ensure();
        Styler s = chart.getStyler();
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(PLOT_BACKGROUND);
        s.setPlotBorderColor(BORDER);
        s.setChartTitleBoxVisible(false);
        s.setLegendVisible(legend);
        if (!(s instanceof HeatMapStyler)) {
            s.setLegendPosition(Styler.LegendPosition.InsideNE);
        }
        s.setLegendBorderColor(new Color(200, 200, 200));
        s.setChartPadding(8);
        s.setAntiAlias(true);
        s.setChartTitleFont(TITLE_FONT);
        s.setLegendFont(LEGEND_FONT);
        s.setChartFontColor(TEXT);
        s.setSeriesColors(PALETTE);
        if (s instanceof AxesChartStyler a) {
            a.setAxisTitleFont(AXIS_TITLE_FONT);
            a.setAxisTickLabelsFont(TICK_FONT);
            a.setAxisTickLabelsColor(TICK_LABELS);
            a.setPlotGridLinesColor(GRID);
            a.setPlotGridLinesStroke(GRID_STROKE);
            a.setAxisTickMarksColor(new Color(140, 140, 140));
            a.setAxisTicksLineVisible(false);
            a.setPlotMargin(0);
        }
    }

    /**
     * A value of an axis of {@code kind} whose values reach {@code largest} in magnitude, for a
     * description: a date, a time (UTC), or a number written as the axis's ticks write it.
     */
    static String value(Values.Kind kind, double v, double largest) {
        return switch (kind) {
            case DATE -> LocalDate.ofEpochDay(Math.floorDiv(Math.round(v), 86_400_000L)).toString();
            case DATE_TIME -> DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")
                    .format(Instant.ofEpochMilli(Math.round(v)).atOffset(ZoneOffset.UTC));
            default -> NumberText.onAxis(v, largest);
        };
    }

    /** "from A to B" of an axis of {@code kind}, both written as its ticks write them. */
    static String range(Values.Kind kind, double from, double to) {
        double largest = Math.max(Math.abs(from), Math.abs(to));
        return "from " + value(kind, from, largest) + " to " + value(kind, to, largest);
    }

    /** A number for a description: {@link NumberText#readable}. */
    static String number(double v) {
        return NumberText.readable(v);
    }
}
