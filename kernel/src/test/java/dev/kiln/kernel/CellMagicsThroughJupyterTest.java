package dev.kiln.kernel;

import dev.kiln.kernel.install.Jdk20OrLater;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code %%bash} streams and stops on an interrupt with what it started, and {@code %%time} keeps the value, on Java 17 and 20+. */
class CellMagicsThroughJupyterTest {

    private static final Path SCRIPT = Path.of("src/test/python/test_cell_magics.py");
    private static final String TEST = "test_bash_streams_stops_on_interrupt_with_its_children_and_time_keeps_the_value";

    @TempDir
    Path tmp;

    @Test
    @Timeout(300)
    void onJava17() throws Exception {
        new PythonTests(tmp).pytest(SCRIPT, TEST, Map.of());
    }

    @Test
    @Timeout(300)
    void onAJdkOf20OrLater() throws Exception {
        new PythonTests(tmp, Jdk20OrLater.java().toString()).pytest(SCRIPT, TEST, Map.of());
    }
}
