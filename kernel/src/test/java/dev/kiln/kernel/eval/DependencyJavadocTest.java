package dev.kiln.kernel.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Inspecting a library's class, method or field shows the Javadoc of its sources jar. */
@Timeout(120)
class DependencyJavadocTest {

    @TempDir
    static Path tmp;
    static JavaEvaluator ev;

    @BeforeAll
    static void start() throws Exception {
        DocumentedLibrary.Jars jars = DocumentedLibrary.publish(tmp.resolve("m2"), tmp);
        ev = new JavaEvaluator(List.of(), List.of());
        // compiled once before a jar is added, as the kernel's is: JShell's documentation() of a jar added
        // to a JShell that has compiled nothing yet comes up empty in about one run of three (Java 17)
        ev.eval("1", "warm-up", 0);
        ev.addToClasspath(jars.jar());
        ev.addDocumentation(jars.sources());
    }

    @AfterAll
    static void stop() {
        ev.close();
    }

    @Test
    void aMethodShowsItsSignatureAndTheJavadocOfThatOverload() {
        String code = "demo.almanac.Almanac.greet(\"Ada\", 3";
        String doc = ev.inspect(code, code.length()).orElseThrow();
        List<String> lines = doc.lines().toList();
        assertEquals("String demo.almanac.Almanac.greet(String, int)", lines.get(0), doc);
        assertEquals(DocumentedLibrary.GREET_TWICE_DOC, lines.get(1), doc);
        assertEquals(2, lines.size(), doc);
    }

    @Test
    void aMethodsParametersAndReturnAreDocumentedToo() {
        String code = "demo.almanac.Almanac.greet(\"Ada\")";
        String doc = ev.inspect(code, code.length() - 1).orElseThrow();
        String greet = doc.substring(0, doc.indexOf("\n\nString demo.almanac.Almanac.greet(String, int)"));
        assertEquals(String.join("\n", "String demo.almanac.Almanac.greet(String)", DocumentedLibrary.GREET_DOC, "",
                "Parameters:", "  who - the one greeted", "", "Returns:", "  the greeting"), greet);
    }

    @Test
    void aClassAndAFieldShowTheirJavadoc() {
        String cls = "demo.almanac.Almanac";
        assertEquals(Optional.of(DocumentedLibrary.CLASS_DOC), ev.inspect(cls, cls.length()).map(d -> d.lines().toList().get(1)));
        String field = "demo.almanac.Almanac.SALUTATION";
        assertEquals(Optional.of(DocumentedLibrary.FIELD_DOC), ev.inspect(field, field.length()).map(d -> d.lines().toList().get(1)));
    }

    @Test
    void aJdkMethodShowsItsJavadocAsText() {
        String code = "\"  x \".strip(";
        List<String> doc = ev.inspect(code, code.length()).orElseThrow().lines().toList();
        assertEquals("String String.strip()", doc.get(0));
        assertTrue(doc.get(1).startsWith("Returns a string whose value is this string, with all leading and trailing white space"), doc.get(1));
        assertEquals("  a string whose value is this string, with all leading and trailing white space removed",
                doc.get(doc.indexOf("Returns:") + 1), String.join("\n", doc));
        assertEquals("  Character.isWhitespace(int)", doc.get(doc.indexOf("See Also:") + 1), String.join("\n", doc));
    }

    @Test
    void htmlAndInlineTagsReadAsText() {
        assertEquals(String.join("\n", "Splits a <b> into parts:", "", "- first", "", "- second & last", "", "    int x = 1;\n    x++;", "",
                        "Since:", "  1.2"),
                JavadocText.of(" Splits a {@code <b>} into parts:\n <ul><li>first</li>\n <li>second &amp; last</li></ul>\n"
                        + " <pre>\n    int x = 1;\n    x++;\n </pre>\n @since 1.2"));
    }

    @Test
    void aLibraryWithOnlyAJavadocJarShowsWhatItsPagesSay() throws Exception {
        DocumentedLibrary.Jars jars = DocumentedLibrary.withJavadocOnly(tmp.resolve("javadoc-only"));
        ev.addToClasspath(jars.jar());
        ev.addDocumentation(jars.sources());
        String call = "demo.pages.Almanac.greet(\"Ada\", 3";
        assertEquals(List.of("String demo.pages.Almanac.greet(String, int)", DocumentedLibrary.GREET_TWICE_DOC),
                ev.inspect(call, call.length()).orElseThrow().lines().toList());
        String field = "demo.pages.Almanac.SALUTATION";
        assertEquals(DocumentedLibrary.FIELD_DOC, ev.inspect(field, field.length()).orElseThrow().lines().toList().get(1));
        String cls = "demo.pages.Almanac";
        assertEquals(DocumentedLibrary.CLASS_DOC, ev.inspect(cls, cls.length()).orElseThrow().lines().toList().get(1));
    }

    @Test
    void jshellSignaturesNameTheMemberAndItsErasedParameterTypes() {
        DependencyJavadoc.Member m = DependencyJavadoc.Member.of("<T> java.util.List<T> demo.Box<T>.items(java.util.Map<String, T> byName, int... sizes)");
        assertEquals(List.of("demo", "Box", "items"), m.names());
        assertEquals(Optional.of(List.of("Map", "int[]")), m.parameters());
        assertEquals(new DependencyJavadoc.Member(List.of("demo", "Box", "SIZE"), Optional.empty()),
                DependencyJavadoc.Member.of("demo.Box.SIZE:int"));
        assertFalse(DependencyJavadoc.Member.of("demo.Box(int size)").parameters().orElseThrow().isEmpty());
    }
}
