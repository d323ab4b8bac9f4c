package dev.kiln.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.kernel.install.Jdk20OrLater;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile cells against the real kernel, driven by jupyter_client (Debian's /usr/bin/python3):
 * a cell printing 100 MB, System.exit and Runtime.halt (on Java 17 and on a JDK of 20 or later,
 * where the security manager is gone), and hundreds of cells in a row.
 */
class KernelFaultsTest {

    static final Path FAULTS = Path.of("src/test/python/test_kernel_faults.py");

    @TempDir
    static Path tmp;
    static Path quitter;

    @BeforeAll
    static void compileALibraryThatExits() throws IOException {
        quitter = jar("demo.Quitter", "package demo;\npublic class Quitter {\n"
                + "  public static void quit(int status) { System.exit(status); }\n}\n");
    }

    @Test
    @Timeout(900)
    void aFloodOfPrintsArrivesWholeAndInOrderBeforeTheResultAndIdle() throws Exception {
        new PythonTests(tmp.resolve("flood")).pytest(FAULTS,
                "test_a_flood_of_prints_arrives_whole_and_in_order_before_the_result_and_idle", Map.of());
    }

    @Test
    @Timeout(600)
    void exitAndHaltAreStoppedAndTheStateKeptOnThisJvm() throws Exception {
        assertEquals(17, Runtime.version().feature(), "the build's JVM is Java 17; the next test runs a newer one");
        new PythonTests(tmp.resolve("exit-17")).pytest(FAULTS,
                "test_exit_and_halt_are_stopped_and_the_kernel_keeps_its_state", Map.of("KILN_QUITTER_JAR", quitter.toString()));
    }

    @Test
    @Timeout(600)
    void exitAndHaltAreStoppedAndTheStateKeptOnAJvmWithoutASecurityManager() throws Exception {
        Path java = Jdk20OrLater.java();
        new PythonTests(tmp.resolve("exit-new"), java.toString()).pytest(FAULTS,
                "test_exit_and_halt_are_stopped_and_the_kernel_keeps_its_state", Map.of("KILN_QUITTER_JAR", quitter.toString()));
    }

    @Test
    @Timeout(900)
    void theHeapAfterGcStopsGrowingWithEveryCell() throws Exception {
        new PythonTests(tmp.resolve("heap")).pytest(FAULTS, "test_the_heap_after_gc_stops_growing_with_every_cell", Map.of());
    }

    /** Compiles one class into a jar under tmp. */
    private static Path jar(String className, String source) throws IOException {
        String path = className.replace('.', '/');
        Path src = tmp.resolve("src/" + path + ".java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, source);
        Path classes = Files.createDirectories(tmp.resolve("classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertEquals(0, javac.run(null, null, null, "--release", "17", "-d", classes.toString(), src.toString()));
        Path jar = tmp.resolve(className + ".jar");
        try (OutputStream f = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(f)) {
            out.putNextEntry(new JarEntry(path + ".class"));
            out.write(Files.readAllBytes(classes.resolve(path + ".class")));
            out.closeEntry();
        }
        return jar;
    }
}
