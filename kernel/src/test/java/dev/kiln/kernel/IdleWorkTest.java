package dev.kiln.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The kernel's idle work runs its steps only once no cell has run for a while, never while one
 * runs, and stops for good when dropped (an interrupt, a shutdown) or when a step fails.
 */
@Timeout(60)
class IdleWorkTest {

    private static final Duration IDLE = Duration.ofMillis(200);

    @Test
    void stepsWaitForIdlenessAndNeverRunDuringACell() throws Exception {
        AtomicInteger running = new AtomicInteger();
        AtomicInteger duringCell = new AtomicInteger();
        AtomicInteger cells = new AtomicInteger();
        IdleWork work = new IdleWork(() -> {
            running.incrementAndGet();
            if (cells.get() > 0) {
                duringCell.incrementAndGet();
            }
        }, 5, IDLE);
        work.cellStarted(); // a cell before the work starts: nothing runs until it ends and the kernel idles
        cells.incrementAndGet();
        work.start();
        Thread.sleep(3 * IDLE.toMillis());
        assertEquals(0, work.done(), "no step while a cell runs");
        long ended = System.nanoTime();
        cells.decrementAndGet();
        work.cellEnded();
        awaitDone(work, 5);
        assertTrue(System.nanoTime() - ended >= IDLE.toNanos(), "the first step waited for the kernel to idle");
        assertEquals(5, running.get(), "every step ran, once");
        assertEquals(0, duringCell.get(), "no step ran during the cell");
    }

    @Test
    void aCellStartingMidwayHoldsTheNextStepUntilTheKernelIdlesAgain() throws Exception {
        Semaphore inStep = new Semaphore(0);
        Semaphore finish = new Semaphore(0);
        IdleWork work = new IdleWork(() -> {
            inStep.release();
            finish.acquireUninterruptibly();
        }, 3, IDLE);
        work.start();
        assertTrue(inStep.tryAcquire(10, TimeUnit.SECONDS), "the first step started once idle");
        work.cellStarted();
        finish.release(); // the step under way ends; the cell still runs
        Thread.sleep(3 * IDLE.toMillis());
        assertEquals(1, work.done());
        assertEquals(0, inStep.availablePermits(), "no second step while the cell runs");
        work.cellEnded();
        finish.release(2);
        awaitDone(work, 3);
    }

    @Test
    void droppedWorkRunsNoFurtherStep() throws Exception {
        Semaphore inStep = new Semaphore(0);
        Semaphore finish = new Semaphore(0);
        IdleWork work = new IdleWork(() -> {
            inStep.release();
            finish.acquireUninterruptibly();
        }, 10, IDLE);
        work.start();
        assertTrue(inStep.tryAcquire(10, TimeUnit.SECONDS));
        work.drop();
        finish.release(10);
        Thread.sleep(3 * IDLE.toMillis());
        assertEquals(1, work.done(), "only the step under way when dropped");
        assertEquals(0, inStep.availablePermits());
    }

    @Test
    void aFailingStepEndsTheWorkWithoutPrinting() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        PrintStream err = System.err;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setErr(new PrintStream(printed, true));
        try {
            IdleWork work = new IdleWork(() -> {
                calls.incrementAndGet();
                throw new OutOfMemoryError("warm-up");
            }, 5, Duration.ofMillis(10));
            work.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (calls.get() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            Thread.sleep(500);
        } finally {
            System.setErr(err);
        }
        assertEquals(1, calls.get(), "no step after the failed one");
        assertEquals("", printed.toString(), "nothing printed");
    }

    private static void awaitDone(IdleWork work, int steps) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (work.done() < steps && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(steps, work.done());
    }
}
