package dev.kiln.sidecar;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Brings a database's schema up to date: plain SQL files under {@code migrations/} (listed in
 * {@code index.txt}, applied in order), each in its own transaction, recorded in
 * {@code schema_migrations}. The SQL is written once for both SQLite and PostgreSQL.
 */
final class Migrations {

    private static final String DIR = "/dev/kiln/sidecar/migrations/";
    private static final long LOCK = 7305861;

    static void apply(Connection c, boolean sqlite) throws SQLException {
        apply(c, sqlite, Integer.MAX_VALUE);
    }

    /** Applies the migrations up to version {@code upTo}: a test builds the database an older sidecar left. */
    static void apply(Connection c, boolean sqlite, int upTo) throws SQLException {
        if (!sqlite) {
            // two sidecars starting against one team database migrate one after the other
            try (Statement s = c.createStatement()) {
                s.execute("SELECT pg_advisory_lock(" + LOCK + ")");
            }
        }
        try {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS schema_migrations ("
                        + "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_ms BIGINT NOT NULL)");
            }
            for (String name : resource("index.txt").lines().map(String::strip).filter(l -> !l.isEmpty()).toList()) {
                int version = Integer.parseInt(name.substring(0, name.indexOf('_')));
                if (version <= upTo && !isApplied(c, version)) {
                    applyOne(c, version, name);
                }
            }
        } finally {
            if (!sqlite) {
                try (Statement s = c.createStatement()) {
                    s.execute("SELECT pg_advisory_unlock(" + LOCK + ")");
                }
            }
        }
    }

    /** One migration file and its row in schema_migrations, in one transaction. */
    private static void applyOne(Connection c, int version, String name) throws SQLException {
        c.setAutoCommit(false); // on SQLite a BEGIN IMMEDIATE: the write lock, so check again under it
        try {
            if (isApplied(c, version)) {
                c.commit();
                return;
            }
            try (Statement s = c.createStatement()) {
                for (String sql : statements(resource(name))) {
                    s.execute(sql);
                }
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO schema_migrations (version, name, applied_ms) VALUES (?, ?, ?)")) {
                ps.setInt(1, version);
                ps.setString(2, name);
                ps.setLong(3, System.currentTimeMillis());
                ps.executeUpdate();
            }
            c.commit();
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    private static boolean isApplied(Connection c, int version) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM schema_migrations WHERE version = ?")) {
            ps.setInt(1, version);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Statements of a file: split at semicolons ending a line; comment lines dropped. */
    static List<String> statements(String sql) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (String line : sql.lines().toList()) {
            if (line.strip().startsWith("--")) {
                continue;
            }
            cur.append(line).append('\n');
            if (line.strip().endsWith(";")) {
                String stmt = cur.toString().strip();
                out.add(stmt.substring(0, stmt.length() - 1));
                cur.setLength(0);
            }
        }
        if (!cur.toString().isBlank()) {
            out.add(cur.toString().strip());
        }
        return out;
    }

    private static String resource(String name) {
        try (InputStream in = Migrations.class.getResourceAsStream(DIR + name)) {
            if (in == null) {
                throw new IllegalStateException("migration " + name + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Migrations() {
    }
}
