package dev.kiln.magics.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.magics.core.DisplayRenderer;
import dev.kiln.magics.core.MimeBundle;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.awt.image.RenderedImage;
import java.io.ByteArrayInputStream;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.internal.chartpart.Chart;
import tech.tablesaw.api.Table;

class ChartRendererTest {

    private final ChartRenderer renderer = new ChartRenderer();

    static BufferedImage png(MimeBundle b) throws Exception {
        byte[] bytes = Base64.getDecoder().decode((String) b.data().get("image/png"));
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(bytes));
        assertNotNull(img, "image/png decodes");
        return img;
    }

    @SuppressWarnings("unchecked")
    static int declared(MimeBundle b, String key) {
        return (Integer) ((Map<String, Object>) b.metadata().get("image/png")).get(key);
    }

    @Test
    void chartIsAPngOfTwiceTheSizeItDeclares() throws Exception {
        XYChart chart = Plot.line(new double[] {3, 1, 4, 1, 5, 9, 2, 6});
        MimeBundle b = renderer.render(chart);
        BufferedImage img = png(b);
        assertEquals(chart.getWidth(), declared(b, "width"));
        assertEquals(chart.getHeight(), declared(b, "height"));
        assertEquals(2 * declared(b, "width"), img.getWidth());
        assertEquals(2 * declared(b, "height"), img.getHeight());
    }

    @Test
    void plainXChartChartRendersToo() throws Exception {
        XYChart chart = new XYChart(300, 200);
        chart.setTitle("made by hand");
        chart.addSeries("s", new double[] {1, 2, 3}, new double[] {2, 4, 3});
        MimeBundle b = renderer.render(chart);
        assertEquals(600, png(b).getWidth());
        assertEquals(400, png(b).getHeight());
        assertTrue(((String) b.data().get("text/plain")).contains("\"made by hand\""));
        assertTrue(((String) b.data().get("text/plain")).contains("s (3 points)"));
    }

    @Test
    void chartWithFewMarksAlsoHasAnSvgThatParsesWhenSvgIsOn() throws Exception {
        MimeBundle b;
        try {
            ChartRenderer.svg(true);
            b = renderer.render(Plot.bar(new String[] {"a", "b", "c"}, new double[] {1, 3, 2}));
        } finally {
            ChartRenderer.svg(false);
        }
        assertEquals(java.util.Set.of("image/png", "image/svg+xml", "text/plain"), b.data().keySet());
        String svg = (String) b.data().get("image/svg+xml");
        assertTrue(svg.startsWith("<svg"), "no XML prolog or DOCTYPE to break inline HTML");
        var doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertEquals("svg", doc.getDocumentElement().getTagName());
        assertEquals("640px", doc.getDocumentElement().getAttribute("width"));
        assertTrue(svg.length() <= ChartRenderer.SVG_MAX_CHARS);
    }

    @Test
    void svgIsOffByDefaultSoExportedNotebooksShowThePng() {
        MimeBundle b = renderer.render(Plot.bar(new String[] {"a"}, new double[] {1}));
        assertEquals(java.util.Set.of("image/png", "text/plain"), b.data().keySet());
    }

    @Test
    void chartWithManyMarksHasNoSvgEvenWhenSvgIsOn() {
        var random = new SplittableRandom(3);
        double[] x = random.doubles(1_500).toArray();
        double[] y = random.doubles(1_500).toArray();
        XYChart chart = Plot.scatter(x, y);
        assertFalse(chart instanceof DensityScatterChart, "every point drawn as a marker");
        MimeBundle b;
        ChartRenderer.svg(true);
        try {
            b = renderer.render(chart);
        } finally {
            ChartRenderer.svg(false);
        }
        assertTrue(b.data().containsKey("image/png"));
        assertFalse(b.data().containsKey("image/svg+xml"));
    }

    @Test
    void textDescribesTheChart() {
        Table t = Table.create("w", tech.tablesaw.api.DoubleColumn.create("tmax",
                IntStream.range(0, 1000).mapToDouble(i -> i % 100).toArray()));
        String text = (String) renderer.render(Plot.histogram(t, "tmax")).data().get("text/plain");
        assertTrue(text.startsWith("Histogram of tmax: 1,000 values in "), text);
    }

    @Test
    void kilnsChartsSayWhichKindOfXChartChartTheyAre() {
        String line = (String) renderer.render(Plot.line(new double[] {1, 2}, new double[] {3, 4})).data().get("text/plain");
        assertTrue(line.startsWith("XY chart \"y by x\" (x: x, y: y): y (2 points)"), line);
        String bar = (String) renderer.render(Plot.bar(new String[] {"a"}, new double[] {1})).data().get("text/plain");
        assertTrue(bar.startsWith("Category chart"), bar);
    }

    @Test
    void everyPlotKindRendersToADecodablePng() throws Exception {
        var random = new SplittableRandom(11);
        int n = 2_000;
        Table t = Table.create("t",
                tech.tablesaw.api.DoubleColumn.create("a", random.doubles(n).toArray()),
                tech.tablesaw.api.DoubleColumn.create("b", random.doubles(n).map(v -> v * 3).toArray()),
                tech.tablesaw.api.IntColumn.create("year", IntStream.range(0, n).map(i -> 2000 + i % 20).toArray()),
                tech.tablesaw.api.StringColumn.create("kind", IntStream.range(0, n).mapToObj(i -> "k" + i % 7)
                        .toArray(String[]::new)),
                tech.tablesaw.api.DateColumn.create("day", IntStream.range(0, n)
                        .mapToObj(i -> java.time.LocalDate.of(2020, 1, 1).plusDays(i)).toArray(java.time.LocalDate[]::new)));
        Map<String, Chart<?, ?>> charts = new HashMap<>();
        charts.put("histogram", Plot.histogram(t, "a"));
        charts.put("histogram of years", Plot.histogram(t, "year"));
        charts.put("histogram of dates", Plot.histogram(t, "day"));
        charts.put("scatter", Plot.scatter(t, "a", "b"));
        charts.put("line by date", Plot.line(t, "day", "a", "b"));
        charts.put("bar counts", Plot.bar(t, "kind"));
        charts.put("bar sums", Plot.bar(t, "kind", "b"));
        charts.put("box", Plot.box(t, "a", "b"));
        charts.put("correlation", Plot.correlation(t));
        for (var e : charts.entrySet()) {
            MimeBundle b = renderer.render(e.getValue());
            BufferedImage img = png(b);
            assertEquals(2 * declared(b, "width"), img.getWidth(), e.getKey());
            assertTrue(nonWhitePixels(img) > 1_000, e.getKey() + " draws something");
            assertFalse(((String) b.data().get("text/plain")).isBlank(), e.getKey());
        }
    }

    static int nonWhitePixels(BufferedImage img) {
        int count = 0;
        for (int y = 0; y < img.getHeight(); y += 2) {
            for (int x = 0; x < img.getWidth(); x += 2) {
                if ((img.getRGB(x, y) & 0xffffff) != 0xffffff) {
                    count++;
                }
            }
        }
        return count;
    }

    @Test
    void imageRendersAsPngAtItsOwnSize() throws Exception {
        var image = new BufferedImage(120, 80, BufferedImage.TYPE_INT_ARGB);
        var g = image.createGraphics();
        g.setColor(Color.RED);
        g.fillRect(10, 10, 50, 30);
        g.dispose();
        MimeBundle b = new ImageRenderer().render(image);
        BufferedImage back = png(b);
        assertEquals(120, back.getWidth());
        assertEquals(80, declared(b, "height"));
        assertEquals(Color.RED.getRGB(), back.getRGB(20, 20));
        assertEquals("Image 120×80", b.data().get("text/plain"));
    }

    @Test
    void renderersAreFoundThroughTheServiceFile() {
        Map<Class<?>, Class<?>> found = new HashMap<>();
        for (DisplayRenderer r : ServiceLoader.load(DisplayRenderer.class)) {
            found.put(r.type(), r.getClass());
        }
        assertEquals(TableRenderer.class, found.get(tech.tablesaw.table.Relation.class));
        assertEquals(ChartRenderer.class, found.get(Chart.class));
        assertEquals(ImageRenderer.class, found.get(RenderedImage.class));
    }
}
