package dev.kiln.magics.sql;

import dev.kiln.magics.core.Progress;
import dev.kiln.magics.core.Provenance;
import dev.kiln.magics.core.UserError;
import dev.kiln.magics.data.Cache;
import dev.kiln.magics.data.DataRepository;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import org.duckdb.DuckDBPreparedStatement;
import org.duckdb.QueryProgress;

/**
 * SQL over local CSV and Parquet files and over dataset versions by name, in an embedded DuckDB
 * that lives as long as the session (a notebook's views and tables stay for its later cells). Rows
 * stream: only the ones a display shows are kept, unless the whole result is asked for as a table.
 * What does not fit in memory spills to the cache's {@code sql/spill}, as DuckDB does. Progress shows
 * as the other commands show theirs: a bar for a version fetched into the cache, and one for a query
 * that runs longer than {@link #QUIET_FOR} (DuckDB's own count of the rows it has processed).
 * <pre>
 * try (SqlSession sql = new SqlSession(projectDir, env, Progress.NONE)) {
 *     SqlResult r = sql.run("SELECT station, avg(tmax) FROM 'pems@v3/daily.parquet' GROUP BY 1", SqlSession.Options.DEFAULT);
 * }
 * </pre>
 */
public final class SqlSession implements AutoCloseable {

    /**
     * @param shownRows how many rows the result keeps for its display
     * @param keepAs    the name of a Tablesaw table holding the whole result, or null to keep none
     * @param remote    the remote dataset versions are fetched from (null: the project's default)
     */
    public record Options(int shownRows, String keepAs, String remote) {
        public static final Options DEFAULT = new Options(20, null, null);
    }

    /** A query that ends sooner shows no progress bar: most do, and a bar would only flicker. */
    static final java.time.Duration QUIET_FOR = java.time.Duration.ofMillis(500);

    private final Path projectDir;
    private final Map<String, String> env;
    private final Progress progress;
    private Connection connection;

    public SqlSession(Path projectDir, Map<String, String> env, Progress progress) {
        this.projectDir = projectDir;
        this.env = Map.copyOf(env);
        this.progress = progress;
    }

    /**
     * Runs {@code sql} (one or more statements; the last one's rows are the result).
     *
     * @param interrupted asked while the query runs: true cancels it
     * @throws UserError with DuckDB's message (and the position it gives) when the SQL is wrong
     */
    public SqlResult run(String sql, Options options, BooleanSupplier interrupted) {
        if (sql.isBlank()) {
            throw new UserError("%%sql has no query: write SQL on the lines after %%sql, e.g. SELECT * FROM 'data/stations.csv'.");
        }
        List<DatasetReferences.Reference> refs = DatasetReferences.find(sql);
        List<DatasetReferences.Resolved> resolved = List.of();
        if (!refs.isEmpty()) {
            try (DataRepository repo = DataRepository.open(projectDir, env, progress, 16)) {
                resolved = DatasetReferences.resolve(sql, refs, repo, options.remote());
            }
        }
        Map<String, Provenance.DatasetVersion> versions = new LinkedHashMap<>();
        for (DatasetReferences.Resolved r : resolved) {
            versions.putIfAbsent(r.reference().spec(), r.files().provenance());
        }
        Provenance provenance = Provenance.of("sql").withDatasets(List.copyOf(versions.values()));
        try {
            Connection c = connection();
            for (DatasetReferences.Resolved r : resolved) {
                if (r.view() != null) {
                    try (Statement s = c.createStatement()) {
                        s.execute("CREATE OR REPLACE TEMP VIEW " + r.view() + " AS SELECT * FROM '" + r.path().replace("'", "''") + "'");
                    }
                }
            }
            try (Statement s = c.createStatement(); QueryWatch ignored = new QueryWatch(s, interrupted, progress)) {
                if (!s.execute(DatasetReferences.rewrite(sql, resolved))) {
                    return new SqlResult(List.of(), List.of(), List.of(), -1, null, List.of(), List.of(), provenance);
                }
                try (ResultSet rs = s.getResultSet()) {
                    return read(rs, options, provenance);
                }
            }
        } catch (SQLException e) {
            if (interrupted.getAsBoolean()) {
                throw new UserError("The query was interrupted.");
            }
            throw new UserError(message(e));
        }
    }

