package dev.kiln.magics.share;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.magics.cli.CommandRunner;
import dev.kiln.magics.cli.ReproduceCommand;
import dev.kiln.magics.core.MimeBundle;
import dev.kiln.magics.core.Progress;
import dev.kiln.magics.core.Result;
import dev.kiln.magics.core.Session;
import dev.kiln.magics.sql.SqlResult;
import dev.kiln.magics.sql.SqlSession;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code %%sql} cell that reads a dataset version by name ({@code FROM 'sales@ID/sales.csv'}) is
 * in the export's provenance like a {@code %data pull}, marked as read in place; reproducing on
 * another machine fetches that version into its cache without checking it out into the workspace.
 */
class SqlReadsProvenanceTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void aVersionReadBySqlIsExportedAndFetchedForAReproduction() throws Exception {
        Path alice = Files.createDirectories(tmp.resolve("alice"));
        Files.createDirectories(alice.resolve("data/sales"));
        Files.writeString(alice.resolve("data/sales/sales.csv"), "region,amount\nnorth,10\nsouth,20\n");
        run(alice, "data", "remote", "add", "local", tmp.resolve("remote").toString());
        run(alice, "data", "add", "data/sales");
        run(alice, "data", "push");
        String version = run(alice, "data", "pull", "sales").provenance().datasets().get(0).version();

        String query = "SELECT sum(amount) AS total FROM 'sales@" + version.substring(0, 12) + "/sales.csv'";
        SqlResult read;
        try (SqlSession sql = new SqlSession(alice, env(alice), Progress.NONE)) {
            read = sql.run(query, new SqlSession.Options(10, null, null), () -> false);
        }
        ObjectNode nb = JSON.createObjectNode();
        ObjectNode cell = nb.putArray("cells").addObject().put("cell_type", "code").put("execution_count", 1).put("source", "%%sql\n" + query);
        cell.putObject("metadata");
        ObjectNode out = cell.putArray("outputs").addObject().put("output_type", "display_data");
        out.putObject("data").put("text/plain", read.text());
        out.putObject("metadata").set("kiln", JSON.valueToTree(MimeBundle.of(read).metadata().get("kiln")));
        nb.putObject("metadata");
        nb.put("nbformat", 4).put("nbformat_minor", 5);
        Files.writeString(alice.resolve("analysis.ipynb"), JSON.writeValueAsString(nb));

        run(alice, "export", "analysis.ipynb", "--to", "ipynb");
        JsonNode sales = JSON.readTree(alice.resolve("analysis.export.ipynb").toFile()).path("metadata").path("kiln").path("datasets").path(0);
        assertEquals(List.of("sales", version, "sales.csv", "sql", "[0]"), List.of(sales.path("dataset").asText(),
                sales.path("version").asText(), sales.path("subpath").asText(), sales.path("read").asText(), sales.path("cells").toString()));
        run(alice, "export", "analysis.ipynb", "--to", "html");
        String page = Files.readString(alice.resolve("analysis.html"));
        assertTrue(page.contains("<td>sales/sales.csv</td><td><code>" + version + "</code></td><td>read in place by %%sql</td>"),
                "the page's datasets table names the version the query read");

        Path bob = Files.createDirectories(tmp.resolve("bob"));
        Files.copy(alice.resolve("kiln.yaml"), bob.resolve("kiln.yaml"));
        Files.copy(alice.resolve("analysis.export.ipynb"), bob.resolve("analysis.ipynb"));
        Reproduction r = runReproduce(bob);
        assertEquals(List.of(), r.differences(), r.text());
        byte[] csv = Files.readAllBytes(alice.resolve("data/sales/sales.csv"));
        try (Stream<Path> cached = Files.walk(tmp.resolve("cache-bob"))) {
            assertTrue(cached.filter(Files::isRegularFile).anyMatch(p -> sameBytes(p, csv)), "bob's cache holds the file the query reads");
        }
        assertFalse(Files.exists(bob.resolve("data")), "nothing checked out into bob's workspace");
    }

    private static boolean sameBytes(Path file, byte[] expected) {
        try {
            return java.util.Arrays.equals(Files.readAllBytes(file), expected);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private Reproduction runReproduce(Path project) throws Exception {
        try {
            run(project, "reproduce", "analysis.ipynb", "--kernel", "kiln-no-such-kernel");
            throw new AssertionError("a notebook whose kernel does not start does not reproduce");
        } catch (ReproduceCommand.Differs d) {
            return d.reproduction();
        }
    }

    private Map<String, String> env(Path project) {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("KILN_CACHE_DIR", tmp.resolve("cache-" + project.getFileName()).toString());
        env.put("KILN_SIDECAR_FILE", tmp.resolve("no-sidecar.json").toString());
        env.remove("KILN_SIDECAR_URL");
        env.put("JUPYTER_PATH", tmp.resolve("no-kernels").toString());
        env.put("JUPYTER_DATA_DIR", tmp.resolve("jupyter-data").toString());
        return env;
    }

    private Result run(Path project, String... args) throws Exception {
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        return new CommandRunner(new Session(project, quiet, quiet, Progress.NONE, env(project), "cli")).run(List.of(args));
    }
}
