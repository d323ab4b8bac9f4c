package dev.kiln.magics.viz;

import java.awt.Graphics2D;
import java.util.List;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Plot_XY;
import org.knowm.xchart.style.XYStyler;

/**
 * An {@link XYChart} in Kiln's style whose axes carry Kiln's ticks ({@link TickedAxes}): dates on
 * the calendar, numbers for people. What {@code Plot.line} and {@code Plot.scatter} return, and
 * the base of the histogram and the density scatter plot.
 */
public class TickedXYChart extends XYChart {

    private final TickedAxes axes;

    /** {@code xRange} and {@code yRange}: about the values shown, {lowest, highest}. */
    TickedXYChart(String title, Values.Kind xKind, double[] xRange, Values.Kind yKind, double[] yRange) {
        super(ChartStyle.WIDTH, ChartStyle.HEIGHT);
        setTitle(title);
        ChartStyle.apply(this, false);
        this.axes = new TickedAxes(this, xKind, xRange, yKind, yRange);
        this.plot = new Plot_XY<XYStyler, XYSeries>(this) {
            @Override
            public void paint(Graphics2D g) {
                axes.paintUnder(g, axes.area(axisPair.getXAxis().getBounds(), chartTitle.getBounds().getHeight()));
                super.paint(g);
                axes.paintLabels(g, getBounds());
            }
        };
    }

    @Override
    public void paint(Graphics2D g, int width, int height) {
        axes.prepare();
        super.paint(g, width, height);
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
