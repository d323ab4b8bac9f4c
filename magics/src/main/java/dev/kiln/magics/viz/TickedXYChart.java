package dev.kiln.magics.viz;

import java.awt.Graphics2D;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Plot_XY;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * An {@link XYChart} in Kiln's style whose axes carry Kiln's ticks ({@link TickedAxes}): dates on
 * the calendar, numbers for people. What {@code Plot.line} and {@code Plot.scatter} return, and
 * the base of the histogram and the density scatter plot.
 */
public class TickedXYChart extends XYChart {

    /** The name of the invisible series that only helps XChart lay the axes out. */
    static final String LAYOUT = "(layout)";

    private final TickedAxes axes;
    private final Values.Kind xKind;
    private final double[] layoutPoint;

    /** {@code xRange} and {@code yRange}: about the values shown, {lowest, highest}. */
    TickedXYChart(String title, Values.Kind xKind, double[] xRange, Values.Kind yKind, double[] yRange) {
        super(ChartStyle.WIDTH, ChartStyle.HEIGHT);
        setTitle(title);
        ChartStyle.apply(this, false);
        this.xKind = xKind;
        this.axes = new TickedAxes(this, xKind, xRange, yKind, yRange);
        this.layoutPoint = new double[] {xRange[0] + 0.3719 * (xRange[1] - xRange[0]),
            yRange[0] + 0.3719 * (yRange[1] - yRange[0])};
        this.plot = new Plot_XY<XYStyler, XYSeries>(this) {
            @Override
            public void paint(Graphics2D g) {
                axes.paintUnder(g, axes.area(axisPair.getXAxis().getBounds(), chartTitle.getBounds().getHeight()));
                super.paint(g);
                axes.paintLabels(g, getBounds());
            }
        };
    }

    /**
     * A series; on an axis of dates or times its x values are epoch milliseconds (UTC), and XChart
     * is told they are dates (its date axis lays the chart out quickest).
     */
    @Override
    public XYSeries addSeries(String name, double[] x, double[] y) {
        if (xKind != Values.Kind.DATE && xKind != Values.Kind.DATE_TIME) {
            return super.addSeries(name, x, y);
        }
        List<Date> dates = new ArrayList<>(x.length);
        List<Double> ys = new ArrayList<>(y.length);
        for (int i = 0; i < x.length; i++) {
            dates.add(new Date(Math.round(x[i])));
            ys.add(y[i]);
        }
        return super.addSeries(name, dates, ys);
    }

    /**
     * Paints with one invisible point off any regular grid, there only while XChart paints: on
     * equally spaced values (an index, a histogram's edges) XChart lays an axis out by trying
     * every k-th value in turn, which costs a line chart of 1,461 days some 20 ms.
     */
    @Override
    public void paint(Graphics2D g, int width, int height) {
        axes.prepare();
        XYSeries layout = addSeries(LAYOUT, new double[] {layoutPoint[0]}, new double[] {layoutPoint[1]});
        layout.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        layout.setMarker(SeriesMarkers.NONE);
        layout.setLineStyle(SeriesLines.NONE);
        layout.setShowInLegend(false);
        try {
            super.paint(g, width, height);
        } finally {
            removeSeries(LAYOUT);
        }
    }

    /** The x axis's ticks, as drawn at the chart's size. */
    public List<Tick> xTicks() {
        return axes.xTicks();
    }

    /** The y axis's ticks, as drawn at the chart's size. */
    public List<Tick> yTicks() {
        return axes.yTicks();
    }

    TickedAxes axes() {
        return axes;
    }
}
