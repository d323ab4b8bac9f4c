package dev.kiln.magics.viz;

import dev.kiln.magics.core.UserError;
import java.awt.Color;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.NumericColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.columns.Column;
import tech.tablesaw.table.Relation;

/**
 * The charts of exploratory analysis, from a Tablesaw table or from arrays, e.g.
 * {@code Plot.histogram(table, "tmax")} or {@code Plot.scatter(table, "tmin", "tmax")}.
 *
 * <p>Each returns an XChart chart (style it further with {@code getStyler()}), which a notebook
 * cell shows as an image. Large data is reduced in the JVM before anything is drawn: a histogram
 * counts bins, a scatter plot of more than {@value #DENSITY_THRESHOLD} points counts points per
 * pixel, a line of more than {@value #LINE_BUCKETS} points keeps each pixel column's extremes. So
 * a chart of ten million rows draws in well under a second and its output holds pixels, not rows.
 */
public final class Plot {

    /** Scatter plots of more points than this are drawn as a density raster. */
    public static final int DENSITY_THRESHOLD = 2_000;
    /** Lines of more points than twice this are reduced to each bucket's lowest and highest point. */
    public static final int LINE_BUCKETS = 1_200;
    /** Bar charts show at most this many categories; the rest are summed into one bar. */
    public static final int MAX_BARS = 30;

    private Plot() {
    }

    // ---- histogram -------------------------------------------------------------------------

    /** Histogram of a numeric (or date) column, with a bin width chosen from the data. */
    public static HistogramChart histogram(Relation table, String column) {
        Values v = Values.column(table, column);
        return new HistogramChart(v.name, v.kind, Bins.auto(v));
    }

    /** Histogram with exactly {@code bins} equal bins from the smallest to the largest value. */
    public static HistogramChart histogram(Relation table, String column, int bins) {
        Values v = Values.column(table, column);
        return new HistogramChart(v.name, v.kind, Bins.of(v, bins));
    }

    public static HistogramChart histogram(double[] values) {
        return histogram("value", values);
    }

    public static HistogramChart histogram(String name, double[] values) {
        Values v = Values.of(name, values);
        return new HistogramChart(name, v.kind, Bins.auto(v));
    }

    public static HistogramChart histogram(String name, double[] values, int bins) {
        Values v = Values.of(name, values);
        return new HistogramChart(name, v.kind, Bins.of(v, bins));
    }

    // ---- scatter ---------------------------------------------------------------------------

    /** Scatter plot of {@code y} against {@code x}; a density raster above {@value #DENSITY_THRESHOLD} points. */
    public static XYChart scatter(Relation table, String x, String y) {
        return scatter(Values.column(table, x), Values.column(table, y));
    }

    public static XYChart scatter(double[] x, double[] y) {
        return scatter(Values.of("x", x), Values.of("y", y));
    }

    public static XYChart scatter(String xName, double[] x, String yName, double[] y) {
        return scatter(Values.of(xName, x), Values.of(yName, y));
    }

    private static XYChart scatter(Values x, Values y) {
        if (x.size() > DENSITY_THRESHOLD) {
            return new DensityScatterChart(x, y);
        }
        if (x.size() != y.size()) {
            throw new UserError("A scatter plot needs as many x values as y values: '" + x.name + "' has "
                    + x.size() + ", '" + y.name + "' has " + y.size() + ".");
        }
        double[][] xy = knownPairs(x, y);
        if (xy[0].length == 0) {
            throw new UserError("No row has both '" + x.name + "' and '" + y.name + "': nothing to plot.");
        }
        XYChart chart = axes(y.name + " vs " + x.name, x, min(xy[0]), max(xy[0]), y, min(xy[1]), max(xy[1]));
        XYSeries s = chart.addSeries(y.name, xy[0], xy[1]);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        s.setMarker(SeriesMarkers.CIRCLE);
        // hard-edged opaque markers (text stays smooth): blended edges make PNGs three times larger
        s.setMarkerColor(ChartStyle.INK);
        chart.getStyler().setAntiAlias(false);
        chart.getStyler().setMarkerSize(xy[0].length > 500 ? 4 : 6);
        return chart;
    }

