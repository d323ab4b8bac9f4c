package dev.kiln.kernel;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.magics.data.DataRepository;
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
 * {@code %%sql} through jupyter_client: a dataset version pushed to a directory remote is queried by
 * name from a project whose workspace and cache lack it; local CSV; {@code -o} keeps a Tablesaw
 * table; DuckDB's errors keep their position. The pytest file checks values; this checks disk.
 */
class SqlThroughJupyterTest {

    private static final Path SCRIPT = Path.of("src/test/python/test_sql.py");

    @TempDir
    Path tmp;

    @Test
    @Timeout(300)
    void sqlQueriesDatasetVersionsByNameFromTheCacheNeverTheWorkspace() throws Exception {
        Path project = Files.createDirectories(tmp.resolve("project"));
        Path pems = Files.createDirectories(project.resolve("data/pems"));
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            s.execute("COPY (SELECT 'S' || (i % 3) AS station, i * 0.5 AS tmax FROM range(3000) t(i)) TO '"
                    + pems.resolve("stations.parquet") + "' (FORMAT parquet)");
        }
        Files.writeString(project.resolve("local.csv"), "x,name\n1,a\n2,b\n3,c\n");
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("KILN_CACHE_DIR", tmp.resolve("maker-cache").toString());
        env.put("KILN_AUTHOR", "tester");
        String version;
        try (DataRepository repo = DataRepository.open(project, env)) {
            repo.addRemote(new RemoteConfig("team", tmp.resolve("remote").toString(), null, null, null, null), true, false);
            version = repo.add("data/pems", "pems", "stations").version();
            repo.push(List.of("pems"), null, "v3");
        }
        // the notebook's machine: the version is pinned in kiln.lock but neither in the workspace nor in the cache
        try (Stream<Path> files = Files.walk(project.resolve("data"))) {
            for (Path p : files.sorted((a, b) -> b.compareTo(a)).toList()) {
                Files.delete(p);
            }
        }
        Path cache = tmp.resolve("notebook-cache");

        new PythonTests(tmp).pytest(SCRIPT, Map.of("KILN_PROJECT", project.toString(), "KILN_CACHE_DIR", cache.toString(),
                "PEMS_VERSION", version, "KILN_AUTHOR", "tester"));

        assertFalse(Files.exists(project.resolve("data")), "nothing was written to the workspace");
        assertTrue(Files.isDirectory(cache.resolve("objects/sha256")), "the version's objects were fetched into the cache");
        assertTrue(Files.isDirectory(cache.resolve("sql/spill")), "DuckDB spills under the cache");
    }
}
