package dev.kiln.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.kernel.eval.JavaEvaluator;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** When the kernel builds JShell: when asked, or once it idles; never beside a first cell that does not need it. */
@Timeout(30)
class JShellStartTest {

    private final JShellStart start = new JShellStart();
    private final AtomicLong builtAt = new AtomicLong();
    private final CountDownLatch built = new CountDownLatch(1);

    /** A build that notes when it ran; the evaluator itself does not matter here. */
    private final Callable<JavaEvaluator> build = () -> {
        builtAt.set(System.nanoTime());
        built.countDown();
        return null;
    };

    private void buildInTheBackground(AtomicBoolean busy) {
        Thread t = new Thread(() -> start.buildInTurn(busy::get, build));
        t.setDaemon(true);
        t.start();
    }

    @Test
    void aFirstCellThatNeedsNoJavaRunsAloneAndTheBuildFollowsOnceTheKernelIdles() throws Exception {
        AtomicBoolean busy = new AtomicBoolean(true);
        buildInTheBackground(busy);
        assertEquals(false, built.await(1500, TimeUnit.MILLISECONDS), "not built while the cell runs");
        long ended = System.nanoTime();
        busy.set(false);
        assertTrue(built.await(5, TimeUnit.SECONDS), "built once the kernel idled");
        long after = TimeUnit.NANOSECONDS.toMillis(builtAt.get() - ended);
        assertTrue(after >= JShellStart.IDLE_MS - 50, "built " + after + " ms after the cell ended");
    }

    @Test
    void aCellThatNeedsJavaHasItBuiltAtOnce() throws Exception {
        AtomicBoolean busy = new AtomicBoolean(true);
        buildInTheBackground(busy);
        Thread.sleep(200);
        long asked = System.nanoTime();
        start.get();
        long waited = TimeUnit.NANOSECONDS.toMillis(builtAt.get() - asked);
        assertTrue(waited < JShellStart.IDLE_MS, "built " + waited + " ms after it was asked for, though a cell still ran");
    }

    @Test
    void anIdleKernelBuildsItUnasked() throws Exception {
        long from = System.nanoTime();
        buildInTheBackground(new AtomicBoolean(false));
        assertTrue(built.await(5, TimeUnit.SECONDS));
        long after = TimeUnit.NANOSECONDS.toMillis(builtAt.get() - from);
        assertTrue(after >= JShellStart.IDLE_MS - 50 && after < JShellStart.IDLE_MS + 1000, "built after " + after + " ms");
    }

    @Test
    void aBuildThatFailsSaysSoToWhatAsks() {
        Thread t = new Thread(() -> start.buildInTurn(() -> false, () -> {
            throw new IllegalStateException("no compiler");
        }));
        t.start();
        IllegalStateException e = assertThrows(IllegalStateException.class, start::get);
        assertTrue(e.getMessage().startsWith("JShell failed to start: java.lang.IllegalStateException: no compiler"), e.getMessage());
        assertTrue(start.ifBuilt().isEmpty(), "nothing to stop or close");
    }
}
