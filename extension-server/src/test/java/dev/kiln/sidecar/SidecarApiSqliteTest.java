package dev.kiln.sidecar;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The REST API against the default store: a SQLite file. */
class SidecarApiSqliteTest extends SidecarApiContract {

    @TempDir
    static Path dir;

    @Override
    String database() {
        return dir.resolve("records.db").toString();
    }

    @Override
    String jdbcUrl() {
        return "jdbc:sqlite:" + dir.resolve("records.db");
    }
}