    /** Streams the rows: the first few kept for the display, all counted, all kept only when asked to. */
    private static SqlResult read(ResultSet rs, Options options, Provenance provenance) throws SQLException {
        ResultSetMetaData meta = rs.getMetaData();
        int n = meta.getColumnCount();
        List<String> names = new ArrayList<>();
        List<String> types = new ArrayList<>();
        boolean[] timestamp = new boolean[n + 1];
        for (int c = 1; c <= n; c++) {
            names.add(meta.getColumnLabel(c));
            types.add(meta.getColumnTypeName(c));
            timestamp[c] = meta.getColumnType(c) == Types.TIMESTAMP;
        }
        ResultColumns whole = options.keepAs() != null ? new ResultColumns(meta) : null;
        List<List<String>> first = new ArrayList<>();
        long count = 0;
        while (rs.next()) {
            if (count < options.shownRows()) {
                List<String> row = new ArrayList<>(n);
                for (int c = 1; c <= n; c++) {
                    row.add(timestamp[c] ? shown(rs.getObject(c, LocalDateTime.class)) : rs.getString(c));
                }
                first.add(row);
            }
            if (whole != null) {
                whole.add(rs);
            }
            count++;
        }
        return new SqlResult(names, types, first, count, whole == null ? null : whole.table(options.keepAs()),
                whole == null ? List.of() : whole.keptAsText(), whole == null ? List.of() : whole.countedAsMissing(),
                provenance.withReport(Map.of("rows", count, "columns", n)));
    }

    /** A timestamp as DuckDB writes it, but in ISO years: JDBC's java.sql.Timestamp text drops the era (44 BC reads 0044). */
    private static final DateTimeFormatter SHOWN_TIMESTAMP = new DateTimeFormatterBuilder().appendPattern("uuuu-MM-dd HH:mm:ss")
            .appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).toFormatter(Locale.ROOT);

    private static String shown(LocalDateTime t) {
        return t == null ? null : SHOWN_TIMESTAMP.format(t);
    }

    /** DuckDB's own words (its error's kind, message and the line with a caret under the position), without JDBC's prefix. */
    private static String message(SQLException e) {
        String m = e.getMessage() == null ? e.toString() : e.getMessage();
        return m.replaceFirst("^java\\.sql\\.SQLException: ", "").strip();
    }

    /** The session's DuckDB: in memory, reading files relative to the project, spilling under the cache. */
    private Connection connection() throws SQLException {
        if (connection == null) {
            Path spill = Cache.forEnvironment(env).root().resolve("sql/spill");
            try {
                Files.createDirectories(spill);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Properties p = new Properties();
            p.setProperty("jdbc_stream_results", "true");
            Connection c = DriverManager.getConnection("jdbc:duckdb:", p);
            try (Statement s = c.createStatement()) {
                s.execute("SET temp_directory = '" + spill.toString().replace("'", "''") + "'");
                s.execute("SET file_search_path = '" + projectDir.toAbsolutePath().toString().replace("'", "''") + "'");
                // DuckDB keeps count of the rows a query has processed only with its progress bar on; it prints none
                s.execute("SET enable_progress_bar = true");
                s.execute("SET enable_progress_bar_print = false");
            }
            connection = c;
        }
        return connection;
    }

    /**
     * Watches the running statement: cancels it when the user interrupts the cell, and once it has run
     * {@link #QUIET_FOR} shows a bar of the rows DuckDB has processed, closed when the query ends.
     */
    private static final class QueryWatch implements AutoCloseable {
        private final Thread watcher;
        private Progress.Bar bar;

        QueryWatch(Statement s, BooleanSupplier interrupted, Progress progress) {
            long start = System.nanoTime();
            watcher = new Thread(() -> {
                long shown = 0;
                try {
                    while (!Thread.currentThread().isInterrupted()) {
                        if (interrupted.getAsBoolean()) {
                            s.cancel();
                            return;
                        }
                        long ran = System.nanoTime() - start;
                        if (ran >= QUIET_FOR.toNanos() && s.isWrapperFor(DuckDBPreparedStatement.class)) {
                            QueryProgress p = s.unwrap(DuckDBPreparedStatement.class).getQueryProgress();
                            // DuckDB estimates scans of files; a plan it cannot estimate (range(), say) gets a bar of no total
                            boolean estimated = p.getPercentage() >= 0 && p.getTotalRowsToProcess() > 0;
                            synchronized (this) {
                                if (bar == null && (estimated || ran >= 4 * QUIET_FOR.toNanos())) {
                                    bar = progress.start("query", estimated ? p.getTotalRowsToProcess() : 0, Progress.Unit.ROWS);
                                }
                                if (bar != null) {
                                    bar.advance(Math.max(0, p.getRowsProcessed() - shown));
                                    shown = Math.max(shown, p.getRowsProcessed());
                                }
                            }
                        }
                        Thread.sleep(50);
                    }
                } catch (UserError e) {
                    cancel(s); // the bar saw the user's interrupt
                } catch (InterruptedException | SQLException e) {
                    // the query ended, or cannot be watched: it ends by itself
                }
            }, "kiln-sql-watch");
            watcher.setDaemon(true);
            watcher.start();
        }

        private static void cancel(Statement s) {
            try {
                s.cancel();
            } catch (SQLException e) {
                // it ends by itself
            }
        }

        @Override
        public void close() {
            watcher.interrupt();
            try {
                watcher.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            synchronized (this) {
                if (bar != null) {
                    bar.close();
                }
            }
        }
    }

    @Override
    public void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                // closing an in-memory database loses nothing
            }
            connection = null;
        }
    }
}
