package dev.kiln.kernel;

import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.magics.core.CanonicalJson;
import dev.kiln.magics.data.DataRepository;
import dev.kiln.magics.data.ManifestEntry;
import dev.kiln.magics.data.RemoteConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code %data ls} and {@code %%sql}'s progress through jupyter_client: a version pushed to a directory
 * remote, listed from a project whose workspace and cache lack it (files, sizes, hashes, rows and
 * columns; {@code --json}), then queried by name with a bar for its fetch into the cache and one for
 * the query. The pytest file checks the cells; this makes the project and checks the workspace.
 */
class DataInPlaceThroughJupyterTest {

    private static final Path SCRIPT = Path.of("src/test/python/test_data_in_place.py");

    @TempDir
    Path tmp;

    @Test
    @Timeout(400)
    void dataLsAndSqlProgressInTheCell() throws Exception {
        Path project = Files.createDirectories(tmp.resolve("project"));
        Path pems = Files.createDirectories(project.resolve("data/pems"));
        Files.writeString(pems.resolve("stations.csv"), "name,lat\nS1,37.5\nS2,38.1\nS3,36.9\n");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            s.execute("COPY (SELECT i AS id, (i * 7919) % 1000003 AS a, i % 97 AS station FROM range(6000000) t(i)) TO '"
                    + pems.resolve("readings.parquet") + "' (FORMAT parquet)");
        }
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("KILN_CACHE_DIR", tmp.resolve("maker-cache").toString());
        env.put("KILN_AUTHOR", "tester");
        ObjectNode files = CanonicalJson.mapper().createObjectNode();
        try (DataRepository repo = DataRepository.open(project, env)) {
            repo.addRemote(new RemoteConfig("team", tmp.resolve("remote").toString(), null, null, null, null), true, false);
            repo.add("data/pems", "pems", "stations and readings");
            repo.push(List.of("pems"), null, "v3");
            for (ManifestEntry e : repo.files("pems@v3", null).files()) {
                ObjectNode f = files.putObject(e.path());
                f.put("sha256", e.sha256()).put("size", e.size());
                boolean csv = e.path().endsWith(".csv");
                f.put("rows", csv ? 3 : 6_000_000);
                ArrayNode cols = f.putArray("columns");
                (csv ? List.of("name", "lat") : List.of("id", "a", "station")).forEach(cols::add);
            }
        }
        // the notebook's machine: the version is pinned in kiln.lock but neither in the workspace nor in the cache
        try (Stream<Path> walk = Files.walk(project.resolve("data"))) {
            for (Path p : walk.sorted((a, b) -> b.compareTo(a)).toList()) {
                Files.delete(p);
            }
        }

        new PythonTests(tmp).pytest(SCRIPT, Map.of("KILN_PROJECT", project.toString(),
                "KILN_CACHE_DIR", tmp.resolve("notebook-cache").toString(), "PEMS_FILES", files.toString(), "KILN_AUTHOR", "tester"));

        assertFalse(Files.exists(project.resolve("data")), "neither ls nor %%sql wrote to the workspace");
    }
}
