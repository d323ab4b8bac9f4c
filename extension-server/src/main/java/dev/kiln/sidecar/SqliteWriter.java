package dev.kiln.sidecar;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * SQLite's one writer, with group commit: writes that arrive together share one transaction, each
 * in its own savepoint so one failing write does not undo the others. A caller returns only after
 * the commit that holds its write, so an acknowledged record is on disk (in the WAL) even if the
 * process is killed the next instant.
 */
final class SqliteWriter implements AutoCloseable {

    private static final int MAX_BATCH = 256;

    private record Task<T>(Database.Work<T> work, CompletableFuture<T> done) {
    }

    private final Connection connection;
    private final BlockingQueue<Task<?>> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean closed;

    SqliteWriter(Connection connection) throws SQLException {
        this.connection = connection;
        connection.setAutoCommit(false);
        this.thread = new Thread(this::loop, "kiln-sqlite-writer");
        thread.setDaemon(true);
        thread.start();
    }

    <T> T write(Database.Work<T> work) throws SQLException {
        if (closed) {
            throw new SQLException("the database is closed");
        }
        CompletableFuture<T> done = new CompletableFuture<>();
        queue.add(new Task<>(work, done));
        try {
            return done.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while waiting for a write", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof SQLException s) {
                throw s;
            }
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            throw new SQLException(cause);
        }
    }

    private void loop() {
        List<Task<?>> batch = new ArrayList<>(MAX_BATCH);
        while (!closed || !queue.isEmpty()) {
            try {
                Task<?> first = queue.poll(200, java.util.concurrent.TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                run(batch);
            } catch (InterruptedException e) {
                closed = true;
            } finally {
                batch.clear();
            }
        }
    }

    private void run(List<Task<?>> batch) {
        if (batch.size() == 1) {
            runAlone(batch.get(0));
            return;
        }
        List<Object> results = new ArrayList<>(batch.size());
        List<Throwable> failures = new ArrayList<>(batch.size());
        for (Task<?> t : batch) {
            Savepoint sp = null;
            try {
                sp = connection.setSavepoint();
                results.add(t.work().apply(connection));
                failures.add(null);
                connection.releaseSavepoint(sp);
            } catch (SQLException | RuntimeException e) {
                results.add(null);
                failures.add(e);
                try {
                    if (sp != null) {
                        connection.rollback(sp);
                        connection.releaseSavepoint(sp);
                    }
                } catch (SQLException rollback) {
                    e.addSuppressed(rollback);
                }
            }
        }
        try {
            connection.commit();
        } catch (SQLException e) {
            try {
                connection.rollback();
            } catch (SQLException rollback) {
                e.addSuppressed(rollback);
            }
            for (Task<?> t : batch) {
                t.done().completeExceptionally(e);
            }
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            complete(batch.get(i), results.get(i), failures.get(i));
        }
    }

    /** One write on its own needs no savepoint: its transaction is all of it. */
    private <T> void runAlone(Task<T> t) {
        try {
            T result = t.work().apply(connection);
            connection.commit();
            t.done().complete(result);
        } catch (SQLException | RuntimeException e) {
            try {
                connection.rollback();
            } catch (SQLException rollback) {
                e.addSuppressed(rollback);
            }
            t.done().completeExceptionally(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> void complete(Task<T> t, Object result, Throwable failure) {
        if (failure != null) {
            t.done().completeExceptionally(failure);
        } else {
            t.done().complete((T) result);
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            connection.close();
        } catch (SQLException ignored) {
            // closing anyway
        }
    }
}
