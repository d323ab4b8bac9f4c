package dev.kiln.kernel;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code %vars} through jupyter_client on the installed kernel: tables by their size, types by their simple names. */
class VarsThroughJupyterTest {

    private static final Path SCRIPT = Path.of("src/test/python/test_vars.py");

    @TempDir
    Path tmp;

    @Test
    @Timeout(300)
    void varsShowsATableBySizeAndEachTypeBySimpleName() throws Exception {
        Path project = Files.createDirectories(tmp.resolve("project"));
        Files.writeString(project.resolve("weather.csv"),
                "date,weather,wind\n2012-01-01,rain,4\n2012-01-02,sun,2\n2012-01-03,rain,3\n2012-01-04,fog,9\n2012-01-05,sun,1\n");
        new PythonTests(tmp).pytest(SCRIPT, Map.of("KILN_PROJECT", project.toString(),
                "KILN_CACHE_DIR", tmp.resolve("cache").toString(), "KILN_AUTHOR", "tester"));
    }
}
