package dev.kiln.magics.viz;

import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * A histogram drawn from {@link Bins} (never from the values themselves): a filled step outline,
 * one step per bin. An {@link org.knowm.xchart.XYChart}, so XChart's styler still applies.
 */
public class HistogramChart extends TickedXYChart implements DescribedChart {

    private final Bins bins;
    private final String column;
    private final Values.Kind kind;

    HistogramChart(String column, Values.Kind kind, Bins bins) {
        super("Histogram of " + column, kind, new double[] {bins.edges()[0], bins.edges()[bins.size()]},
                Values.Kind.INTEGER, new double[] {0, top(bins)});
        this.bins = bins;
        this.column = column;
        this.kind = kind;
        setXAxisTitle(column);
        setYAxisTitle("count");

        // the outline: up the left edge, a step per bin, down the right edge
        int n = bins.size();
        double[] x = new double[n + 3];
        double[] y = new double[n + 3];
        x[0] = bins.edges()[0];
        for (int i = 0; i < n; i++) {
            x[i + 1] = bins.edges()[i];
            y[i + 1] = bins.counts()[i];
        }
        x[n + 1] = bins.edges()[n];
        y[n + 1] = bins.counts()[n - 1];
        x[n + 2] = bins.edges()[n];
        XYSeries s = addSeries(column, x, y);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.StepArea);
        s.setMarker(SeriesMarkers.NONE);
        s.setLineColor(ChartStyle.INK);
        s.setFillColor(ChartStyle.INK_FILL);
        s.setLineStyle(SeriesLines.SOLID);
    }

    private static long top(Bins bins) {
        long top = 0;
        for (long c : bins.counts()) {
            top = Math.max(top, c);
        }
        return top;
    }

    /** The bins drawn: edges and counts. */
    public Bins bins() {
        return bins;
    }

    @Override
    public String description() {
        String s = "Histogram of " + column + ": " + ChartStyle.number(bins.total()) + " values in "
                + bins.size() + " bins"
                + (kind == Values.Kind.DATE || kind == Values.Kind.DATE_TIME ? "" : " of width " + ChartStyle.number(bins.width()))
                + " " + ChartStyle.range(kind, from(), to());
        return bins.outside() > 0
                ? s + " (" + ChartStyle.number(bins.outside()) + " missing or outside)" : s;
    }

    /** The first value the bins hold: an integer column's, not the half-integer edge its bins are centred by. */
    private double from() {
        double edge = bins.edges()[0];
        return kind == Values.Kind.INTEGER ? Math.ceil(edge) : edge;
    }

    /** The last value the bins hold: for integers, the last whole number below a half-integer edge. */
    private double to() {
        double edge = bins.edges()[bins.size()];
        return kind == Values.Kind.INTEGER && edge != Math.rint(edge) ? Math.floor(edge) : edge;
    }

    @Override
    public long marks() {
        return bins.size();
    }
}
