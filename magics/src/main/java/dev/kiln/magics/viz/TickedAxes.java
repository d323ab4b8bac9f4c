package dev.kiln.magics.viz;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.function.DoubleUnaryOperator;
import java.util.function.Function;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.AxesChartStyler;

/**
 * Kiln's ticks on the value axes of an XChart chart, in place of XChart's: XChart puts date ticks
 * at even steps of milliseconds (a tick labelled 2011 at 2012-01-01) and labels numbers as
 * {@code 1.8E6}. XChart still lays the chart out (its own labels are drawn, invisible, to keep
 * their room); once the axes are laid out, the chart's plot asks this for the background and grid
 * lines (under the data) and the labels (after), at ticks from {@link AxisTicks}.
 */
final class TickedAxes {

    /** Smallest distance between ticks, in pixels: dates carry longer labels than numbers. */
    static final double X_SPACING_NUMBERS = 50;
    static final double X_SPACING_DATES = 70;
    static final double Y_SPACING = 30;
    /** Space between two labels on the x axis. */
    static final double LABEL_GAP = 12;

    private static final Color INVISIBLE = new Color(0, 0, 0, 0);

    private final Chart<?, ?> chart;
    private final AxesChartStyler styler;
    /** What the axes show; null where XChart keeps its own ticks (categories). */
    private final Values.Kind xKind;
    private final Values.Kind yKind;

    private Rectangle2D area;
    private Rectangle2D xchartArea;
    private List<Tick> xTicks = List.of();
    private List<Tick> yTicks = List.of();
    private DoubleUnaryOperator xPixel;
    private DoubleUnaryOperator yPixel;
    /** The labels XChart lays its invisible y ticks out with. */
    private final Function<Double, String> yLayout;

    /**
     * Takes over the ticks of the axes whose kind is given, for a chart styled by
     * {@link ChartStyle#apply} and showing about {@code xRange} and {@code yRange} (for the room
     * XChart keeps for its invisible labels).
     */
    TickedAxes(Chart<?, ?> chart, Values.Kind xKind, double[] xRange, Values.Kind yKind, double[] yRange) {
        this.chart = chart;
        this.styler = (AxesChartStyler) chart.getStyler();
        this.xKind = xKind;
        this.yKind = yKind;
        styler.setPlotBackgroundColor(INVISIBLE);
        styler.setAxisTicksMarksVisible(false);
        styler.setPlotGridVerticalLinesVisible(false);
        // XChart keeps as much width as its widest label: make its labels as wide as Kiln's
        this.yLayout = yKind == null ? null : layoutLabels(yKind, yRange, 0.8 * chart.getHeight() - 10);
        prepare();
    }

    /**
     * Before the chart paints: XChart's labels invisible (keeping their room) and its grid off
     * where Kiln draws the ticks; XChart's own where Kiln does not (a logarithmic axis).
     */
    void prepare() {
        if (xKind != null) {
            boolean own = !styler.isXAxisLogarithmic();
            // XChart's own x labels keep the room (a line of text): its default ticks cost least to lay out
            styler.setXAxisTickLabelsColor(own ? INVISIBLE : ChartStyle.TICK_LABELS);
            styler.setPlotGridVerticalLinesVisible(!own);
        }
        if (yKind != null) {
            boolean own = !styler.isYAxisLogarithmic();
            styler.setYAxisTickLabelsColor(own ? INVISIBLE : ChartStyle.TICK_LABELS);
            styler.setyAxisTickLabelsFormattingFunction(own ? yLayout : null);
            styler.setPlotGridHorizontalLinesVisible(!own);
        }
    }

    /** Labels like those Kiln will draw, for a range of about {@code range} on {@code pixels}. */
    private static Function<Double, String> layoutLabels(Values.Kind kind, double[] range, double pixels) {
        if (kind == Values.Kind.DATE || kind == Values.Kind.DATE_TIME) {
            return v -> AxisTicks.dateLabel(v, kind == Values.Kind.DATE);
        }
        double pad = 0.04 * (range[1] - range[0]);
        List<Tick> ticks = AxisTicks.of(kind, range[0] - pad, range[1] + pad,
                new AxisTicks.Room(pixels, s -> 14, Y_SPACING, 0));
        double step = ticks.size() > 1 ? ticks.get(1).value() - ticks.get(0).value() : Math.abs(range[1] - range[0]);
        double largest = ticks.stream().mapToDouble(t -> Math.abs(t.value())).max().orElse(0);
        var label = NumberText.axis(step, largest);
        return label::apply;
    }

    /** The x axis's ticks at the chart's size, as the chart draws them now (it is laid out anew). */
    List<Tick> xTicks() {
        layOut();
        return xTicks;
    }

    List<Tick> yTicks() {
        layOut();
        return yTicks;
    }

    /** The plot's rectangle, in the chart's pixels. */
    Rectangle2D plotArea() {
        layOut();
        return (Rectangle2D) area.clone();
    }

    /** The plot's rectangle as XChart computes it (null if it does not). */
    Rectangle2D xchartPlotArea() {
        layOut();
        return xchartArea;
    }

    /** The x axis's ticks as the last paint drew them (an SVG's layout may differ from a PNG's by a pixel). */
    List<Tick> drawnXTicks() {
        return xTicks;
    }

    /** The plot's rectangle as the last paint drew it. */
    Rectangle2D drawnArea() {
        return (Rectangle2D) area.clone();
    }

    /** Paints the chart to nowhere: what it would draw now, at its size. */
    private void layOut() {
        BufferedImage scratch = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = scratch.createGraphics();
        chart.paint(g, chart.getWidth(), chart.getHeight());
        g.dispose();
    }

