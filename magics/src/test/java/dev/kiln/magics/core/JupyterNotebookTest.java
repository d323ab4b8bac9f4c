package dev.kiln.magics.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which notebook a kernel runs for: what Kiln's server extension last wrote, else JPY_SESSION_NAME. */
class JupyterNotebookTest {

    @TempDir
    Path tmp;

    @Test
    void theServerExtensionsFileNamesTheNotebookAndItsFileOverJpySessionName() throws Exception {
        Path info = tmp.resolve("kiln-notebook-kernel-1.json");
        Files.writeString(info, "{\"path\": \"work/renamed.ipynb\", \"file\": \"/srv/notebooks/work/renamed.ipynb\"}");
        Map<String, String> env = Map.of(JupyterNotebook.INFO_VARIABLE, info.toString(), "JPY_SESSION_NAME", "/srv/notebooks/work/Untitled.ipynb");

        assertEquals(Optional.of(new JupyterNotebook("work/renamed.ipynb", Path.of("/srv/notebooks/work/renamed.ipynb"))),
                JupyterNotebook.of(env));

        Files.writeString(info, "{\"path\": \"work/again.ipynb\"}"); // renamed again, on a server that keeps no files here
        assertEquals(Optional.of(new JupyterNotebook("work/again.ipynb", null)), JupyterNotebook.of(env), "read anew each time");
    }

    @Test
    void withoutTheServerExtensionsFileJpySessionNameAsJupyterSetItAtStart() throws Exception {
        Path absent = tmp.resolve("kiln-notebook-kernel-2.json");
        assertEquals(Optional.of(new JupyterNotebook("analysis.ipynb", null)),
                JupyterNotebook.of(Map.of(JupyterNotebook.INFO_VARIABLE, absent.toString(), "JPY_SESSION_NAME", "analysis.ipynb")));
        assertEquals(Optional.of(new JupyterNotebook("analysis.ipynb", null)), JupyterNotebook.of(Map.of("JPY_SESSION_NAME", "analysis.ipynb")));

        Files.writeString(absent, "not json {");
        assertEquals(Optional.of(new JupyterNotebook("analysis.ipynb", null)),
                JupyterNotebook.of(Map.of(JupyterNotebook.INFO_VARIABLE, absent.toString(), "JPY_SESSION_NAME", "analysis.ipynb")),
                "a file that is not the extension's leaves JPY_SESSION_NAME");
        Files.writeString(absent, "{\"path\": \"\"}");
        assertEquals(Optional.empty(), JupyterNotebook.of(Map.of(JupyterNotebook.INFO_VARIABLE, absent.toString())));
    }

    @Test
    void outsideANotebookThereIsNone() {
        assertEquals(Optional.empty(), JupyterNotebook.of(Map.of()));
        assertEquals(Optional.empty(), JupyterNotebook.of(Map.of("JPY_SESSION_NAME", " ")));
    }
}
