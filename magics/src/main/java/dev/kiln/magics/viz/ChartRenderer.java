package dev.kiln.magics.viz;

import dev.kiln.magics.core.DisplayRenderer;
import dev.kiln.magics.core.MimeBundle;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BoxSeries;
import org.knowm.xchart.HeatMapSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.internal.series.AxesChartSeriesCategory;
import org.knowm.xchart.internal.series.AxesChartSeriesNumericalNoErrorBars;
import org.knowm.xchart.internal.series.Series;

/**
 * Shows an XChart chart: {@code image/png} drawn at twice its size, with metadata that displays it
 * at its size (sharp on high-density screens); {@code image/svg+xml} too, when enabled with
 * {@link #svg(boolean)}, if the chart has few marks; and a description as {@code text/plain}. Nothing of the chart's data goes into the output
 * but pixels (and, for small charts, the SVG's shapes).
 */
public final class ChartRenderer implements DisplayRenderer {

    /** Pixels per displayed pixel of the PNG. */
    public static final double SCALE = 2;

    /** Charts with at most this many marks get an SVG copy. */
    public static final long SVG_MAX_MARKS = 1_000;

    /**
     * ... and an SVG of at most this size: XChart draws text as glyph outlines, so even a chart of
     * few marks makes an SVG of 50–200 KB; larger ones are left out to keep notebooks small.
     */
    public static final int SVG_MAX_CHARS = 200_000;

    private static volatile boolean svg = "true".equals(System.getProperty("kiln.viz.svg"));

    /**
     * Whether charts of few marks also get an SVG copy: off unless {@code -Dkiln.viz.svg=true} or
     * {@code ChartRenderer.svg(true)} in a cell. Off because nbconvert 6.5 (Debian 12) prefers SVG
     * to PNG on export and then strips every shape out of it with lxml's {@code clean_html}: the
     * exported chart is blank. And XChart draws text as glyph outlines, so an SVG is 2–3 times the
     * size of the 2x PNG.
     */
    public static void svg(boolean enabled) {
        svg = enabled;
    }

    @Override
    public Class<?> type() {
        return Chart.class;
    }

    @Override
    public MimeBundle render(Object value) {
        Chart<?, ?> chart = (Chart<?, ?>) value;
        byte[] png = ChartImages.png(chart, SCALE);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("image/png", Base64.getEncoder().encodeToString(png));
        if (svg && marks(chart) <= SVG_MAX_MARKS) {
            String svg = ChartImages.svg(chart);
            if (svg.length() <= SVG_MAX_CHARS) {
                data.put("image/svg+xml", svg);
            }
        }
        data.put("text/plain", describe(chart));
        return new MimeBundle(data, Map.of("image/png",
                Map.of("width", chart.getWidth(), "height", chart.getHeight())));
    }

    /** Marks the chart draws: points, bars, cells; one per box or slice. */
    static long marks(Chart<?, ?> chart) {
        if (chart instanceof DescribedChart d) {
            return d.marks();
        }
        long marks = 0;
        for (Series s : chart.getSeriesMap().values()) {
            if (s instanceof AxesChartSeriesNumericalNoErrorBars xy) {
                marks += xy.getXData().length;
            } else if (s instanceof BoxSeries) {
                marks += 1;
            } else if (s instanceof AxesChartSeriesCategory c) {
                marks += c.getXData().size();
            } else if (s instanceof HeatMapSeries h) {
                marks += h.getHeatData().size();
            } else {
                marks += 1;
            }
        }
        return marks;
    }

    private static String count(int n, String noun) {
        String plural = noun.endsWith("y") ? noun.substring(0, noun.length() - 1) + "ies" : noun + "s";
        return ChartStyle.number(n) + " " + (n == 1 ? noun : plural);
    }

    /** The XChart class a chart is made from: a Kiln chart says what kind of XChart chart it is. */
    private static Class<?> xchartKind(Class<?> c) {
        Class<?> k = c;
        while (k.getSuperclass() != null && !k.getPackageName().equals("org.knowm.xchart")) {
            k = k.getSuperclass();
        }
        return k.getPackageName().equals("org.knowm.xchart") ? k : c;
    }

    /** A chart in words: what it is, its title and axes, and its series. */
    static String describe(Chart<?, ?> chart) {
        if (chart instanceof DescribedChart d) {
            return d.description();
        }
        String kind = xchartKind(chart.getClass()).getSimpleName().replace("Chart", " chart").trim();
        StringBuilder s = new StringBuilder(kind);
        if (chart.getTitle() != null && !chart.getTitle().isBlank()) {
            s.append(" \"").append(chart.getTitle()).append('"');
        }
        List<String> axes = new ArrayList<>();
        if (chart.getXAxisTitle() != null && !chart.getXAxisTitle().isBlank()) {
            axes.add("x: " + chart.getXAxisTitle());
        }
        if (chart.getYAxisTitle() != null && !chart.getYAxisTitle().isBlank()) {
            axes.add("y: " + chart.getYAxisTitle());
        }
        if (!axes.isEmpty()) {
            s.append(" (").append(String.join(", ", axes)).append(')');
        }
        List<String> series = new ArrayList<>();
        for (Series x : chart.getSeriesMap().values()) {
            if (!x.isShowInLegend() && chart.getSeriesMap().size() > 1) {
                continue;
            }
            String points = x instanceof AxesChartSeriesNumericalNoErrorBars xy ? count(xy.getXData().length, "point")
                    : x instanceof BoxSeries b ? count(b.getYData().size(), "value")
                    : x instanceof AxesChartSeriesCategory c ? count(c.getXData().size(), "category")
                    : x instanceof HeatMapSeries h ? count(h.getHeatData().size(), "cell")
                    : null;
            series.add(points == null ? x.getName() : x.getName() + " (" + points + ")");
        }
        if (!series.isEmpty()) {
            s.append(": ").append(String.join(", ", series));
        }
        return s.toString();
    }
}
