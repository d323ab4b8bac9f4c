package dev.kiln.magics.viz;

import java.awt.Graphics2D;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.internal.chartpart.Plot_Category;
import org.knowm.xchart.style.CategoryStyler;

/** A bar chart in Kiln's style, one bar per label, its value axis with Kiln's ticks. */
public class BarChart extends CategoryChart {

    private final TickedAxes axes;

    BarChart(String title, String xTitle, String yTitle, Values.Kind yKind, Map<String, Double> bars) {
        super(ChartStyle.WIDTH, ChartStyle.HEIGHT);
        setTitle(title);
        setXAxisTitle(xTitle);
        setYAxisTitle(yTitle);
        ChartStyle.apply(this, false);
        double lowest = Math.min(0, bars.values().stream().mapToDouble(Double::doubleValue).min().orElse(0));
        double highest = Math.max(0, bars.values().stream().mapToDouble(Double::doubleValue).max().orElse(0));
        this.axes = new TickedAxes(this, null, null, yKind, new double[] {lowest, highest});
        int longest = bars.keySet().stream().mapToInt(String::length).max().orElse(0);
        if (bars.size() > 8 || longest * bars.size() > 60) {
            getStyler().setXAxisLabelRotation(45);
        }
        getStyler().setOverlapped(false);
        CategorySeries s = addSeries(yTitle.isEmpty() ? "value" : yTitle,
                new ArrayList<>(bars.keySet()), new ArrayList<>(bars.values()));
        s.setFillColor(ChartStyle.INK);
        this.plot = new Plot_Category<CategoryStyler, CategorySeries>(this) {
            @Override
            public void paint(Graphics2D g) {
                axes.paintUnder(g, axes.area(axisPair.getXAxis().getBounds(), chartTitle.getBounds().getHeight()));
                super.paint(g);
                axes.paintLabels(g, getBounds());
            }
        };
    }

    TickedAxes axes() {
        return axes;
    }

    @Override
    public void paint(Graphics2D g, int width, int height) {
        axes.prepare();
        super.paint(g, width, height);
    }

    /** The value axis's ticks, as drawn at the chart's size. */
    public List<Tick> yTicks() {
        return axes.yTicks();
    }
}
