package dev.kiln.kernel;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code %parquet convert} in a kernel started by jupyter_client: converted in a process of the
 * kernel's own, kept for the next conversion, stopped cleanly by an interrupt, reported and replaced
 * when killed (test_parquet_process.py).
 */
class ConversionProcessThroughJupyterTest {

    static final Path TEST = Path.of("src/test/python/test_parquet_process.py");

    @TempDir
    Path tmp;

    @Test
    @Timeout(600)
    void conversionsRunInOneProcessThatOutlivesAnInterrupt() throws Exception {
        new PythonTests(tmp).pytest(TEST, "test_conversions_run_in_one_process_that_outlives_an_interrupt", Map.of());
    }

    @Test
    @Timeout(600)
    void aKilledConversionProcessIsReportedAndReplaced() throws Exception {
        new PythonTests(tmp).pytest(TEST, "test_a_killed_conversion_process_is_reported_and_replaced", Map.of());
    }
}
