package dev.kiln.kernel.eval;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import javax.tools.ToolProvider;

/**
 * A small third-party library with Javadoc, {@code demo:almanac:1.0}, published to a Maven
 * repository folder as {@code mvn deploy} would: its jar, its {@code -sources} jar and its pom.
 */
public final class DocumentedLibrary {

    public static final String COORDINATES = "demo:almanac:1.0";
    /** The Javadoc of greet(String), as inspection shows it. */
    public static final String GREET_DOC = "Greets who politely.";
    public static final String GREET_TWICE_DOC = "Greets who times times, on one line.";
    public static final String CLASS_DOC = "Greetings for every occasion.";
    public static final String FIELD_DOC = "What greet(String) says before the name.";

    static final String SOURCE = """
            package demo.almanac;

            /**
             * Greetings for every occasion.
             */
            public class Almanac {
                /** What {@link #greet(String)} says before the name. */
                public static final String SALUTATION = "Hello, ";

                /**
                 * Greets {@code who} politely.
                 *
                 * @param who the one greeted
                 * @return the greeting
                 */
                public static String greet(String who) {
                    return SALUTATION + who;
                }

                /**
                 * Greets {@code who} {@code times} times, on one line.
                 */
                public static String greet(String who, int times) {
                    return greet(who).repeat(times);
                }
            }
            """;

    /** The library's jar and its documentation: its sources jar, or its javadoc jar. */
    public record Jars(Path jar, Path sources) {
    }

    private DocumentedLibrary() {
    }

    /** Compiles the library and writes it under {@code repo} (a Maven repository folder). */
    public static Jars publish(Path repo, Path work) throws IOException {
        Path src = work.resolve("almanac-src/demo/almanac/Almanac.java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, SOURCE);
        Path classes = work.resolve("almanac-classes");
        Files.createDirectories(classes);
        if (ToolProvider.getSystemJavaCompiler().run(null, null, null, "--release", "17", "-d", classes.toString(), src.toString()) != 0) {
            throw new IllegalStateException("the library did not compile");
        }
        Path dir = repo.resolve("demo/almanac/1.0");
        Files.createDirectories(dir);
        Jars jars = new Jars(dir.resolve("almanac-1.0.jar"), dir.resolve("almanac-1.0-sources.jar"));
        writeJar(jars.jar(), "demo/almanac/Almanac.class", Files.readAllBytes(classes.resolve("demo/almanac/Almanac.class")));
        writeJar(jars.sources(), "demo/almanac/Almanac.java", SOURCE.getBytes(StandardCharsets.UTF_8));
        Files.writeString(dir.resolve("almanac-1.0.pom"), """
                <project xmlns="http://maven.apache.org/POM/4.0.0">
                  <modelVersion>4.0.0</modelVersion>
                  <groupId>demo</groupId>
                  <artifactId>almanac</artifactId>
                  <version>1.0</version>
                </project>
                """);
        return jars;
    }

    /**
     * The library again, as {@code demo.pages.Almanac}, published with Javadoc but no sources: its
     * jar and its {@code -javadoc} jar (the pages the javadoc tool writes) under {@code work}.
     */
    public static Jars withJavadocOnly(Path work) throws IOException {
        String source = SOURCE.replace("package demo.almanac;", "package demo.pages;");
        Path src = work.resolve("pages-src/demo/pages/Almanac.java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, source);
        Path classes = work.resolve("pages-classes");
        Path html = work.resolve("pages-javadoc");
        if (ToolProvider.getSystemJavaCompiler().run(null, null, null, "--release", "17", "-d", classes.toString(), src.toString()) != 0
                || ToolProvider.getSystemDocumentationTool().run(null, null, null, "-quiet", "-d", html.toString(), src.toString()) != 0) {
            throw new IllegalStateException("the library's classes or Javadoc could not be built");
        }
        Jars jars = new Jars(work.resolve("pages-1.0.jar"), work.resolve("pages-1.0-javadoc.jar"));
        writeJar(jars.jar(), "demo/pages/Almanac.class", Files.readAllBytes(classes.resolve("demo/pages/Almanac.class")));
        try (OutputStream f = Files.newOutputStream(jars.sources()); JarOutputStream out = new JarOutputStream(f); var pages = Files.walk(html)) {
            for (Path page : pages.filter(Files::isRegularFile).toList()) {
                out.putNextEntry(new JarEntry(html.relativize(page).toString().replace('\\', '/')));
                out.write(Files.readAllBytes(page));
                out.closeEntry();
            }
        }
        return jars;
    }

    private static void writeJar(Path file, String entry, byte[] content) throws IOException {
        try (OutputStream f = Files.newOutputStream(file); JarOutputStream jar = new JarOutputStream(f)) {
            jar.putNextEntry(new JarEntry(entry));
            jar.write(content);
            jar.closeEntry();
        }
    }
}
