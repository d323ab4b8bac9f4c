import dev.kiln.magics.core.MimeBundle;
import dev.kiln.magics.viz.ChartRenderer;
import dev.kiln.magics.viz.Plot;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import javax.imageio.ImageIO;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.Histogram;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.Table;

/**
 * Kiln's Plot (aggregate in the JVM, then draw) against XChart drawing every value directly, both
 * rendered to a PNG at 2x. Usage: VizBench all | VizBench xchart-scatter N (one anchor run, for
 * the capped 10M case).
 */
public class VizBench {

    static final ChartRenderer RENDERER = new ChartRenderer();

    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals("xchart-scatter")) {
            int n = Integer.parseInt(args[1]);
            double[][] xy = points(n);
            long t0 = System.nanoTime();
            int bytes = xchartScatter(xy[0], xy[1]);
            System.out.printf(Locale.ROOT, "%.0f %d%n", (System.nanoTime() - t0) / 1e6, bytes);
            return;
        }
        // many warm-ups: on a loaded machine the JIT's compiler threads get little CPU
        int warmups = Integer.getInteger("warmups", 10);
        int runs = Integer.getInteger("runs", 15);

        // histogram of 1M values
        int n = 1_000_000;
        var random = new SplittableRandom(1);
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = 20 + random.nextGaussian() * 8;
        }
        Table hist = Table.create("h", DoubleColumn.create("tmax", values));
        Result[] h = interleaved(warmups, runs, () -> bundleBytes(RENDERER.render(Plot.histogram(hist, "tmax"))),
                () -> xchartHistogram(values));
        row("histogram 1M values", h[0], h[1], "XChart Histogram + CategoryChart");

        // scatter of 1M points
        double[][] xy1 = points(1_000_000);
        Table s1 = Table.create("s", DoubleColumn.create("x", xy1[0]), DoubleColumn.create("y", xy1[1]));
        Result kilnS1 = time(warmups, runs, () -> bundleBytes(RENDERER.render(Plot.scatter(s1, "x", "y"))));
        Result xchartS1 = time(1, 3, () -> xchartScatter(xy1[0], xy1[1]));
        row("scatter 1M points", kilnS1, xchartS1, "XChart scatter of every point");

        // a line of 1M points a minute apart (a date axis: Kiln's calendar ticks), and two box plots of 1M values
        var start = java.time.LocalDateTime.of(2012, 1, 1, 0, 0);
        java.time.LocalDateTime[] minutes = new java.time.LocalDateTime[n];
        for (int i = 0; i < n; i++) {
            minutes[i] = start.plusMinutes(i);
        }
        Table timed = Table.create("t", tech.tablesaw.api.DateTimeColumn.create("time", minutes),
                DoubleColumn.create("tmax", values), DoubleColumn.create("tmin", Arrays.stream(values).map(v -> v - 8).toArray()));
        Result line = time(warmups, runs, () -> bundleBytes(RENDERER.render(Plot.line(timed, "time", "tmax"))));
        kilnOnly("line 1M timed points", line);
        Result box = time(warmups, runs, () -> bundleBytes(RENDERER.render(Plot.box(timed, "tmax", "tmin"))));
        kilnOnly("box plot 2 x 1M values", box);

        // scatter of 10M points (the anchor runs in its own JVM, capped: see run)
        double[][] xy10 = points(10_000_000);
        Table s10 = Table.create("s", DoubleColumn.create("x", xy10[0]), DoubleColumn.create("y", xy10[1]));
        xy10 = null;
        Result kilnS10 = time(3, 9, () -> bundleBytes(RENDERER.render(Plot.scatter(s10, "x", "y"))));
        System.out.printf(Locale.ROOT, "%-22s kiln %7.1f ms (min %6.1f)  output %,9d B%n",
                "scatter 10M points", kilnS10.median, kilnS10.min, kilnS10.bytes);
        System.out.printf(Locale.ROOT, "KILN_SCATTER_10M_MS=%.1f%n", kilnS10.median);
    }

    static double[][] points(int n) {
        var random = new SplittableRandom(7);
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = random.nextGaussian() * 5 + 10;
            y[i] = 0.6 * x[i] + random.nextGaussian() * 3;
        }
        return new double[][] {x, y};
    }

    record Result(double median, double min, int bytes) {
    }

    /** Kiln and the anchor run in turns, so both meet the same load on a shared machine. */
    static Result[] interleaved(int warmups, int runs, Supplier<Integer> kiln, Supplier<Integer> anchor) {
        for (int i = 0; i < warmups; i++) {
            kiln.get();
            anchor.get();
        }
        double[][] ms = new double[2][runs];
        int[] bytes = new int[2];
        for (int i = 0; i < runs; i++) {
            for (int w = 0; w < 2; w++) {
                long t0 = System.nanoTime();
                bytes[w] = (w == 0 ? kiln : anchor).get();
                ms[w][i] = (System.nanoTime() - t0) / 1e6;
            }
        }
        Result[] out = new Result[2];
        for (int w = 0; w < 2; w++) {
            Arrays.sort(ms[w]);
            out[w] = new Result(ms[w][runs / 2], ms[w][0], bytes[w]);
        }
        return out;
    }

    static Result time(int warmups, int runs, Supplier<Integer> work) {
        for (int i = 0; i < warmups; i++) {
            work.get();
        }
        double[] ms = new double[runs];
        int bytes = 0;
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            bytes = work.get();
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(ms);
        return new Result(ms[runs / 2], ms[0], bytes);
    }

    static void kilnOnly(String name, Result kiln) {
        System.out.printf(Locale.ROOT, "%-22s kiln %7.1f ms (min %6.1f)  output %,9d B%n", name, kiln.median, kiln.min, kiln.bytes);
    }

    static void row(String name, Result kiln, Result anchor, String anchorName) {
        System.out.printf(Locale.ROOT, "%-22s kiln %7.1f ms (min %6.1f)  output %,9d B | %s %8.1f ms (min %7.1f)  output %,9d B"
                        + " | xchart/kiln %.1fx (min/min %.1fx)%n", name, kiln.median, kiln.min, kiln.bytes, anchorName,
                anchor.median, anchor.min, anchor.bytes, anchor.median / kiln.median, anchor.min / kiln.min);
    }

    static int bundleBytes(MimeBundle b) {
        int total = 0;
        for (Object v : b.data().values()) {
            total += v.toString().length();
        }
        return total;
    }

    /** XChart's own way: box the values, XChart's Histogram, a CategoryChart, ImageIO at 2x. */
    static int xchartHistogram(double[] values) {
        List<Double> boxed = new ArrayList<>(values.length);
        for (double v : values) {
            boxed.add(v);
        }
        Histogram h = new Histogram(boxed, 60);
        CategoryChart chart = new CategoryChart(640, 400);
        chart.setTitle("Histogram of tmax");
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setXAxisDecimalPattern("0.0");
        chart.getStyler().setXAxisLabelRotation(90);
        chart.addSeries("tmax", h.getxAxisData(), h.getyAxisData());
        return xchartPng(chart);
    }

    static int xchartScatter(double[] x, double[] y) {
        XYChart chart = new XYChart(640, 400);
        chart.setTitle("y vs x");
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setMarkerSize(2);
        XYSeries s = chart.addSeries("y", x, y);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        return xchartPng(chart);
    }

    static int xchartPng(Chart<?, ?> chart) {
        var img = new BufferedImage(1280, 800, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.scale(2, 2);
        chart.paint(g, 640, 400);
        g.dispose();
        var out = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, "png", out);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        // base64 in a notebook: 4/3 of the bytes
        return out.size() * 4 / 3;
    }
}