    /**
     * The plot's rectangle, as XChart's plot computes it when it paints, from the axes laid out just
     * before: the x axis gives its left, width and bottom, the title its top.
     */
    Rectangle2D area(Rectangle2D xAxis, double titleHeight) {
        double top = titleHeight + styler.getChartPadding();
        double bottom = xAxis.getY() - styler.getPlotMargin();
        return new Rectangle2D.Double(xAxis.getX(), top, xAxis.getWidth(), bottom - top);
    }

    /** Before XChart draws the plot: its background, then the grid lines at Kiln's ticks. */
    void paintUnder(Graphics2D g, Rectangle2D plot) {
        this.area = plot;
        g.setColor(ChartStyle.PLOT_BACKGROUND);
        g.fill(plot);
        xPixel = null;
        yPixel = null;
        xTicks = List.of();
        yTicks = List.of();
        Font font = styler.getAxisTickLabelsFont();
        FontMetrics metrics = g.getFontMetrics(font);
        if (xKind != null && !styler.isXAxisLogarithmic()) {
            double[] range = visibleRange(chart::getScreenXFromChart, plot.getMinX(), plot.getMaxX());
            if (range != null) {
                double spacing = xKind == Values.Kind.DATE || xKind == Values.Kind.DATE_TIME
                        ? X_SPACING_DATES : X_SPACING_NUMBERS;
                xTicks = AxisTicks.of(xKind, range[0], range[1],
                        new AxisTicks.Room(plot.getWidth(), metrics::stringWidth, spacing, LABEL_GAP));
                xPixel = linear(range[0], range[1], plot.getMinX(), plot.getMaxX());
            }
        }
        if (yKind != null && !styler.isYAxisLogarithmic()) {
            double[] range = visibleRange(chart::getScreenYFromChart, plot.getMaxY(), plot.getMinY());
            if (range != null) {
                double line = metrics.getAscent() + metrics.getDescent();
                yTicks = AxisTicks.of(yKind, range[0], range[1],
                        new AxisTicks.Room(plot.getHeight(), s -> line, Y_SPACING, 0));
                yPixel = linear(range[0], range[1], plot.getMaxY(), plot.getMinY());
            }
        }
        g.setColor(ChartStyle.GRID);
        g.setStroke(ChartStyle.GRID_STROKE);
        for (Tick t : xTicks) {
            double x = xPixel.applyAsDouble(t.value());
            if (x > plot.getMinX() + 0.5 && x < plot.getMaxX() - 0.5) {
                g.draw(new Line2D.Double(x, plot.getMinY(), x, plot.getMaxY()));
            }
        }
        for (Tick t : yTicks) {
            double y = yPixel.applyAsDouble(t.value());
            if (y > plot.getMinY() + 0.5 && y < plot.getMaxY() - 0.5) {
                g.draw(new Line2D.Double(plot.getMinX(), y, plot.getMaxX(), y));
            }
        }
    }

    /**
     * After XChart has drawn the plot: the labels of Kiln's ticks, where XChart kept room for its
     * own. {@code xchartArea}: the plot's rectangle as XChart computed it, kept to check
     * {@link #area} against.
     */
    void paintLabels(Graphics2D g, Rectangle2D xchartArea) {
        this.xchartArea = xchartArea == null ? null : (Rectangle2D) xchartArea.clone();
        Font font = styler.getAxisTickLabelsFont();
        g.setFont(font);
        g.setColor(ChartStyle.TICK_LABELS);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        FontMetrics metrics = g.getFontMetrics(font);
        double gap = styler.getAxisTickPadding();
        float baseline = (float) (area.getMaxY() + gap + metrics.getAscent());
        for (Tick t : xTicks) {
            double x = xPixel.applyAsDouble(t.value());
            if (x < area.getMinX() - 0.5 || x > area.getMaxX() + 0.5) {
                continue;
            }
            int width = metrics.stringWidth(t.label());
            // centred under its tick, but never past the chart's edges
            double left = Math.max(1, Math.min(x - width / 2.0, chart.getWidth() - 1 - width));
            g.drawString(t.label(), (float) left, baseline);
        }
        double right = area.getMinX() - gap;
        for (Tick t : yTicks) {
            double y = yPixel.applyAsDouble(t.value());
            if (y < area.getMinY() - 0.5 || y > area.getMaxY() + 0.5) {
                continue;
            }
            int width = metrics.stringWidth(t.label());
            // the digits' middle on the tick's line
            float base = (float) (y + (metrics.getAscent() - metrics.getDescent()) / 2.0);
            g.drawString(t.label(), (float) (right - width), base);
        }
    }

    /**
     * The values at two screen positions of an axis, from XChart's mapping of values to pixels
     * (linear; its range is XChart's own): a first guess from 0 and 1, refined where the values
     * are, so that large values (epoch milliseconds) keep their precision. Null when the axis
     * shows a single value.
     */
    static double[] visibleRange(DoubleUnaryOperator screen, double pixelA, double pixelB) {
        double a = 0;
        double b = 1;
        for (int round = 0; round < 3; round++) {
            double sa = screen.applyAsDouble(a);
            double sb = screen.applyAsDouble(b);
            double perUnit = (sb - sa) / (b - a);
            if (!(Math.abs(perUnit) > 0) || Double.isInfinite(perUnit)) {
                return null;
            }
            double na = a + (pixelA - sa) / perUnit;
            double nb = a + (pixelB - sa) / perUnit;
            if (!(nb != na) || Double.isInfinite(na) || Double.isInfinite(nb)) {
                return null;
            }
            a = na;
            b = nb;
        }
        return new double[] {a, b};
    }

    private static DoubleUnaryOperator linear(double v0, double v1, double p0, double p1) {
        double scale = (p1 - p0) / (v1 - v0);
        return v -> p0 + (v - v0) * scale;
    }
}
