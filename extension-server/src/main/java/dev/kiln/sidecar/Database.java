package dev.kiln.sidecar;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The sidecar's database: SQLite in a file (the default; WAL, so a killed sidecar loses nothing it
 * acknowledged) or PostgreSQL by JDBC URL for a team sharing one registry. SQLite takes one writer
 * at a time, so writes go through {@link SqliteWriter} there and reads through a few connections;
 * PostgreSQL shares one small pool for both.
 */
final class Database implements AutoCloseable {

    /** Work done with a connection. */
    interface Work<T> {
        T apply(Connection c) throws SQLException;
    }

    private final String url;
    private final boolean sqlite;
    private final Pool writers;
    private final Pool readers;
    private SqliteWriter sqliteWriter;

    private Database(String url, boolean sqlite) {
        this.url = url;
        this.sqlite = sqlite;
        this.writers = new Pool(8);
        this.readers = sqlite ? new Pool(4) : writers;
    }

    /**
     * Opens {@code target}: a {@code jdbc:postgresql:} or {@code jdbc:sqlite:} URL, or a file path
     * for SQLite. Brings the schema up to date.
     */
    static Database open(String target) throws SQLException {
        Database db;
        if (target.startsWith("jdbc:postgresql:")) {
            db = new Database(target, false);
        } else if (target.startsWith("jdbc:sqlite:")) {
            db = new Database(target, true);
        } else if (target.startsWith("jdbc:")) {
            throw new IllegalArgumentException("--db " + target.replaceAll("password=[^&]*", "password=…")
                    + ": only jdbc:sqlite: and jdbc:postgresql: URLs (or a file path) are supported");
        } else {
            Path file = Path.of(target).toAbsolutePath();
            try {
                if (!Files.isDirectory(file.getParent())) {
                    Files.createDirectories(file.getParent(), java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                            java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
                }
                if (!Files.exists(file)) {
                    // records name files, people and notebooks: only their owner reads them
                    try {
                        Files.createFile(file, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                                java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
                    } catch (java.nio.file.FileAlreadyExistsException startedTogether) {
                        // another sidecar created it a moment ago: use it
                    }
                }
            } catch (java.io.IOException e) {
                throw new SQLException("Could not create the folder of " + file + ": " + e.getMessage(), e);
            }
            db = new Database("jdbc:sqlite:" + file, true);
        }
        try {
            try (Connection c = db.connect(true)) {
                Migrations.apply(c, db.sqlite);
            }
            if (db.sqlite) {
                db.sqliteWriter = new SqliteWriter(db.connect());
            }
        } catch (SQLException | RuntimeException e) {
            db.close();
            throw e;
        }
        return db;
    }

    boolean isSqlite() {
        return sqlite;
    }

    /** A description without credentials. */
    String describe() {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1…");
    }

    /** Runs {@code work} and commits it; on SQLite alone or grouped with other writes. */
    <T> T write(Work<T> work) throws SQLException {
        if (sqliteWriter != null) {
            return sqliteWriter.write(work);
        }
        return writers.with(work);
    }

    <T> T read(Work<T> work) throws SQLException {
        return readers.with(work);
    }

    /** Runs {@code work} in one transaction: all of it or none. */
    <T> T transaction(Work<T> work) throws SQLException {
        if (sqliteWriter != null) {
            return sqliteWriter.write(work); // each write is its own savepoint there
        }
        return writers.with(c -> {
            c.setAutoCommit(false);
            try {
                T result = work.apply(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        });
    }

    private Connection connect() throws SQLException {
        return connect(false);
    }

    /** A connection; {@code immediate}: on SQLite its transactions take the write lock when they begin. */
    private Connection connect(boolean immediate) throws SQLException {
        Properties props = new Properties();
        if (sqlite && immediate) {
            props.setProperty("transaction_mode", "IMMEDIATE");
        }
        Connection c = DriverManager.getConnection(url, props);
        if (sqlite) {
            try (Statement s = c.createStatement()) {
                // first: switching to WAL takes a lock, and two sidecars may start on one new file at once
                s.execute("PRAGMA busy_timeout=10000");
                s.execute("PRAGMA journal_mode=WAL");
                // NORMAL in WAL mode: a killed process loses nothing committed; only a power cut could
                s.execute("PRAGMA synchronous=NORMAL");
            }
        }
        return c;
    }

    @Override
    public void close() {
        if (sqliteWriter != null) {
            sqliteWriter.close();
        }
        writers.close();
        if (readers != writers) {
            readers.close();
        }
    }

    /** A handful of connections, made when first needed and replaced when broken. */
    private final class Pool {
        private final BlockingQueue<Connection> idle;
        private final AtomicInteger open = new AtomicInteger();
        private final int max;

        Pool(int max) {
            this.max = max;
            this.idle = new ArrayBlockingQueue<>(max);
        }

        <T> T with(Work<T> work) throws SQLException {
            Connection c = borrow();
            boolean healthy = true;
            try {
                return work.apply(c);
            } catch (SQLException e) {
                healthy = c.isValid(1);
                throw e;
            } finally {
                if (healthy) {
                    idle.offer(c);
                } else {
                    open.decrementAndGet();
                    c.close();
                }
            }
        }

        private Connection borrow() throws SQLException {
            Connection c = idle.poll();
            if (c != null) {
                return c;
            }
            if (open.incrementAndGet() <= max) {
                try {
                    return connect();
                } catch (SQLException e) {
                    open.decrementAndGet();
                    throw e;
                }
            }
            open.decrementAndGet();
            try {
                c = idle.poll(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SQLException("interrupted while waiting for a database connection");
            }
            if (c == null) {
                throw new SQLException("no database connection free after 30 s");
            }
            return c;
        }

        void close() {
            Connection c;
            while ((c = idle.poll()) != null) {
                try {
                    c.close();
                } catch (SQLException ignored) {
                    // closing anyway
                }
            }
        }
    }
}