    // ---- line ------------------------------------------------------------------------------

    /** One line per {@code y} column against {@code x} (sorted by {@code x}). */
    public static XYChart line(Relation table, String x, String... y) {
        if (y.length == 0) {
            throw new UserError("Plot.line needs at least one y column, e.g. Plot.line(table, \"date\", \"tmax\").");
        }
        namedOnce("Plot.line", List.of(x), List.of(y));
        Values xv = Values.column(table, x);
        List<Values> ys = new ArrayList<>();
        for (String name : y) {
            ys.add(Values.column(table, name));
        }
        return line(xv, ys);
    }

    /**
     * XChart refuses a second series of one name, in words about series: said here in the user's.
     *
     * @param before the arguments before the columns in the call, e.g. the x column of a line chart
     */
    private static void namedOnce(String plot, List<String> before, List<String> columns) {
        Set<String> seen = new HashSet<>();
        for (String c : columns) {
            if (!seen.add(c)) {
                List<String> args = new ArrayList<>(before);
                args.addAll(columns.stream().distinct().toList());
                throw new UserError("Column '" + c + "' is named twice in " + plot + ", which draws each column once. Name it once: "
                        + plot + "(table, " + String.join(", ", args.stream().map(a -> "\"" + a + "\"").toList()) + ").");
            }
        }
    }

    /** The lines' names for a title: up to three by name, more by their count. */
    private static String lineNames(List<Values> ys) {
        return ys.size() > 3 ? ys.size() + " columns" : String.join(", ", ys.stream().map(v -> v.name).toList());
    }

    public static XYChart line(double[] y) {
        double[] x = new double[y.length];
        Arrays.setAll(x, i -> i);
        return line(Values.of("index", x), List.of(Values.of("value", y)));
    }

    public static XYChart line(double[] x, double[] y) {
        return line(Values.of("x", x), List.of(Values.of("y", y)));
    }

    private static XYChart line(Values x, List<Values> ys) {
        for (Values y : ys) {
            if (y.size() != x.size()) {
                throw new UserError("A line chart needs as many x values as y values: '" + x.name + "' has "
                        + x.size() + ", '" + y.name + "' has " + y.size() + ".");
            }
        }
        int[] order = LineReduction.order(x);
        if (order.length == 0) {
            throw new UserError("'" + x.name + "' has no values: nothing to plot.");
        }
        String title = lineNames(ys) + " by " + x.name;
        List<double[][]> lines = new ArrayList<>();
        double yMin = Double.POSITIVE_INFINITY;
        double yMax = Double.NEGATIVE_INFINITY;
        for (Values y : ys) {
            double[][] xy = LineReduction.reduce(x, y, order, LINE_BUCKETS);
            lines.add(xy);
            for (double v : xy[1]) {
                if (v - v == 0) {
                    yMin = Math.min(yMin, v);
                    yMax = Math.max(yMax, v);
                }
            }
        }
        if (yMin > yMax) {
            throw new UserError("No row has both '" + x.name + "' and " + (ys.size() == 1 ? "'" + ys.get(0).name + "'"
                    : "any of the y columns") + ": nothing to plot.");
        }
        XYChart chart = axes(title, x, x.get(order[0]), x.get(order[order.length - 1]), ys.get(0), yMin, yMax);
        if (ys.size() > 1) {
            chart.setYAxisTitle("");
            chart.getStyler().setLegendVisible(true);
            chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        }
        for (int i = 0; i < ys.size(); i++) {
            XYSeries s = chart.addSeries(ys.get(i).name, lines.get(i)[0], lines.get(i)[1]);
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            s.setMarker(SeriesMarkers.NONE);
            s.setLineColor(ChartStyle.PALETTE[i % ChartStyle.PALETTE.length]);
        }
        return chart;
    }

    // ---- bar -------------------------------------------------------------------------------

