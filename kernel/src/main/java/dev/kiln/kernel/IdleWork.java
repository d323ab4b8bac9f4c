package dev.kiln.kernel;

import java.time.Duration;

/**
 * Work a kernel does only while it is idle, in short steps on a daemon thread of its own: a step
 * starts once no cell has run for {@link #idle}, never while one runs. A step under way when a
 * cell starts finishes (steps are short); the next waits for idleness again. An interrupt or the
 * kernel's shutdown drops what is left, and so does a step that fails. Nothing here prints.
 */
final class IdleWork {

    /** How long a kernel stays idle before work starts: a user between two cells, not a client's burst of them. */
    static final Duration IDLE = Duration.ofSeconds(1);

    private final Runnable step;
    private final int steps;
    private final long idleNanos;
    private final Object lock = new Object();
    private boolean cellRunning;
    private long idleSince = System.nanoTime();
    private boolean dropped;
    private int done;

    /** {@code steps} runs of {@code step}, each after {@code idle} without a cell. */
    IdleWork(Runnable step, int steps, Duration idle) {
        this.step = step;
        this.steps = steps;
        this.idleNanos = idle.toNanos();
    }

    /** Starts the thread that runs the steps; returns at once. */
    void start() {
        Thread t = new Thread(this::runSteps, "kiln-idle-work");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.setUncaughtExceptionHandler((thread, e) -> { }); // never a stack trace in the kernel's log or a cell
        t.start();
    }

    void cellStarted() {
        synchronized (lock) {
            cellRunning = true;
        }
    }

    void cellEnded() {
        synchronized (lock) {
            cellRunning = false;
            idleSince = System.nanoTime();
            lock.notifyAll();
        }
    }

    /** No step starts after this (an interrupt, the kernel's shutdown). */
    void drop() {
        synchronized (lock) {
            dropped = true;
            lock.notifyAll();
        }
    }

    /** Steps run to their end so far. */
    int done() {
        synchronized (lock) {
            return done;
        }
    }

    private void runSteps() {
        try {
            while (awaitIdle()) {
                step.run();
                synchronized (lock) {
                    done++;
                }
            }
        } catch (InterruptedException | RuntimeException | Error e) {
            drop(); // a failed step would fail again: the kernel does without
        }
    }

    /** Waits until a step may start; false when none is left to run. */
    private boolean awaitIdle() throws InterruptedException {
        synchronized (lock) {
            while (true) {
                if (dropped || done >= steps) {
                    return false;
                }
                long wait = idleSince + idleNanos - System.nanoTime();
                if (!cellRunning && wait <= 0) {
                    return true;
                }
                if (cellRunning) {
                    lock.wait();
                } else {
                    lock.wait(Math.max(1, wait / 1_000_000));
                }
            }
        }
    }
}
