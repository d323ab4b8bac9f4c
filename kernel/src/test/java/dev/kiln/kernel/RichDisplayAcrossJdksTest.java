package dev.kiln.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.kernel.install.Jdk20OrLater;
import dev.kiln.kernel.install.KernelSpec;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bare table, variable or image at the end of a cell shows as HTML or PNG on Java 17 and on 20 or
 * later alike; an exception and an interrupted loop end their cell as errors there too.
 */
class RichDisplayAcrossJdksTest {

    private static final Path SCRIPT = Path.of("src/test/python/test_rich_display.py");
    private static final String TEST = "test_a_bare_table_a_variable_and_an_image_show_richly_and_errors_and_interrupts_behave";

    @TempDir
    Path tmp;

    @Test
    @Timeout(300)
    void onJava17() throws Exception {
        assertEquals(17, Runtime.version().feature(), "the build's JVM is Java 17; the next test runs a newer one");
        new PythonTests(tmp).pytest(SCRIPT, TEST, Map.of("KILN_EXPECTED_JAVA", "17"));
    }

    @Test
    @Timeout(300)
    void onAJdkOf20OrLater() throws Exception {
        Path java = Jdk20OrLater.java();
        int feature = KernelSpec.featureVersion(java.getParent().getParent());
        new PythonTests(tmp, java.toString()).pytest(SCRIPT, TEST, Map.of("KILN_EXPECTED_JAVA", Integer.toString(feature)));
    }
}
