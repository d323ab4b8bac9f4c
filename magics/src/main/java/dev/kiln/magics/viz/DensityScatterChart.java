package dev.kiln.magics.viz;

import dev.kiln.magics.core.UserError;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.knowm.xchart.internal.chartpart.Annotation;

/**
 * A scatter plot of many points drawn as a density raster: the points are counted into one cell
 * per pixel of the plot area (in one pass, when the chart is made), and the counts are shown on a
 * log colour scale. The chart keeps the counts, not the points, so it is as small to hold and to
 * render for ten million points as for ten thousand.
 */
public class DensityScatterChart extends TickedXYChart implements DescribedChart {

    /** Light to dark blue (ColorBrewer "Blues" 4..9): a single point stays visible on white. */
    private static final int[] RAMP = {0x9ecae1, 0x6baed6, 0x4292c6, 0x2171b5, 0x08519c, 0x08306b};

    /** Below this many points a cell is 2×2 pixels. */
    static final int SPARSE = 50_000;

    private final String xName;
    private final String yName;
    private final Values.Kind xKind;
    private final Values.Kind yKind;
    private final double xMin;
    private final double xMax;
    private final double yMin;
    private final double yMax;
    private final int columns;
    private final int rows;
    private final int[] counts;
    private final long points;
    private final long skipped;
    private final int maxCount;
    private final BufferedImage raster;

    DensityScatterChart(Values x, Values y) {
        this(x, y, Extent.of(x, y));
    }

    /** Where the points lie: the rows where both coordinates are known, and their extremes. */
    private record Extent(double x0, double x1, double y0, double y1, long known) {

        static Extent of(Values x, Values y) {
            if (x.size() != y.size()) {
                throw new UserError("A scatter plot needs as many x values as y values: '" + x.name + "' has "
                        + x.size() + ", '" + y.name + "' has " + y.size() + ".");
            }
            int n = x.size();
            double x0 = Double.POSITIVE_INFINITY;
            double x1 = Double.NEGATIVE_INFINITY;
            double y0 = Double.POSITIVE_INFINITY;
            double y1 = Double.NEGATIVE_INFINITY;
            long known = 0;
            for (int i = 0; i < n; i++) {
                double a = x.get(i);
                double b = y.get(i);
                if (!finite(a) || !finite(b)) {
                    continue;
                }
                known++;
                x0 = Math.min(x0, a);
                x1 = Math.max(x1, a);
                y0 = Math.min(y0, b);
                y1 = Math.max(y1, b);
            }
            if (known == 0) {
                throw new UserError("No row has both '" + x.name + "' and '" + y.name + "': nothing to plot.");
            }
            double[] xs = Plot.widened(x.kind, x0, x1);
            double[] ys = Plot.widened(y.kind, y0, y1);
            return new Extent(xs[0], xs[1], ys[0], ys[1], known);
        }
    }

    private DensityScatterChart(Values x, Values y, Extent e) {
        super(y.name + " vs " + x.name, x.kind, new double[] {e.x0(), e.x1()}, y.kind, new double[] {e.y0(), e.y1()});
        this.xName = x.name;
        this.yName = y.name;
        this.xKind = x.kind;
        this.yKind = y.kind;
        int n = x.size();
        double x0 = e.x0();
        double x1 = e.x1();
        double y0 = e.y0();
        double y1 = e.y1();
        long known = e.known();
        this.xMin = x0;
        this.xMax = x1;
        this.yMin = y0;
        this.yMax = y1;
        this.points = known;
        this.skipped = n - known;

        setXAxisTitle(x.name);
        setYAxisTitle(y.name);
        // two invisible points give the axes their extent: the points themselves are a raster
        XYSeries extent = addSeries("(extent)", new double[] {x0, x1}, new double[] {y0, y1});
        extent.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        extent.setMarker(SeriesMarkers.NONE);
        extent.setLineStyle(SeriesLines.NONE);
        extent.setShowInLegend(false);

        // lay the chart out once to learn the plot area's size in pixels: one cell per pixel
        BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = probe.createGraphics();
        paint(g, getWidth(), getHeight());
        g.dispose();
        // sparse points get 2-pixel cells: visible as dots, not specks
        double cell = known < SPARSE ? 2 : 1;
        this.columns = Math.max(1, (int) Math.round((getScreenXFromChart(x1) - getScreenXFromChart(x0)) / cell));
        this.rows = Math.max(1, (int) Math.round((getScreenYFromChart(y0) - getScreenYFromChart(y1)) / cell));

        // pass 2: count the points into the cells (row 0 at the top)
        this.counts = new int[columns * rows];
        double sx = columns / (x1 - x0);
        double sy = rows / (y1 - y0);
        int lastColumn = columns - 1;
        int lastRow = rows - 1;
        int[] c = counts;
        for (int i = 0; i < n; i++) {
            double a = x.get(i);
            double b = y.get(i);
            if (!(a >= x0 && a <= x1 && b >= y0 && b <= y1)) {
                continue;
            }
            int col = Math.min((int) ((a - x0) * sx), lastColumn);
            int row = Math.min((int) ((y1 - b) * sy), lastRow);
            c[row * columns + col]++;
        }
        int max = 0;
        for (int v : c) {
            max = Math.max(max, v);
        }
        this.maxCount = max;
        this.raster = colour(counts, columns, rows, max);
        addAnnotation(new Layer());
    }

    private static boolean finite(double v) {
        return v - v == 0;
    }

    /** 256 colours from the lightest to the darkest of the ramp. */
    private static final int[] LUT = lut(256);