    /** Rows per value of {@code category}, most frequent first (at most {@value #MAX_BARS} bars). */
    public static BarChart bar(Relation table, String category) {
        Column<?> c = Values.find(table, category);
        Map<String, Long> counts = new HashMap<>();
        for (int r = 0; r < c.size(); r++) {
            counts.merge(label(c, r), 1L, Long::sum);
        }
        List<Map.Entry<String, Long>> sorted = new ArrayList<>(counts.entrySet());
        sorted.sort(Map.Entry.<String, Long>comparingByValue().reversed()
                .thenComparing(Map.Entry.comparingByKey()));
        Map<String, Double> bars = new LinkedHashMap<>();
        sorted.forEach(e -> bars.put(e.getKey(), e.getValue().doubleValue()));
        return bars("Rows by " + c.name(), c.name(), "rows", Values.Kind.INTEGER, limit(bars));
    }

    /** Sum of {@code value} per value of {@code category}, in order of first appearance. */
    public static BarChart bar(Relation table, String category, String value) {
        Column<?> c = Values.find(table, category);
        Values v = Values.column(table, value);
        Map<String, Double> sums = new LinkedHashMap<>();
        for (int r = 0; r < c.size(); r++) {
            double x = v.get(r);
            if (x == x) {
                sums.merge(label(c, r), x, Double::sum);
            }
        }
        if (sums.size() > MAX_BARS) {
            List<Map.Entry<String, Double>> sorted = new ArrayList<>(sums.entrySet());
            sorted.sort(Comparator.comparingDouble((Map.Entry<String, Double> e) -> -Math.abs(e.getValue())));
            sums = new LinkedHashMap<>();
            for (var e : sorted) {
                sums.put(e.getKey(), e.getValue());
            }
        }
        String title = sums.size() == c.size() ? v.name + " by " + c.name() : "Sum of " + v.name + " by " + c.name();
        return bars(title, c.name(), v.name, v.kind == Values.Kind.INTEGER ? v.kind : Values.Kind.REAL, limit(sums));
    }

    /** One bar per label. */
    public static BarChart bar(String[] labels, double[] values) {
        if (labels.length != values.length) {
            throw new UserError("A bar chart needs one value per label: " + labels.length + " labels, "
                    + values.length + " values.");
        }
        Map<String, Double> bars = new LinkedHashMap<>();
        for (int i = 0; i < labels.length; i++) {
            bars.merge(labels[i], values[i], Double::sum);
        }
        return bars("", "", "", Values.Kind.REAL, limit(bars));
    }

    /** The label of a missing category. */
    static final String MISSING = "(missing)";

    private static String label(Column<?> c, int row) {
        return c.isMissing(row) ? MISSING : c.getString(row);
    }

    /** The first {@value #MAX_BARS} - 1 bars and one bar summing the rest. */
    private static Map<String, Double> limit(Map<String, Double> bars) {
        if (bars.size() <= MAX_BARS) {
            return bars;
        }
        Map<String, Double> out = new LinkedHashMap<>();
        double rest = 0;
        int restCount = 0;
        for (var e : bars.entrySet()) {
            if (out.size() < MAX_BARS - 1) {
                out.put(e.getKey(), e.getValue());
            } else {
                rest += e.getValue();
                restCount++;
            }
        }
        out.put("other (" + restCount + ")", rest);
        return out;
    }

    private static BarChart bars(String title, String xTitle, String yTitle, Values.Kind kind, Map<String, Double> bars) {
        if (bars.isEmpty()) {
            throw new UserError("Nothing to draw: the bar chart \"" + title + "\" has no values.");
        }
        return new BarChart(title, xTitle, yTitle, kind, bars);
    }

    // ---- box -------------------------------------------------------------------------------

