package dev.kiln.magics.share;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReproductionReportTest {

    /** A jar the run did not have and a dataset it no longer has: each missing side reads "(none)" in the text and the page. */
    @Test
    void aMissingSideReadsNoneInTheTextAndThePage() {
        Reproduction r = new Reproduction("analysis.ipynb", "analysis.reproduced.ipynb", null, "differs",
                List.of(new Reproduction.Difference("jars", "commons-math3-3.6.1.jar", null, "sha256 8f2d1c0a3b4e"),
                        new Reproduction.Difference("datasets", "weather", "v3 (1f0e9a2b7c4d)", null)),
                List.of(), List.of(new Reproduction.Cell(1, 1, Reproduction.Verdict.MATCH, "1 + 1", null)));
        String html = r.html();
        assertTrue(html.contains("<td>commons-math3-3.6.1.jar</td><td>(none)</td><td>sha256 8f2d1c0a3b4e</td>"), html);
        assertTrue(html.contains("<td>weather</td><td>v3 (1f0e9a2b7c4d)</td><td>(none)</td>"), html);
        assertFalse(html.contains(">null<"), html);
        assertTrue(r.differences().get(0).describe().equals("jars: commons-math3-3.6.1.jar (none) → sha256 8f2d1c0a3b4e"));
    }
}
