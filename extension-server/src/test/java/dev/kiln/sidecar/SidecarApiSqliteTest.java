package dev.kiln.sidecar;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The REST API against the default store: a SQLite file. */
@Timeout(120) // each test; it waits on a process or a socket
class SidecarApiSqliteTest extends SidecarApiContract {

    @TempDir
    static Path dir;

    @Test
    void twoSidecarsStartingTogetherOnANewFileMigrateItOnce() throws Exception {
        String file = dir.resolve("race.db").toString();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<SidecarServer>> started = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                started.add(pool.submit(() -> SidecarServer.start(new SidecarServer.Options("127.0.0.1", 0, file, TOKEN, 1 << 20))));
            }
            for (Future<SidecarServer> f : started) {
                f.get(60, TimeUnit.SECONDS).close();
            }
        } finally {
            pool.shutdownNow();
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM schema_migrations")) {
            rs.next();
            assertEquals(4, rs.getInt(1));
        }
    }

    @Override
    String database() {
        return dir.resolve("records.db").toString();
    }

    @Override
    String freshDatabase(String name) {
        return dir.resolve(name + "-" + java.util.UUID.randomUUID() + ".db").toString();
    }

    @Override
    String jdbcUrlOf(String database) {
        return "jdbc:sqlite:" + database;
    }

    @Override
    String jdbcUrl() {
        return "jdbc:sqlite:" + dir.resolve("records.db");
    }
}
