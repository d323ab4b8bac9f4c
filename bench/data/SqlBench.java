import dev.kiln.magics.core.Progress;
import dev.kiln.magics.data.CachedVersion;
import dev.kiln.magics.data.DataRepository;
import dev.kiln.magics.data.RemoteConfig;
import dev.kiln.magics.parquet.Parquet;
import dev.kiln.magics.sql.SqlResult;
import dev.kiln.magics.sql.SqlSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tech.tablesaw.aggregate.AggregateFunctions;
import tech.tablesaw.api.Table;

/**
 * bench/data/sql: an aggregate over a Parquet dataset version, %%sql's engine (DuckDB, streaming)
 * against loading it whole into Tablesaw. Each mode runs in a JVM of its own (peak memory is the
 * process's, measured by /usr/bin/time outside).
 *   prepare WORK MB   a project with bench@latest: one Parquet file of about MB MiB, on a directory remote
 *   sql WORK          the aggregate through SqlSession (first run fetches into the cache; the second is timed)
 *   tablesaw WORK     the same file loaded with Parquet.read, then the same aggregate
 */
public class SqlBench {

    static final String QUERY = "SELECT station, avg(tmax) AS mean_tmax, avg(speed) AS mean_speed, count(*) AS n "
            + "FROM 'bench@latest/big.parquet' GROUP BY station ORDER BY station";

    public static void main(String[] args) throws Exception {
        Path work = Path.of(args[1]);
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("KILN_CACHE_DIR", work.resolve("cache").toString());
        env.put("KILN_AUTHOR", "bench");
        Path project = work.resolve("project");
        switch (args[0]) {
            case "prepare" -> prepare(work, project, env, Long.parseLong(args[2]));
            case "sql" -> {
                try (SqlSession sql = new SqlSession(project, env, Progress.NONE)) {
                    long t0 = System.nanoTime();
                    sql.run(QUERY, SqlSession.Options.DEFAULT, () -> false);
                    long t1 = System.nanoTime();
                    SqlResult r = sql.run(QUERY, SqlSession.Options.DEFAULT, () -> false);
                    long t2 = System.nanoTime();
                    System.out.printf("sql: first run (fetch into the cache + query) %.2f s; query %.2f s; %d groups%n",
                            (t1 - t0) / 1e9, (t2 - t1) / 1e9, r.rowCount());
                }
            }
            case "tablesaw" -> {
                Path file;
                try (DataRepository repo = DataRepository.open(project, env)) {
                    CachedVersion.Files f = repo.cachedFiles("bench@latest/big.parquet", null);
                    file = f.files().get(0).object();
                }
                long t0 = System.nanoTime();
                Table t = Parquet.read(file);
                long t1 = System.nanoTime();
                Table agg = t.summarize("tmax", "speed", AggregateFunctions.mean, AggregateFunctions.count).by("station");
                long t2 = System.nanoTime();
                System.out.printf("tablesaw: load %.2f s (%,d rows); aggregate %.2f s; total %.2f s; %d groups%n",
                        (t1 - t0) / 1e9, t.rowCount(), (t2 - t1) / 1e9, (t2 - t0) / 1e9, agg.rowCount());
            }
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    static void prepare(Path work, Path project, Map<String, String> env, long mb) throws Exception {
        Path dir = Files.createDirectories(project.resolve("data/bench"));
        long rows = mb * 1048576L / 26; // station (int) and three random doubles: ~26 bytes a row in Parquet
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            s.execute("SET threads = 2");
            s.execute("COPY (SELECT (i % 2000)::INTEGER AS station, random() * 40 AS tmax, random() * 20 AS tmin, "
                    + "random() * 120 AS speed FROM range(" + rows + ") t(i)) TO '" + dir.resolve("big.parquet")
                    + "' (FORMAT parquet, COMPRESSION zstd)");
        }
        try (DataRepository repo = DataRepository.open(project, env)) {
            repo.addRemote(new RemoteConfig("bench", work.resolve("remote").toString(), null, null, null, null), true, true);
            repo.add("data/bench", "bench", "bench data");
            repo.push(List.of("bench"), null, null);
        }
        System.out.printf("prepared: %,d rows, %.0f MiB of Parquet%n", rows, Files.size(dir.resolve("big.parquet")) / 1048576.0);
    }
}
