package dev.kiln.magics.share;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which notebooks get MathJax in their HTML export: those with math MathJax would typeset, not prices. */
class ExportPageTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void mathIsTexBetweenMathJaxsDelimitersNotDollarAmounts() {
        assertEquals(false, ExportPage.hasMath(markdown("Coal costs $5 and gas $6, oil $ 7 and $8 .")));
        assertEquals(false, ExportPage.hasMath(markdown("# Emissions\nNo math here.")));
        assertEquals(true, ExportPage.hasMath(markdown("The mean $\\bar{x}$ of the years.")));
        assertEquals(true, ExportPage.hasMath(markdown("$$\nx^2\n$$")));
        assertEquals(true, ExportPage.hasMath(markdown("Inline \\(a+b\\) and display \\[a\\]")));
        assertEquals(true, ExportPage.hasMath(markdown("\\begin{align} a &= b \\end{align}")));
    }

    @Test
    void aLatexOutputIsMathAndCodeCellsAreNot() {
        ObjectNode nb = JSON.createObjectNode();
        ObjectNode code = nb.putArray("cells").addObject().put("cell_type", "code").put("source", "String s = \"$x$\";");
        ObjectNode out = code.putArray("outputs").addObject().put("output_type", "display_data");
        out.putObject("data").put("text/plain", "$x$");
        assertEquals(false, ExportPage.hasMath(nb));
        ((ObjectNode) out.get("data")).put("text/latex", "$x^2$");
        assertEquals(true, ExportPage.hasMath(nb));
    }

    @Test
    void aMarkdownExportCarriesItsChartsInsideIt(@TempDir Path dir) throws Exception {
        byte[] png = Base64.getDecoder().decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");
        ObjectNode nb = JSON.createObjectNode();
        ObjectNode code = nb.putArray("cells").addObject().put("cell_type", "code").put("source", "Plot.histogram(t, \"year\")")
                .put("execution_count", 1);
        code.putObject("metadata");
        ObjectNode out = code.putArray("outputs").addObject().put("output_type", "display_data");
        out.putObject("data").put("image/png", Base64.getEncoder().encodeToString(png)).put("text/plain", "a histogram");
        out.putObject("metadata");
        nb.putObject("metadata");
        nb.put("nbformat", 4).put("nbformat_minor", 4);
        Path in = Files.writeString(dir.resolve("charts.ipynb"), JSON.writeValueAsString(nb));
        Path md = dir.resolve("elsewhere.md");
        new NotebookExporter(new HashMap<>(System.getenv())).export(in, NotebookExporter.Format.MD, md, "volatile", false);
        String text = Files.readString(md);
        assertTrue(text.contains("](data:image/png;base64," + Base64.getEncoder().encodeToString(png) + ")"), text);
        assertFalse(text.contains("_files/"), "no image file that the export does not carry: " + text);
    }

    private static ObjectNode markdown(String source) {
        ObjectNode nb = JSON.createObjectNode();
        nb.putArray("cells").addObject().put("cell_type", "markdown").putArray("source").add(source);
        return nb;
    }
}
