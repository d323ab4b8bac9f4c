package dev.kiln.sidecar;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/** The REST API against a real PostgreSQL 15 cluster this test starts and stops itself. */
@Timeout(180) // each test; it waits on a process or a socket
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SidecarApiPostgresTest extends SidecarApiContract {

    PostgresCluster pg;

    @BeforeAll
    @Override
    void startSidecar() throws Exception {
        pg = PostgresCluster.start();
        super.startSidecar();
    }

    @AfterAll
    @Override
    void stopSidecar() {
        super.stopSidecar();
        try {
            if (pg != null) {
                pg.close();
            }
        } catch (Exception e) {
            throw new AssertionError("could not stop PostgreSQL", e);
        }
    }

    @Test
    void twoSidecarsStartingTogetherOnAnEmptyTeamDatabaseMigrateItOnce() throws Exception {
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl()); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE race");
        }
        String url = pg.jdbcUrl().replace("/postgres?", "/race?");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<SidecarServer>> started = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                started.add(pool.submit(() -> SidecarServer.start(new SidecarServer.Options("127.0.0.1", 0, url, TOKEN, 1 << 20))));
            }
            for (Future<SidecarServer> f : started) {
                f.get(60, TimeUnit.SECONDS).close();
            }
        } finally {
            pool.shutdownNow();
        }
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM schema_migrations")) {
            rs.next();
            assertEquals(4, rs.getInt(1));
        }
    }

    @Override
    String database() {
        return pg.jdbcUrl();
    }

    @Override
    String freshDatabase(String name) throws Exception {
        String db = name + "_" + java.util.UUID.randomUUID().toString().substring(0, 8);
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl()); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + db);
        }
        return pg.jdbcUrl().replace("/postgres?", "/" + db + "?");
    }

    @Override
    String jdbcUrlOf(String database) {
        return database;
    }

    @Override
    String jdbcUrl() {
        return pg.jdbcUrl();
    }
}
