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
        ev.addToClasspath(jars.jar());
        ev.addSources(jars.sources());
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
        assertEquals("String Almanac.greet(String who, int times)", lines.get(0).replace("java.lang.", "").replace("demo.almanac.", ""), doc);
        assertEquals(DocumentedLibrary.GREET_TWICE_DOC, lines.get(1), doc);
        assertEquals(2, lines.size(), doc);
    }

    @Test
    void aMethodsParametersAndReturnAreDocumentedToo() {
        String code = "demo.almanac.Almanac.greet(\"Ada\")";
        String doc = ev.inspect(code, code.length() - 1).orElseThrow();
        assertTrue(doc.lines().anyMatch(l -> l.equals(DocumentedLibrary.GREET_DOC)), doc);
        assertTrue(doc.lines().anyMatch(l -> l.equals("@param who the one greeted")), doc);
    }

    @Test
    void aClassAndAFieldShowTheirJavadoc() {
        String cls = "demo.almanac.Almanac";
        assertEquals(Optional.of(DocumentedLibrary.CLASS_DOC), ev.inspect(cls, cls.length()).map(d -> d.lines().toList().get(1)));
        String field = "demo.almanac.Almanac.SALUTATION";
        assertEquals(Optional.of(DocumentedLibrary.FIELD_DOC), ev.inspect(field, field.length()).map(d -> d.lines().toList().get(1)));
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
