package dev.kiln.magics.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.magics.core.DisplayRenderer;
import dev.kiln.magics.core.MimeBundle;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the code cells of {@code viz/charts.ipynb} (the fixture of the kernel's nbclient tests) in
 * an in-process JShell, renders each cell's value with the renderer the service file offers for it,
 * and checks it against the cell's {@code metadata.kiln_expect}: the fixture is known good before a
 * kernel runs it. Then exports and shows the rendered notebook (nbconvert, Jupyter Notebook,
 * headless Chromium) through {@code viz/test_viz_notebook.py}.
 */
@Timeout(300) // each test; it waits on a process or a socket
public class ChartsNotebookFixtureTest {

    /** Where a cell's value lands: JShell's snippets run in this JVM and see this class. */
    public static volatile Object value;

    private static JsonNode executed;
    private static int checked;

    @Test
    void everyCellRunsAndItsValueRendersAsTheFixtureExpects() throws Exception {
        executed();
        assertEquals(9, checked, "display cells checked");
    }

    /** Runs the fixture's cells once, checking each display cell; the notebook with its outputs. */
    private static synchronized JsonNode executed() throws Exception {
        if (executed != null) {
            return executed;
        }
        JsonNode notebook;
        try (InputStream in = ChartsNotebookFixtureTest.class.getResourceAsStream("/viz/charts.ipynb")) {
            notebook = new ObjectMapper().readTree(in);
        }
        List<DisplayRenderer> renderers = new ArrayList<>();
        ServiceLoader.load(DisplayRenderer.class).forEach(renderers::add);

        int count = 0;
        checked = 0;
        try (JShell shell = JShell.builder().executionEngine("local").build()) {
            String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
            for (String entry : cp.split(File.pathSeparator)) {
                shell.addToClasspath(entry);
            }
            for (JsonNode cell : notebook.get("cells")) {
                if (!cell.get("cell_type").asText().equals("code")) {
                    continue;
                }
                String source = source(cell);
                Snippet last = run(shell, source);
                ((ObjectNode) cell).put("execution_count", ++count);
                ((ObjectNode) cell).set("outputs", new ObjectMapper().createArrayNode());
                JsonNode expect = cell.path("metadata").path("kiln_expect");
                if (expect.isMissingNode()) {
                    continue;
                }
                // the cell's value, as the kernel would get it
                value = null;
                run(shell, ChartsNotebookFixtureTest.class.getName() + ".value = " + name(last) + ";");
                assertNotNull(value, source);
                MimeBundle bundle = render(renderers, value);
                check(source, bundle, expect);
                ((ObjectNode) cell).set("outputs", outputs(bundle, count));
                checked++;
            }
        }
        // the notebook as a kernel would leave it, also kept for running test_viz_notebook.py by hand
        File out = new File("target/viz-notebook/charts.ipynb");
        out.getParentFile().mkdirs();
        new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(out, notebook);
        executed = notebook;
        return notebook;
    }

    private static ArrayNode outputs(MimeBundle b, int count) {
        ObjectMapper m = new ObjectMapper();
        ObjectNode result = m.createObjectNode();
        result.put("output_type", "execute_result");
        result.put("execution_count", count);
        result.set("data", m.valueToTree(b.data()));
        result.set("metadata", m.valueToTree(b.metadata()));
        return m.createArrayNode().add(result);
    }

    private static String source(JsonNode cell) {
        JsonNode s = cell.get("source");
        if (s.isTextual()) {
            return s.asText();
        }
        StringBuilder b = new StringBuilder();
        s.forEach(line -> b.append(line.asText()));
        return b.toString();
    }

    /** Evaluates every snippet of {@code source}; fails on any error; returns the last snippet. */
    private static Snippet run(JShell shell, String source) {
        SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
        String remaining = source;
        Snippet last = null;
        while (!remaining.isBlank()) {
            SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(remaining);
            String snippet = info.source() != null ? info.source() : remaining;
            for (SnippetEvent e : shell.eval(snippet)) {
                if (e.exception() != null) {
                    fail("cell threw " + e.exception() + " at: " + snippet, e.exception());
                }
                if (e.status() == Snippet.Status.REJECTED) {
                    fail("rejected: " + snippet + "\n" + shell.diagnostics(e.snippet()).map(d -> d.getMessage(null)).toList());
                }
                if (e.causeSnippet() == null) {
                    last = e.snippet();
                }
            }
            remaining = info.remaining();
        }
        return last;
    }

    /** The name a snippet's value is known by: its variable, or JShell's $N for an expression. */
    private static String name(Snippet s) {
        if (s instanceof jdk.jshell.VarSnippet v) {
            return v.name();
        }
        if (s instanceof jdk.jshell.ExpressionSnippet e) {
            return e.name();
        }
        throw new AssertionError("the last snippet is not a value: " + s.source());
    }

    private static MimeBundle render(List<DisplayRenderer> renderers, Object v) {
        DisplayRenderer best = null;
        for (DisplayRenderer r : renderers) {
            if (r.type().isInstance(v) && (best == null || best.type().isAssignableFrom(r.type()))) {
                best = r;
            }
        }
        assertNotNull(best, "a renderer for " + v.getClass());
        return best.render(v);
    }

    @SuppressWarnings("unchecked")
    private static void check(String cell, MimeBundle b, JsonNode expect) throws Exception {
        for (JsonNode m : expect.path("mime")) {
            assertTrue(b.data().containsKey(m.asText()), cell + ": has " + m.asText() + ", has " + b.data().keySet());
        }
        for (JsonNode m : expect.path("absent")) {
            assertFalse(b.data().containsKey(m.asText()), cell + ": has no " + m.asText());
        }
        if (expect.has("png_size")) {
            BufferedImage png = ChartRendererTest.png(b);
            assertEquals(expect.get("png_size").get(0).asInt(), png.getWidth(), cell);
            assertEquals(expect.get("png_size").get(1).asInt(), png.getHeight(), cell);
            var shown = (Map<String, Object>) b.metadata().get("image/png");
            assertEquals(expect.get("display_size").get(0).asInt(), shown.get("width"), cell);
            assertEquals(expect.get("display_size").get(1).asInt(), shown.get("height"), cell);
        }
        if (expect.has("max_png_bytes")) {
            int bytes = java.util.Base64.getDecoder().decode((String) b.data().get("image/png")).length;
            assertTrue(bytes <= expect.get("max_png_bytes").asInt(), cell + ": PNG of " + bytes + " bytes");
        }
        var contains = expect.path("contains").fields();
        while (contains.hasNext()) {
            var e = contains.next();
            String text = (String) b.data().get(e.getKey());
            for (JsonNode s : e.getValue()) {
                assertTrue(text.contains(s.asText()), cell + ": " + e.getKey() + " contains " + s.asText());
            }
        }
    }
}
