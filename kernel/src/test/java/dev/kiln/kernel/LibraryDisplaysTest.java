package dev.kiln.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.File;
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
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A third-party library that brings its own display, added with {@code %maven} from a file
 * repository: its JJava {@code Extension} (installed as dflib-jupyter's is, through code it runs
 * with {@code getKernelInstance()}) and its Kiln {@code DisplayRenderer} draw its types in cells,
 * on Java 17 and on 20 or later.
 */
class LibraryDisplaysTest {

    @TempDir
    static Path tmp;
    static Path repo;

    @BeforeAll
    static void publishALibraryWithDisplays() throws IOException {
        repo = tmp.resolve("m2");
        Path src = tmp.resolve("fancy-src");
        write(src.resolve("demo/Fancy.java"), """
                package demo;
                public record Fancy(String name) {
                  @Override public String toString() { return "Fancy " + name; }
                }
                """);
        write(src.resolve("demo/FancyJupyter.java"), """
                package demo;
                import org.dflib.jjava.jupyter.kernel.BaseKernel;
                import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
                public final class FancyJupyter {
                  public static void init(BaseKernel kernel) {
                    kernel.getRenderer().createRegistration(Fancy.class).preferring(MIMEType.TEXT_HTML)
                        .register((f, ctx) -> ctx.renderIfRequested(MIMEType.TEXT_HTML, () -> "<b class='fancy'>" + f.name() + "</b>"));
                  }
                }
                """);
        write(src.resolve("demo/FancyExtension.java"), """
                package demo;
                import org.dflib.jjava.jupyter.Extension;
                import org.dflib.jjava.jupyter.kernel.BaseKernel;
                public class FancyExtension implements Extension {
                  @Override public void install(BaseKernel kernel) {
                    kernel.eval("import demo.*;\\nFancyJupyter.init(getKernelInstance());");
                  }
                }
                """);
        write(src.resolve("demo/Shiny.java"), "package demo;\npublic record Shiny(int level) {}\n");
        write(src.resolve("demo/ShinyRenderer.java"), """
                package demo;
                import dev.kiln.magics.core.DisplayRenderer;
                import dev.kiln.magics.core.MimeBundle;
                import java.util.Map;
                public class ShinyRenderer implements DisplayRenderer {
                  public Class<?> type() { return Shiny.class; }
                  public MimeBundle render(Object v) { return MimeBundle.of(Map.of("text/markdown", "**shiny " + ((Shiny) v).level() + "**")); }
                }
                """);
        Path classes = tmp.resolve("fancy-classes");
        Files.createDirectories(classes);
        List<String> args = new ArrayList<>(List.of("-d", classes.toString(), "-cp", System.getProperty("java.class.path")));
        try (Stream<Path> files = Files.walk(src)) {
            files.filter(f -> f.toString().endsWith(".java")).forEach(f -> args.add(f.toString()));
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertEquals(0, javac.run(null, null, null, args.toArray(String[]::new)));
        Path dir = repo.resolve("demo/fancy/1.0");
        Files.createDirectories(dir);
        try (OutputStream f = Files.newOutputStream(dir.resolve("fancy-1.0.jar")); JarOutputStream jar = new JarOutputStream(f);
             Stream<Path> built = Files.walk(classes)) {
            for (Path c : built.filter(Files::isRegularFile).toList()) {
                jar.putNextEntry(new JarEntry(classes.relativize(c).toString().replace(File.separatorChar, '/')));
                jar.write(Files.readAllBytes(c));
                jar.closeEntry();
            }
            service(jar, "org.dflib.jjava.jupyter.Extension", "demo.FancyExtension");
            service(jar, "dev.kiln.magics.core.DisplayRenderer", "demo.ShinyRenderer");
        }
        Files.writeString(dir.resolve("fancy-1.0.pom"), """
                <project xmlns="http://maven.apache.org/POM/4.0.0">
                  <modelVersion>4.0.0</modelVersion>
                  <groupId>demo</groupId>
                  <artifactId>fancy</artifactId>
                  <version>1.0</version>
                </project>
                """);
    }

    private static void service(JarOutputStream jar, String service, String provider) throws IOException {
        jar.putNextEntry(new JarEntry("META-INF/services/" + service));
        jar.write((provider + "\n").getBytes(StandardCharsets.UTF_8));
        jar.closeEntry();
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    private static final Path SCRIPT = Path.of("src/test/python/test_library_displays.py");
    private static final String TEST = "test_a_librarys_own_displays_draw_its_types_after_maven";

    @Test
    @Timeout(300)
    void onJava17() throws Exception {
        new PythonTests(tmp.resolve("17")).pytest(SCRIPT, TEST, Map.of("KILN_MAVEN_LOCAL", repo.toString(), "KILN_OFFLINE", "1"));
    }

    @Test
    @Timeout(300)
    void onAJdkOf20OrLater() throws Exception {
        new PythonTests(tmp.resolve("newer"), dev.kiln.kernel.install.Jdk20OrLater.java().toString())
                .pytest(SCRIPT, TEST, Map.of("KILN_MAVEN_LOCAL", repo.toString(), "KILN_OFFLINE", "1"));
    }
}
