package dev.kiln.kernel;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a user reads in a cell, on the Seattle weather CSV, through Jupyter's clients: magics named
 * as magics, %help as a table, a conversion's skipped lineage on screen with one speed figure, a
 * re-run of an unchanged conversion saying its version is unchanged, a
 * UserError and a compile error without noise (src/test/python/test_words.py).
 */
class NotebookWordsTest {

    @TempDir
    static Path tmp;
    static PythonTests python;

    @BeforeAll
    static void installKernel() throws Exception {
        python = new PythonTests(tmp);
    }

    @Test
    @Timeout(900)
    void aCellSpeaksNotebook() throws Exception {
        String out = python.pytest(Path.of("src/test/python/test_words.py"),
                Map.of("KILN_TEST_SEATTLE", Path.of("../magics/src/test/resources/viz/seattle-weather.csv").toAbsolutePath().toString(),
                        "KILN_CACHE_DIR", tmp.resolve("cache").toString(),
                        "KILN_SIDECAR_FILE", tmp.resolve("no-sidecar.json").toString(),
                        "KILN_SIDECAR_URL", ""));
        assertTrue(out.contains("5 passed"), out);
    }
}
