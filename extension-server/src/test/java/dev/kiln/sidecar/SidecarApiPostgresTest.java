package dev.kiln.sidecar;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/** The REST API against a real PostgreSQL 15 cluster this test starts and stops itself. */
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

    @Override
    String database() {
        return pg.jdbcUrl();
    }

    @Override
    String jdbcUrl() {
        return pg.jdbcUrl();
    }
}
