package dev.kiln.magics.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs one task per item on {@code jobs} threads; the first failure stops the rest and is rethrown
 * once the tasks already running have ended (so that whoever cleans up after it sees all they did).
 * An {@link IOException} comes back as an {@link UncheckedIOException}.
 */
final class Parallel {

    interface Task<T> {
        void run(T item) throws Exception;
    }

    static <T> void forEach(Collection<T> items, int jobs, Task<T> task) {
        if (items.isEmpty()) {
            return;
        }
        if (jobs <= 1 || items.size() == 1) {
            for (T item : items) {
                try {
                    task.run(item);
                } catch (RuntimeException e) {
                    throw e;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
            return;
        }
        AtomicInteger n = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(jobs, items.size()), r -> {
            Thread t = new Thread(r, "kiln-transfer-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> futures = new ArrayList<>(items.size());
            for (T item : items) {
                futures.add(pool.submit(() -> {
                    task.run(item);
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    pool.shutdownNow();
                    pool.awaitTermination(1, TimeUnit.MINUTES);
                    Throwable c = e.getCause();
                    if (c instanceof RuntimeException re) {
                        throw re;
                    }
                    if (c instanceof Error err) {
                        throw err;
                    }
                    if (c instanceof IOException io) {
                        throw new UncheckedIOException(io);
                    }
                    throw new IllegalStateException(c);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } finally {
            pool.shutdownNow();
        }
    }

    private Parallel() {
    }
}
