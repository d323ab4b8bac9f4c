package dev.kiln.kernel;

import dev.kiln.kernel.eval.DocumentedLibrary;
import dev.kiln.kernel.install.Jdk20OrLater;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shift-Tab in a notebook (inspect_request, through jupyter_client) shows the Javadoc of a library
 * added with {@code %maven}, from its {@code -sources} jar, and of the JDK's {@code String.strip},
 * on Java 17 and on 20 or later; as text and as HTML (signature, paragraphs, block tags).
 */
class InspectShowsJavadocTest {

    private static final Path SCRIPT = Path.of("src/test/python/test_inspect_javadoc.py");
    private static final String TEST = "test_inspect_shows_the_javadoc_of_a_maven_library_and_of_the_jdk";

    @TempDir
    static Path tmp;
    static Map<String, String> env;

    @BeforeAll
    static void publishADocumentedLibrary() throws Exception {
        Path repo = tmp.resolve("m2");
        DocumentedLibrary.publish(repo, tmp);
        env = Map.of("KILN_MAVEN_LOCAL", repo.toString(), "KILN_OFFLINE", "1",
                "KILN_EXPECTED_METHOD_DOC", DocumentedLibrary.GREET_TWICE_DOC, "KILN_EXPECTED_GREET_DOC", DocumentedLibrary.GREET_DOC,
                "KILN_EXPECTED_FIELD_DOC", DocumentedLibrary.FIELD_DOC);
    }

    @Test
    @Timeout(300)
    void onJava17() throws Exception {
        new PythonTests(tmp.resolve("17")).pytest(SCRIPT, TEST, env);
    }

    @Test
    @Timeout(300)
    void onAJdkOf20OrLater() throws Exception {
        new PythonTests(tmp.resolve("newer"), Jdk20OrLater.java().toString()).pytest(SCRIPT, TEST, env);
    }
}
