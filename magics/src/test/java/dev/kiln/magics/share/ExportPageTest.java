package dev.kiln.magics.share;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

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

    private static ObjectNode markdown(String source) {
        ObjectNode nb = JSON.createObjectNode();
        nb.putArray("cells").addObject().put("cell_type", "markdown").putArray("source").add(source);
        return nb;
    }
}
