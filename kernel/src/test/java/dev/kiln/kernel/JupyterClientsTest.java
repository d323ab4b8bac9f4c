package dev.kiln.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.kernel.install.Jdk20OrLater;
import dev.kiln.kernel.install.KernelSpec;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
 * The kernel driven by Jupyter's own clients: the kernel test suite (jupyter_kernel_test) and a
 * notebook executed by nbclient, both run with Debian's /usr/bin/python3 against a kernelspec
 * installed in a temporary Jupyter path.
 */
class JupyterClientsTest {

    @TempDir
    static Path tmp;
    static PythonTests python;
    static Path mavenRepo;

    @BeforeAll
    static void installKernelAndALibrary() throws Exception {
        python = new PythonTests(tmp);
        mavenRepo = tmp.resolve("m2");
        publishGreeter(mavenRepo);
    }

    @Test
    @Timeout(600)
    void jupyterKernelTestSuitePassesWithEveryCapabilityDeclared() throws Exception {
        assertSuitePasses(python.pytest(Path.of("src/test/python/test_kernel_suite.py"), Map.of()));
    }

    @Test
    @Timeout(600)
    void jupyterKernelTestSuitePassesOnAJdkOf20OrLaterToo() throws Exception {
        PythonTests newer = new PythonTests(tmp.resolve("newer-jdk"), Jdk20OrLater.java().toString());
        assertSuitePasses(newer.pytest(Path.of("src/test/python/test_kernel_suite.py"), Map.of()));
    }

    private static void assertSuitePasses(String out) {
        for (String capability : List.of("kernel_info", "execute_stdout", "execute_stderr", "error", "execute_result",
                "completion", "inspect", "is_complete", "display_data", "history", "pager", "clear_output")) {
            assertTrue(out.contains("PASSED src/test/python/test_kernel_suite.py::KilnKernelTests::test_" + capability + "\n"),
                    "test_" + capability + " must pass:\n" + out);
        }
        assertFalse(out.toLowerCase().contains("skipped"), "no capability may be skipped:\n" + out);
        assertFalse(out.contains("failed"), out);
    }

    @Test
    @Timeout(600)
    void notebookRunsEndToEndWithInterruptAndOfflineMaven() throws Exception {
        String out = python.pytest(Path.of("src/test/python/test_notebook.py"),
                Map.of("KILN_MAVEN_LOCAL", mavenRepo.toString(), "KILN_OFFLINE", "1",
                        "KILN_CACHE_DIR", tmp.resolve("cache").toString()));
        assertTrue(out.contains("1 passed"), out);
    }

    @Test
    @Timeout(300)
    void anUnknownMagicIsOneErrorHoweverItIsAskedFor() throws Exception {
        String out = python.pytest(Path.of("src/test/python/test_magics.py"), Map.of());
        assertTrue(out.contains("1 passed"), out);
    }

    /** Compiles demo.Greeter into demo:greeter:1.0 in a Maven repository folder, as 'mvn install' would. */
    private static void publishGreeter(Path repo) throws IOException {
        Path src = tmp.resolve("greeter-src/demo/Greeter.java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, "package demo;\npublic class Greeter {\n  public static String greet(String who) { return \"Hello, \" + who; }\n}\n");
        Path classes = tmp.resolve("greeter-classes");
        Files.createDirectories(classes);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertEquals(0, javac.run(null, null, null, "-d", classes.toString(), src.toString()));
        Path dir = repo.resolve("demo/greeter/1.0");
        Files.createDirectories(dir);
        try (OutputStream f = Files.newOutputStream(dir.resolve("greeter-1.0.jar")); JarOutputStream jar = new JarOutputStream(f)) {
            jar.putNextEntry(new JarEntry("demo/Greeter.class"));
            jar.write(Files.readAllBytes(classes.resolve("demo/Greeter.class")));
            jar.closeEntry();
        }
        Files.writeString(dir.resolve("greeter-1.0.pom"), """
                <project xmlns="http://maven.apache.org/POM/4.0.0">
                  <modelVersion>4.0.0</modelVersion>
                  <groupId>demo</groupId>
                  <artifactId>greeter</artifactId>
                  <version>1.0</version>
                </project>
                """);
    }
}
