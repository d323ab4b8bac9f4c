package dev.kiln.magics.viz;

import de.erichseifert.vectorgraphics2d.VectorGraphics2D;
import de.erichseifert.vectorgraphics2d.svg.SVGProcessor;
import de.erichseifert.vectorgraphics2d.util.PageSize;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.RenderedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.knowm.xchart.internal.chartpart.Chart;

/** Charts and images to PNG and SVG bytes, in memory. */
public final class ChartImages {

    private ChartImages() {
    }

    /** The chart drawn at {@code scale} times its size (2 for sharp screens), opaque. */
    public static BufferedImage image(Chart<?, ?> chart, double scale) {
        Headless.ensure();
        int w = chart.getWidth();
        int h = chart.getHeight();
        var img = new BufferedImage((int) Math.round(w * scale), (int) Math.round(h * scale),
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.scale(scale, scale);
        chart.paint(g, w, h);
        g.dispose();
        return img;
    }

    public static byte[] png(Chart<?, ?> chart, double scale) {
        return png(image(chart, scale));
    }

    public static byte[] png(RenderedImage image) {
        Headless.ensure();
        if (image instanceof BufferedImage b) {
            return PngEncoder.encode(b);
        }
        var out = new ByteArrayOutputStream(64 * 1024);
        try {
            if (!ImageIO.write(image, "png", out)) {
                throw new IllegalStateException("no PNG writer for " + image);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static final Pattern DECIMAL = Pattern.compile("-?\\d+\\.\\d+");
    private static final Pattern INDENT = Pattern.compile("\\n\\s*");

    /**
     * Coordinates to a tenth of a pixel, no indentation: XChart draws text as glyph outlines, and
     * their coordinates written in full are most of an SVG's size.
     */
    static String compact(String svg) {
        String s = DECIMAL.matcher(svg).replaceAll(m -> {
            long tenths = Math.round(Double.parseDouble(m.group()) * 10);
            String sign = tenths < 0 ? "-" : "";
            long a = Math.abs(tenths);
            return sign + (a / 10) + (a % 10 == 0 ? "" : "." + (a % 10));
        });
        return INDENT.matcher(s).replaceAll("");
    }

    /** The chart as an SVG element (no XML prolog or DOCTYPE: it goes inline into HTML). */
    public static String svg(Chart<?, ?> chart) {
        Headless.ensure();
        var g = new VectorGraphics2D();
        chart.paint(g, chart.getWidth(), chart.getHeight());
        var doc = new SVGProcessor().getDocument(g.getCommands(),
                new PageSize(0, 0, chart.getWidth(), chart.getHeight()));
        var out = new ByteArrayOutputStream();
        try {
            doc.writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String svg = out.toString(StandardCharsets.UTF_8);
        int start = svg.indexOf("<svg");
        return compact(start > 0 ? svg.substring(start) : svg);
    }
}
