package dev.kiln.magics.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.magics.core.Progress;
import dev.kiln.magics.core.UserError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code %%sql} over more than DuckDB's memory: the query spills under the cache and answers. */
@Timeout(300)
class SqlSpillTest {

    /** Six million 32-character texts sorted: some 400 MB for DuckDB's sort, far more than its 128 MB. */
    private static final String GROUPS = "SELECT count(*) AS sorted, max(rn) AS last FROM (SELECT row_number() OVER (ORDER BY h) AS rn "
            + "FROM (SELECT md5(CAST(i AS VARCHAR)) AS h FROM range(6000000) t(i)))";
    private static final String LIMITS = "SET threads = 1; SET memory_limit = '128MB'; SET preserve_insertion_order = false; ";

    @TempDir
    Path project;

    private SqlResult run(String sql) {
        try (SqlSession session = new SqlSession(project, Map.of("KILN_CACHE_DIR", project.resolve("cache").toString()), Progress.NONE)) {
            return session.run(sql, new SqlSession.Options(20, "top", null), () -> false);
        }
    }

    @Test
    void aQueryLargerThanItsMemorySpillsUnderTheCacheAndAnswers() throws Exception {
        Path spill = project.resolve("cache/sql/spill");
        AtomicBoolean spilled = new AtomicBoolean();
        AtomicBoolean done = new AtomicBoolean();
        Thread watch = new Thread(() -> { // DuckDB removes its spill files when the query ends: look while it runs
            while (!done.get() && !spilled.get()) {
                try (Stream<Path> files = Files.list(spill)) {
                    spilled.set(files.findAny().isPresent());
                } catch (IOException e) {
                    // not made yet
                }
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        watch.start();
        SqlResult r;
        try {
            r = run(LIMITS + GROUPS);
        } finally {
            done.set(true);
            watch.join();
        }
        assertEquals(List.of(List.of("6000000", "6000000")), r.firstRows());
        assertTrue(spilled.get(), "DuckDB spilled into the cache's sql/spill");
        // the same query where DuckDB may not spill: out of memory, so the answer above came from spilling
        UserError e = assertThrows(UserError.class, () -> run(LIMITS + "SET temp_directory = ''; " + GROUPS));
        assertTrue(e.getMessage().contains("Out of Memory"), e.getMessage());
    }
}
