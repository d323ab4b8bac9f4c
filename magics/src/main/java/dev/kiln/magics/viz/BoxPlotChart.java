package dev.kiln.magics.viz;

import dev.kiln.magics.core.UserError;
import java.awt.BasicStroke;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.DoubleFunction;
import org.knowm.xchart.BoxChart;
import org.knowm.xchart.BoxSeries;
import org.knowm.xchart.internal.chartpart.Plot_Box;
import org.knowm.xchart.style.BoxStyler;

/**
 * Box plots computed in the JVM and drawn in Kiln's style: each box is given to XChart as its
 * extremes and five numbers (for the axes), never as its values. Quartiles interpolate linearly
 * between order statistics (as numpy and R's default do); whiskers end at the furthest values
 * within 1.5 IQR; values beyond them are drawn as dots (at most {@value #MAX_DOTS} per box).
 */
public class BoxPlotChart extends BoxChart implements DescribedChart {

    /** One box: its five numbers, how many values it summarises, how many lie beyond the whiskers. */
    public record Box(String name, double low, double q1, double median, double q3, double high,
                      long count, long outliers) {
    }

    /** Values beyond the whiskers drawn per box; more are thinned evenly (the extremes kept). */
    static final int MAX_DOTS = 2_000;

    private final List<Box> boxes = new ArrayList<>();
    /** Per box, the values beyond its whiskers that are drawn. */
    private final List<double[]> dots = new ArrayList<>();
    private final String grouping;
    private final TickedAxes axes;

    /** One box per column. */
    BoxPlotChart(List<Values> columns) {
        this(columns.size() == 1 ? "Box plot of " + columns.get(0).name : "Box plots", "",
                columns.size() == 1 ? columns.get(0).name : "", null, columns);
    }

    /**
     * One box per group: {@code groups} are the values of one column split by a category, each
     * named for its category, in the order drawn.
     */
    BoxPlotChart(String value, String category, List<Values> groups) {
        this(value + " by " + category, category, value, category, groups);
    }

    private BoxPlotChart(String title, String xTitle, String yTitle, String grouping, List<Values> columns) {
        super(ChartStyle.WIDTH, ChartStyle.HEIGHT);
        this.grouping = grouping;
        setTitle(title);
        setXAxisTitle(xTitle);
        setYAxisTitle(yTitle);
        ChartStyle.apply(this, false);
        List<double[]> extremes = new ArrayList<>();
        double lowest = Double.POSITIVE_INFINITY;
        double highest = Double.NEGATIVE_INFINITY;
        for (Values v : columns) {
            double[] sorted = sortedKnown(v);
            Box b = box(v.name, sorted);
            boxes.add(b);
            dots.add(beyondWhiskers(sorted, b));
            extremes.add(new double[] {sorted[0], sorted[sorted.length - 1]});
            lowest = Math.min(lowest, sorted[0]);
            highest = Math.max(highest, sorted[sorted.length - 1]);
        }
        // a box plot's y axis spans its series (XChart ignores set bounds here): widen a single value
        double[] around = Plot.widened(Values.Kind.REAL, lowest, highest);
        for (int i = 0; i < boxes.size(); i++) {
            Box b = boxes.get(i);
            double[] e = highest > lowest ? extremes.get(i) : around;
            // XChart reads the series only for the axes: the extremes and the five numbers
            addSeries(b.name(), new double[] {e[0], b.low(), b.q1(), b.median(), b.q3(), b.high(), e[1]});
        }
        if (columns.size() > 8 || columns.stream().mapToInt(v -> v.name.length()).max().orElse(0) * columns.size() > 60) {
            getStyler().setXAxisLabelRotation(45);
        }
        this.axes = new TickedAxes(this, null, null, Values.Kind.REAL, around);
        this.plot = new Plot_Box<BoxStyler, BoxSeries>(this) {
            @Override
            public void paint(Graphics2D g) {
                Rectangle2D area = axes.area(axisPair.getXAxis().getBounds(), chartTitle.getBounds().getHeight());
                axes.paintUnder(g, area);
                // XChart's plot, drawn into an empty clip: it keeps its bounds (the title reads them),
                // its boxes (in colours of its own) are not seen
                Graphics2D nowhere = (Graphics2D) g.create();
                nowhere.clip(new Rectangle());
                super.paint(nowhere);
                nowhere.dispose();
                paintBoxes(g, area);
                g.setColor(ChartStyle.BORDER);
                g.setStroke(new BasicStroke(1));
                g.draw(area);
                axes.paintLabels(g, getBounds());
            }
        };
    }

    /** The finite values of {@code v}, sorted; a {@link UserError} when there are none. */
    private static double[] sortedKnown(Values v) {
        int n = v.size();
        double[] xs = new double[n];
        int k = 0;
        for (int i = 0; i < n; i++) {
            double x = v.get(i);
            if (x - x == 0) {
                xs[k++] = x;
            }
        }
        if (k == 0) {
            throw new UserError("'" + v.name + "' has no values to draw a box plot of.");
        }
        double[] sorted = Arrays.copyOf(xs, k);
        Arrays.sort(sorted);
        return sorted;
    }

    static Box box(Values v) {
        return box(v.name, sortedKnown(v));
    }

    private static Box box(String name, double[] sorted) {
        int k = sorted.length;
        double q1 = quantile(sorted, 0.25);
        double median = quantile(sorted, 0.5);
        double q3 = quantile(sorted, 0.75);
        double fence = 1.5 * (q3 - q1);
        int lo = 0;
        while (sorted[lo] < q1 - fence) {
            lo++;
        }
        int hi = k - 1;
        while (sorted[hi] > q3 + fence) {
            hi--;
        }
        return new Box(name, sorted[lo], q1, median, q3, sorted[hi], k, lo + (k - 1 - hi));
    }

