package dev.kiln.kernel;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The charts notebook of magics' viz tests executed by the real kernel with nbclient: every output
 * as its cell's {@code kiln_expect} says, the nbconvert HTML export holding the images, and
 * headless-Chromium screenshots of the exported and the live page showing a chart and the table.
 */
@Timeout(300) // each test; it waits on a process or a socket
class VizNotebookTest {

    @TempDir
    Path tmp;

    @Test
    void chartsNotebookExecutesExportsAndShowsInChromium() throws Exception {
        Path script = Path.of("..", "magics", "src", "test", "resources", "viz", "test_viz_notebook.py").toAbsolutePath().normalize();
        String out = new PythonTests(tmp).pytest(script, Map.of("KILN_KERNEL_NAME", "kiln"));
        assertTrue(out.contains("6 passed"), out);
        assertTrue(!out.toLowerCase().contains("skipped"), out);
    }
}
