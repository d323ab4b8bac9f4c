package dev.kiln.kernel;

import dev.kiln.kernel.eval.JavaEvaluator;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BooleanSupplier;

/**
 * When the kernel builds JShell (a second of CPU): as soon as something needs it (a cell's Java, a
 * completion, an inspection), or once the kernel has idled for {@link #IDLE_MS} after its first
 * reply. A notebook run from the top whose first cells are magics runs them first, on both cores:
 * the build beside a first {@code %parquet convert} slowed it by a second.
 */
final class JShellStart {

    /** How long the kernel idles before it builds JShell unasked: a user rarely runs a first cell sooner. */
    static final long IDLE_MS = 500;
    private static final long POLL_MS = 20;

    private final CompletableFuture<JavaEvaluator> evaluator = new CompletableFuture<>();
    private final Object turn = new Object();
    private boolean wanted;

    /**
     * On the calling thread: waits until JShell is needed or the kernel idled, then builds it.
     *
     * @param busy whether a cell runs now
     * @param build builds JShell; what it throws is what {@link #get} then throws
     */
    void buildInTurn(BooleanSupplier busy, Callable<JavaEvaluator> build) {
        long idleSince = System.nanoTime();
        synchronized (turn) {
            while (!wanted && (System.nanoTime() - idleSince) / 1_000_000 < IDLE_MS) {
                if (busy.getAsBoolean()) {
                    idleSince = System.nanoTime();
                }
                try {
                    turn.wait(POLL_MS);
                } catch (InterruptedException e) {
                    break; // nothing interrupts this thread; if something did, building now is as right as later
                }
            }
        }
        try {
            evaluator.complete(build.call());
        } catch (Throwable e) {
            evaluator.completeExceptionally(e);
        }
    }

    /** JShell, built now if it was not yet asked for; waits for its build. */
    JavaEvaluator get() {
        synchronized (turn) {
            wanted = true;
            turn.notifyAll();
        }
        try {
            return evaluator.join();
        } catch (CompletionException e) {
            throw new IllegalStateException("JShell failed to start: " + e.getCause(), e.getCause());
        }
    }

    /** JShell if it is built, without asking for it (to stop or close it). */
    Optional<JavaEvaluator> ifBuilt() {
        return evaluator.isDone() && !evaluator.isCompletedExceptionally() ? Optional.of(evaluator.join()) : Optional.empty();
    }
}
