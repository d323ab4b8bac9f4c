package dev.kiln.magics.viz;

import dev.kiln.magics.core.UserError;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.knowm.xchart.BoxChart;
import org.knowm.xchart.style.BoxStyler;

/**
 * Box plots computed in the JVM: each series is given to XChart as five numbers (whisker ends,
 * quartiles, median), never as its values. Quartiles interpolate linearly between order
 * statistics (as numpy and R's default do); whiskers end at the furthest values within 1.5 IQR.
 */
public class BoxPlotChart extends BoxChart implements DescribedChart {

    /** One box: its five numbers, how many values it summarises, how many lie beyond the whiskers. */
    public record Box(String name, double low, double q1, double median, double q3, double high,
                      long count, long outliers) {
    }

    private final List<Box> boxes = new ArrayList<>();

    BoxPlotChart(List<Values> columns) {
        super(ChartStyle.WIDTH, ChartStyle.HEIGHT);
        getStyler().setBoxplotCalCulationMethod(BoxStyler.BoxplotCalCulationMethod.N_LESS_1_PLUS_1);
        ChartStyle.apply(this, false);
        setTitle(columns.size() == 1 ? "Box plot of " + columns.get(0).name : "Box plots");
        setYAxisTitle(columns.size() == 1 ? columns.get(0).name : "");
        for (Values v : columns) {
            Box b = box(v);
            boxes.add(b);
            // with this calculation method XChart reads these five sorted numbers back exactly
            var series = addSeries(b.name(), new double[] {b.low(), b.q1(), b.median(), b.q3(), b.high()});
            series.setLineColor(ChartStyle.INK);
            series.setFillColor(new java.awt.Color(31, 119, 180, 60));
        }
    }

    static Box box(Values v) {
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
        return new Box(v.name, sorted[lo], q1, median, q3, sorted[hi], k, lo + (k - 1 - hi));
    }

    /** Linear interpolation between order statistics at position (n - 1) p. */
    static double quantile(double[] sorted, double p) {
        double pos = (sorted.length - 1) * p;
        int i = (int) Math.floor(pos);
        double f = pos - i;
        return i + 1 < sorted.length ? sorted[i] + f * (sorted[i + 1] - sorted[i]) : sorted[i];
    }

    public List<Box> boxes() {
        return List.copyOf(boxes);
    }

    @Override
    public String description() {
        StringBuilder s = new StringBuilder("Box plot (quartiles; whiskers at the furthest values within 1.5 IQR):");
        for (Box b : boxes) {
            s.append("\n  ").append(b.name()).append(": median ").append(ChartStyle.number(b.median()))
                    .append(", quartiles ").append(ChartStyle.number(b.q1())).append("–").append(ChartStyle.number(b.q3()))
                    .append(", whiskers ").append(ChartStyle.number(b.low())).append("–").append(ChartStyle.number(b.high()))
                    .append(", ").append(ChartStyle.number(b.count())).append(" values, ")
                    .append(ChartStyle.number(b.outliers())).append(" beyond the whiskers");
        }
        return s.toString();
    }

    @Override
    public long marks() {
        return boxes.size();
    }
}