    /** The values below and above the whiskers, at most {@value #MAX_DOTS}, evenly thinned. */
    private static double[] beyondWhiskers(double[] sorted, Box b) {
        int below = 0;
        while (sorted[below] < b.low()) {
            below++;
        }
        int above = 0;
        while (sorted[sorted.length - 1 - above] > b.high()) {
            above++;
        }
        int total = below + above;
        int keep = Math.min(total, MAX_DOTS);
        double[] out = new double[keep];
        for (int i = 0; i < keep; i++) {
            // the i-th of `keep` evenly spaced picks among the `total` values beyond, first and last included
            int j = keep == 1 ? 0 : (int) Math.round((double) i * (total - 1) / (keep - 1));
            out[i] = j < below ? sorted[j] : sorted[sorted.length - above + (j - below)];
        }
        return out;
    }

    /** Linear interpolation between order statistics at position (n - 1) p. */
    static double quantile(double[] sorted, double p) {
        double pos = (sorted.length - 1) * p;
        int i = (int) Math.floor(pos);
        double f = pos - i;
        return i + 1 < sorted.length ? sorted[i] + f * (sorted[i + 1] - sorted[i]) : sorted[i];
    }

    /** The boxes where XChart puts its categories: each in the middle of an equal slot. */
    private void paintBoxes(Graphics2D g, Rectangle2D area) {
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        double content = getStyler().getPlotContentSize() * area.getWidth();
        double slot = content / boxes.size();
        double half = Math.min(slot * 0.3, 40);
        for (int i = 0; i < boxes.size(); i++) {
            Box b = boxes.get(i);
            double x = boxCentre(i, area);
            double q1 = getScreenYFromChart(b.q1());
            double q3 = getScreenYFromChart(b.q3());
            double low = getScreenYFromChart(b.low());
            double high = getScreenYFromChart(b.high());
            double median = getScreenYFromChart(b.median());
            var box = new Rectangle2D.Double(x - half, q3, 2 * half, Math.max(q1 - q3, 1));
            g.setColor(ChartStyle.INK_LIGHT);
            g.fill(box);
            g.setColor(ChartStyle.INK);
            g.setStroke(new BasicStroke(1.2f));
            g.draw(box);
            g.draw(new Line2D.Double(x, q3, x, high));
            g.draw(new Line2D.Double(x, q1, x, low));
            g.draw(new Line2D.Double(x - half / 2, high, x + half / 2, high));
            g.draw(new Line2D.Double(x - half / 2, low, x + half / 2, low));
            g.setColor(ChartStyle.INK_DARK);
            g.setStroke(new BasicStroke(2f));
            g.draw(new Line2D.Double(x - half, median, x + half, median));
            g.setColor(ChartStyle.INK);
            g.setStroke(new BasicStroke(1f));
            double r = 2.5;
            // one circle per half pixel (a device pixel at 2x): tails of many values overlap
            java.util.BitSet drawn = new java.util.BitSet();
            for (double v : dots.get(i)) {
                double y = Math.round(getScreenYFromChart(v) * 2) / 2.0;
                int at = (int) Math.max(0, Math.min(Integer.MAX_VALUE - 1, y * 2));
                if (!drawn.get(at)) {
                    drawn.set(at);
                    g.draw(new Ellipse2D.Double(x - r, y - r, 2 * r, 2 * r));
                }
            }
        }
    }

    /** The x of box {@code i}'s centre, in the chart's pixels: where XChart writes its category. */
    double boxCentre(int i, Rectangle2D area) {
        double content = getStyler().getPlotContentSize() * area.getWidth();
        double margin = (area.getWidth() - content) / 2;
        double slot = content / boxes.size();
        return area.getX() + margin + (i + 0.5) * slot;
    }

    public List<Box> boxes() {
        return List.copyOf(boxes);
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

    TickedAxes axes() {
        return axes;
    }

    /** Values drawn as dots beyond the whiskers of box {@code i}. */
    double[] dots(int i) {
        return dots.get(i).clone();
    }

    @Override
    public String description() {
        StringBuilder s = new StringBuilder(grouping == null
                ? "Box plot (quartiles; whiskers at the furthest values within 1.5 IQR):"
                : "Box plot of " + getYAxisTitle() + " by " + grouping
                        + " (quartiles; whiskers at the furthest values within 1.5 IQR):");
        double largest = Math.max(boxes.stream().mapToDouble(b -> Math.max(Math.abs(b.low()), Math.abs(b.high()))).max().orElse(0),
                dots.stream().flatMapToDouble(Arrays::stream).map(Math::abs).max().orElse(0));
        DoubleFunction<String> onAxis = v -> NumberText.onAxis(v, largest);
        for (Box b : boxes) {
            s.append("\n  ").append(b.name()).append(": median ").append(onAxis.apply(b.median()))
                    .append(", quartiles ").append(onAxis.apply(b.q1())).append("–").append(onAxis.apply(b.q3()))
                    .append(", whiskers ").append(onAxis.apply(b.low())).append("–").append(onAxis.apply(b.high()))
                    .append(", ").append(NumberText.count(b.count())).append(b.count() == 1 ? " value, " : " values, ")
                    .append(NumberText.count(b.outliers())).append(" beyond the whiskers");
        }
        return s.toString();
    }

    @Override
    public long marks() {
        return boxes.size() + dots.stream().mapToLong(d -> d.length).sum();
    }
}