    /**
     * Box plots: quartiles, whiskers at the furthest values within 1.5 IQR, dots beyond. One box
     * per numeric column ({@code Plot.box(t, "temp_min", "temp_max")}; all numeric columns when
     * none are named), or, when the second of two columns holds text or booleans, one box per
     * category: {@code Plot.box(t, "temp_max", "weather")}. Categories are sorted (numbers as
     * numbers, text in natural order: ST-2 before ST-10, false before true; missing last), at most
     * {@value #MAX_BOXES}.
     * To group by a column of numbers (a year), make it text first:
     * {@code t.addColumns(t.intColumn("year").asStringColumn().setName("year_text"))}.
     */
    public static BoxPlotChart box(Relation table, String... columns) {
        if (columns.length == 2 && isCategory(Values.find(table, columns[1]))) {
            return boxBy(table, columns[0], columns[1]);
        }
        List<String> names = columns.length > 0 ? List.of(columns) : Values.numericColumns(table);
        namedOnce("Plot.box", List.of(), names);
        if (names.isEmpty()) {
            throw new UserError("Table '" + table.name() + "' has no numeric column to draw a box plot of.");
        }
        List<Values> values = new ArrayList<>();
        for (String name : names) {
            Column<?> c = Values.find(table, name);
            if (!(c instanceof NumericColumn<?>)) {
                String example = "Plot.box(table, \"" + firstNumeric(table) + "\", \""
                        + (isCategory(c) ? name : firstCategory(table)) + "\")";
                throw new UserError("Column '" + name + "' of table '" + table.name() + "' holds "
                        + c.type().name().toLowerCase() + " values: a box plot draws one box per numeric column, or one box"
                        + " per value of a text or boolean column named last, after one numeric column: " + example
                        + ". " + Values.numericColumnsSentence(table)
                        + " Text or boolean columns: " + String.join(", ", categoryColumns(table)) + ".");
            }
            values.add(Values.column(table, name));
        }
        return new BoxPlotChart(values);
    }

    /** Categories a box plot groups by at most: each gets a box, labelled underneath. */
    public static final int MAX_BOXES = 30;

    /** Whether a column's values name categories: text or booleans. */
    private static boolean isCategory(Column<?> c) {
        return c instanceof StringColumn || c instanceof BooleanColumn;
    }

    private static List<String> categoryColumns(Relation table) {
        List<String> names = table.columns().stream().filter(Plot::isCategory).map(Column::name).toList();
        return names.isEmpty() ? List.of("none") : names;
    }

    private static String firstCategory(Relation table) {
        return categoryColumns(table).get(0).equals("none") ? "category" : categoryColumns(table).get(0);
    }

    private static String firstNumeric(Relation table) {
        List<String> numeric = Values.numericColumns(table);
        return numeric.isEmpty() ? "value" : numeric.get(0);
    }

    /** One box of {@code value} per category of {@code by}. */
    private static BoxPlotChart boxBy(Relation table, String value, String by) {
        Column<?> categories = Values.find(table, by);
        Column<?> valueColumn = Values.find(table, value);
        if (!(valueColumn instanceof NumericColumn<?>)) {
            throw new UserError("Column '" + value + "' of table '" + table.name() + "' holds "
                    + valueColumn.type().name().toLowerCase() + " values: a box plot by " + by
                    + " needs a numeric column first: Plot.box(table, \"" + firstNumeric(table)
                    + "\", \"" + by + "\").");
        }
        Values v = Values.column(table, value);
        // rows of each category, in row order
        Map<String, it.unimi.dsi.fastutil.ints.IntArrayList> rows = new HashMap<>();
        for (int r = 0; r < categories.size(); r++) {
            rows.computeIfAbsent(label(categories, r), k -> new it.unimi.dsi.fastutil.ints.IntArrayList()).add(r);
            if (rows.size() > MAX_BOXES) {
                throw new UserError("Column '" + by + "' of table '" + table.name() + "' has more than " + MAX_BOXES
                        + " different values (" + NumberText.count(distinct(categories)) + "): a box plot shows at most "
                        + MAX_BOXES + " boxes, one per value. Group by a column with fewer values, or keep only the rows "
                        + "of the categories to compare (table.where(...)) and plot those.");
            }
        }
        List<String> order = new ArrayList<>(rows.keySet());
        order.sort(CATEGORY_ORDER);
        List<Values> groups = new ArrayList<>();
        for (String category : order) {
            int[] r = rows.get(category).toIntArray();
            double[] xs = new double[r.length];
            for (int i = 0; i < r.length; i++) {
                xs[i] = v.get(r[i]);
            }
            groups.add(Values.of(category, xs));
        }
        List<Values> known = groups.stream().filter(Plot::hasKnownValue).toList();
        if (known.isEmpty()) {
            throw new UserError("'" + value + "' has no values to draw a box plot of.");
        }
        return new BoxPlotChart(value, by, known);
    }

