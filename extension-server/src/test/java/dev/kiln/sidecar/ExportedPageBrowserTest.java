package dev.kiln.sidecar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.kiln.magics.cli.CommandRunner;
import dev.kiln.magics.core.MimeBundle;
import dev.kiln.magics.core.Progress;
import dev.kiln.magics.core.Session;
import dev.kiln.magics.viz.ChartImages;
import dev.kiln.magics.viz.Plot;
import dev.kiln.magics.viz.TableRenderer;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * {@code kiln export --to html} makes a page that works on a colleague's machine: nothing in it points
 * at the author's ({@code file://}), and served over http to headless Chromium it loads with no
 * console error and no failed request while showing its table and chart.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ExportedPageBrowserTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void anExportedPageCarriesNoFileUrlAndLoadsWithoutErrorsOverHttp() throws Exception {
        Path html = export("charts.ipynb", "# Emissions by year\nA table and a histogram, no math: it costs $5 and $6.");
        String page = Files.readString(html);
        assertFalse(page.contains("file://"), "no file:// URL in the page: " + around(page, "file://"));
        assertFalse(page.contains("MathJax.Hub"), "no MathJax for a notebook without math");

        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", x -> {
            byte[] body = Files.readAllBytes(html);
            x.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            x.sendResponseHeaders(200, body.length);
            try (OutputStream out = x.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        try (Chromium chromium = Chromium.start(dir.resolve("profile"), Map.of());
             Chromium.Page tab = chromium.open(1100, 900).watchProblems()) {
            tab.go("http://127.0.0.1:" + server.getAddress().getPort() + "/charts.html");
            assertEquals(3, tab.eval("document.querySelectorAll('.jp-OutputArea-output table tbody tr').length").asInt(),
                    "the table's three rows show");
            assertTrue(tab.eval("[...document.images].some(i => i.complete && i.naturalWidth > 300)").asBoolean(), "the chart shows");
            tab.screenshot(Path.of("target", "screenshots", "exported-page.png"));
            assertEquals(List.of(), tab.problems(), "console errors or failed requests");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aNotebookWithMathGetsMathJaxFromItsCdnNotFromThisMachine() throws Exception {
        String page = Files.readString(export("math.ipynb", "The mean is $\\bar{x} = \\frac{1}{n}\\sum_i x_i$."));
        assertFalse(page.contains("file://"), "no file:// URL in the page: " + around(page, "file://"));
        assertTrue(page.contains("<script src=\"https://cdnjs.cloudflare.com/ajax/libs/mathjax/"), "MathJax comes from the CDN");
    }

    private Path export(String name, String markdown) throws Exception {
        Path project = Files.createDirectories(dir.resolve("project"));
        ObjectNode nb = JSON.createObjectNode();
        ArrayNode cells = nb.putArray("cells");
        cells.addObject().put("cell_type", "markdown").put("source", markdown).putObject("metadata");
        Table years = Table.create("emissions", IntColumn.create("year", 1990, 2000, 2010),
                StringColumn.create("source", "coal", "gas", "oil"));
        output(cells, "years", new TableRenderer().render(years).data());
        byte[] png = ChartImages.png(Plot.histogram("year", new double[] {1955, 1960, 1990, 1991, 2005}), 2);
        output(cells, "Plot.histogram(years, \"year\")", Map.of("image/png", Base64.getEncoder().encodeToString(png), "text/plain", "a histogram"));
        nb.putObject("metadata");
        nb.put("nbformat", 4);
        nb.put("nbformat_minor", 4);
        Files.writeString(project.resolve(name), JSON.writeValueAsString(nb));
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("KILN_CACHE_DIR", dir.resolve("cache").toString());
        env.put("KILN_SIDECAR_FILE", dir.resolve("no-sidecar.json").toString());
        env.remove("KILN_SIDECAR_URL");
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        new CommandRunner(new Session(project, quiet, quiet, Progress.NONE, env, "test")).run(List.of("export", name, "--to", "html"));
        return project.resolve(name.replace(".ipynb", ".html"));
    }

    private static void output(ArrayNode cells, String source, Map<String, Object> data) {
        ObjectNode c = cells.addObject().put("cell_type", "code").put("execution_count", cells.size()).put("source", source);
        c.putObject("metadata");
        ObjectNode out = c.putArray("outputs").addObject().put("output_type", "display_data");
        out.set("data", JSON.valueToTree(data));
        out.putObject("metadata");
    }

    private static String around(String page, String what) {
        int i = page.indexOf(what);
        return i < 0 ? "" : page.substring(Math.max(0, i - 80), Math.min(page.length(), i + 120));
    }
}