    private static int[] lut(int levels) {
        int[] lut = new int[levels];
        for (int i = 0; i < levels; i++) {
            double t = i / (levels - 1.0) * (RAMP.length - 1);
            int k = Math.min((int) t, RAMP.length - 2);
            double f = t - k;
            int a = RAMP[k];
            int b = RAMP[k + 1];
            int r = (int) Math.round(((a >> 16) & 255) * (1 - f) + ((b >> 16) & 255) * f);
            int gr = (int) Math.round(((a >> 8) & 255) * (1 - f) + ((b >> 8) & 255) * f);
            int bl = (int) Math.round((a & 255) * (1 - f) + (b & 255) * f);
            lut[i] = 0xff000000 | (r << 16) | (gr << 8) | bl;
        }
        return lut;
    }

    /** Counts to colours on a log scale; empty cells transparent so the grid shows through. */
    private static BufferedImage colour(int[] counts, int columns, int rows, int max) {
        double scale = max > 1 ? (LUT.length - 1) / Math.log(max) : 0;
        int[] argb = new int[counts.length];
        for (int i = 0; i < counts.length; i++) {
            int v = counts[i];
            argb[i] = v == 0 ? 0 : LUT[(int) (Math.log(v) * scale)];
        }
        BufferedImage img = new BufferedImage(columns, rows, BufferedImage.TYPE_INT_ARGB);
        img.setRGB(0, 0, columns, rows, argb, 0, columns);
        return img;
    }

    /** Points counted into each cell, row by row from the top: {@code rows() * columns()} cells. */
    public int[] counts() {
        return counts.clone();
    }

    public int columns() {
        return columns;
    }

    public int rows() {
        return rows;
    }

    /** Points drawn (rows where both coordinates are known). */
    public long points() {
        return points;
    }

    @Override
    public String description() {
        String s = "Scatter plot of " + yName + " against " + xName + ": " + ChartStyle.number(points)
                + " points drawn as a density raster of " + columns + "×" + rows
                + " cells (darker = more points, log scale, up to " + ChartStyle.number(maxCount)
                + " in one cell); " + xName + " " + ChartStyle.range(xKind, xMin, xMax) + ", " + yName + " "
                + ChartStyle.range(yKind, yMin, yMax);
        return skipped > 0 ? s + " (" + ChartStyle.number(skipped) + " rows missing a coordinate)" : s;
    }

    @Override
    public long marks() {
        return Long.MAX_VALUE;
    }

    /** Draws the raster over the data's extent, after the axes have been laid out. */
    private final class Layer extends Annotation {

        Layer() {
            super(false);
        }

        @Override
        public void paint(Graphics2D g) {
            double left = getScreenXFromChart(xMin);
            double right = getScreenXFromChart(xMax);
            double top = getScreenYFromChart(yMax);
            double bottom = getScreenYFromChart(yMin);
            Object hint = g.getRenderingHint(RenderingHints.KEY_INTERPOLATION);
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
            var place = new AffineTransform((right - left) / columns, 0, 0, (bottom - top) / rows, left, top);
            g.drawImage(raster, place, null);
            if (hint != null) {
                g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, hint);
            }
            bounds = new Rectangle2D.Double(left, top, right - left, bottom - top);
            if (maxCount > 1) {
                drawKey(g, left, top, right, bottom);
            }
        }

        /** The colour scale, in the corner of the plot where it hides the fewest points. */
        private void drawKey(Graphics2D g, double left, double top, double right, double bottom) {
            int w = 118;
            int h = 38;
            int inset = 6;
            double[][] corners = {
                {right - w - inset, top + inset}, {left + inset, top + inset},
                {right - w - inset, bottom - h - inset}, {left + inset, bottom - h - inset}};
            double[] best = corners[0];
            long fewest = Long.MAX_VALUE;
            for (double[] c : corners) {
                long hidden = pointsUnder(c[0], c[1], w, h, left, top, right, bottom);
                if (hidden < fewest) {
                    fewest = hidden;
                    best = c;
                }
            }
            int x = (int) Math.round(best[0]);
            int y = (int) Math.round(best[1]);
            g.setColor(new Color(255, 255, 255, 225));
            g.fillRect(x, y, w, h);
            g.setColor(new Color(200, 200, 200));
            g.drawRect(x, y, w, h);
            Font font = new Font(Font.SANS_SERIF, Font.PLAIN, 10);
            g.setFont(font);
            g.setColor(new Color(60, 60, 60));
            g.drawString("points per cell (log)", x + 6, y + 12);
            int barX = x + 6;
            int barW = w - 12;
            for (int i = 0; i < barW; i++) {
                g.setColor(new Color(LUT[i * (LUT.length - 1) / (barW - 1)]));
                g.fillRect(barX + i, y + 16, 1, 7);
            }
            g.setColor(new Color(60, 60, 60));
            g.drawString("1", barX, y + 34);
            String max = ChartStyle.number(maxCount);
            g.drawString(max, barX + barW - g.getFontMetrics(font).stringWidth(max), y + 34);
        }

        private long pointsUnder(double x, double y, int w, int h, double left, double top, double right,
                                 double bottom) {
            int c0 = Math.max(0, (int) ((x - left) / (right - left) * columns));
            int c1 = Math.min(columns, (int) Math.ceil((x + w - left) / (right - left) * columns));
            int r0 = Math.max(0, (int) ((y - top) / (bottom - top) * rows));
            int r1 = Math.min(rows, (int) Math.ceil((y + h - top) / (bottom - top) * rows));
            long sum = 0;
            for (int r = r0; r < r1; r++) {
                for (int c = c0; c < c1; c++) {
                    sum += counts[r * columns + c];
                }
            }
            return sum;
        }
    }
}