    private static boolean hasKnownValue(Values v) {
        for (int i = 0; i < v.size(); i++) {
            if (v.get(i) - v.get(i) == 0) {
                return true;
            }
        }
        return false;
    }

    private static int distinct(Column<?> c) {
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int r = 0; r < c.size(); r++) {
            seen.add(label(c, r));
        }
        return seen.size();
    }

    /**
     * Categories in order: numbers by value, then text in natural order (ignoring case, runs of
     * digits by value: ST-2 before ST-10; "false" before "true"); missing last.
     */
    static final Comparator<String> CATEGORY_ORDER = (a, b) -> {
        boolean ma = a.equals(MISSING);
        boolean mb = b.equals(MISSING);
        if (ma || mb) {
            return Boolean.compare(ma, mb);
        }
        Double na = number(a);
        Double nb = number(b);
        if (na != null && nb != null) {
            int byValue = Double.compare(na, nb);
            return byValue != 0 ? byValue : a.compareTo(b);
        }
        if (na != null || nb != null) {
            return na != null ? -1 : 1;
        }
        int natural = natural(a, b);
        return natural != 0 ? natural : a.compareTo(b);
    };

    /** Text compared run by run: digits by their value, the rest ignoring case. */
    private static int natural(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            boolean da = Character.isDigit(a.charAt(i));
            boolean db = Character.isDigit(b.charAt(j));
            int ei = run(a, i, da);
            int ej = run(b, j, db);
            String ra = a.substring(i, ei);
            String rb = b.substring(j, ej);
            int c;
            if (da && db) {
                String za = ra.replaceFirst("^0+(?=.)", "");
                String zb = rb.replaceFirst("^0+(?=.)", "");
                c = za.length() != zb.length() ? Integer.compare(za.length(), zb.length()) : za.compareTo(zb);
            } else {
                c = String.CASE_INSENSITIVE_ORDER.compare(ra, rb);
            }
            if (c != 0) {
                return c;
            }
            i = ei;
            j = ej;
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    private static int run(String s, int from, boolean digits) {
        int k = from;
        while (k < s.length() && Character.isDigit(s.charAt(k)) == digits) {
            k++;
        }
        return k;
    }

    private static Double number(String s) {
        try {
            return Double.valueOf(s.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    public static BoxPlotChart box(String name, double[] values) {
        return new BoxPlotChart(List.of(Values.of(name, values)));
    }

    // ---- heat maps -------------------------------------------------------------------------

    /**
     * Pearson correlation of the given numeric columns (all numeric columns when none are given),
     * over the rows where all of them are known, as a heat map from -1 (blue) to 1 (red).
     */
    public static HeatMapChart correlation(Relation table, String... columns) {
        List<String> names = columns.length > 0 ? List.of(columns) : Values.numericColumns(table);
        namedOnce("Plot.correlation", List.of(), names);
        if (names.size() < 2) {
            throw new UserError("A correlation heat map needs at least two numeric columns; table '"
                    + table.name() + "' has " + (names.isEmpty() ? "none" : "only " + names.get(0)) + ".");
        }
        List<Values> values = new ArrayList<>();
        for (String name : names) {
            values.add(Values.column(table, name));
        }
        double[][] r = Correlation.pearson(values);
        String[] labels = values.stream().map(v -> v.name).toArray(String[]::new);
        HeatMapChart chart = heatmap(r, labels, labels);
        chart.setTitle("Correlation");
        chart.getStyler().setMin(-1);
        chart.getStyler().setMax(1);
        chart.getStyler().setRangeColors(new Color[] {
            new Color(33, 102, 172), new Color(247, 247, 247), new Color(178, 24, 43)});
        return chart;
    }

    /** A matrix as a heat map: {@code values[row][column]}, row 0 at the top. */
    public static HeatMapChart heatmap(double[][] values, String[] columns, String[] rows) {
        if (values.length != rows.length) {
            throw new UserError("A heat map needs one row label per row: " + values.length + " rows, "
                    + rows.length + " labels.");
        }
        List<Number[]> cells = new ArrayList<>();
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int r = 0; r < values.length; r++) {
            if (values[r].length != columns.length) {
                throw new UserError("A heat map needs one column label per column: row " + r + " has "
                        + values[r].length + " values, " + columns.length + " labels.");
            }
            for (int c = 0; c < columns.length; c++) {
                double v = values[r][c];
                // XChart counts y upwards; row 0 goes on top
                cells.add(new Number[] {c, rows.length - 1 - r, v});
                if (v == v) {
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
            }
        }
        List<String> yLabels = new ArrayList<>(List.of(rows));
        java.util.Collections.reverse(yLabels);
        HeatMapChart chart = new HeatMapChart(ChartStyle.WIDTH, ChartStyle.HEIGHT, Styler.ChartTheme.XChart);
        ChartStyle.apply(chart, true);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setShowValue(columns.length * rows.length <= 144);
        chart.getStyler().setValueFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.PLAIN, 11));
        chart.getStyler().setHeatMapValueDecimalPattern("0.00");
        chart.getStyler().setPlotGridLinesVisible(false);
        chart.getStyler().setXAxisLabelRotation(columns.length > 6 ? 45 : 0);
        if (min <= max) {
            chart.getStyler().setMin(min);
            chart.getStyler().setMax(max);
        }
        chart.addSeries("value", List.of(columns), yLabels, cells);
        return chart;
    }

    // ---- shared ----------------------------------------------------------------------------

    /** A chart in Kiln's style with Kiln's ticks, for x from x0 to x1 and y from y0 to y1. */
    private static XYChart axes(String title, Values x, double x0, double x1, Values y, double y0, double y1) {
        double[] xs = widened(x.kind, x0, x1);
        double[] ys = widened(y.kind, y0, y1);
        TickedXYChart chart = new TickedXYChart(title, x.kind, xs, y.kind, ys);
        chart.setXAxisTitle(x.name);
        chart.setYAxisTitle(y.name);
        if (xs[0] != x0) {
            chart.getStyler().setXAxisMin(xs[0]).setXAxisMax(xs[1]);
        }
        if (ys[0] != y0) {
            chart.getStyler().setYAxisMin(ys[0]).setYAxisMax(ys[1]);
        }
        return chart;
    }

    /**
     * {lo, hi}, or a range around a single value: an axis needs two ends (a day around a date,
     * an hour around a time, one around an integer, 5% around a number).
     */
    static double[] widened(Values.Kind kind, double lo, double hi) {
        if (hi > lo) {
            return new double[] {lo, hi};
        }
        double half = switch (kind) {
            case DATE -> 86_400_000;
            case DATE_TIME -> 3_600_000;
            case INTEGER -> 1;
            case REAL -> lo == 0 ? 0.5 : Math.abs(lo) * 0.05;
        };
        return new double[] {lo - half, lo + half};
    }

    private static double min(double[] v) {
        double m = Double.POSITIVE_INFINITY;
        for (double x : v) {
            m = x < m ? x : m;
        }
        return m;
    }

    private static double max(double[] v) {
        double m = Double.NEGATIVE_INFINITY;
        for (double x : v) {
            m = x > m ? x : m;
        }
        return m;
    }

    /** The rows where both coordinates are known, as two arrays. */
    private static double[][] knownPairs(Values x, Values y) {
        int n = x.size();
        double[] xs = new double[n];
        double[] ys = new double[n];
        int k = 0;
        for (int i = 0; i < n; i++) {
            double a = x.get(i);
            double b = y.get(i);
            if (a - a == 0 && b - b == 0) {
                xs[k] = a;
                ys[k] = b;
                k++;
            }
        }
        return new double[][] {Arrays.copyOf(xs, k), Arrays.copyOf(ys, k)};
    }
}
