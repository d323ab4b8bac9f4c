package dev.kiln.kernel;

import dev.kiln.magics.core.Result;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * This session's {@link RunLog}, opened once the kernel's start-up is done: magic cells can end
 * before that, and wait for it in the order they ended (a future's waiting dependents would run
 * last-in first-out, and the run listed them backwards).
 */
final class PendingRunLog {

    private final CompletableFuture<RunLog> opened = new CompletableFuture<>();
    /** The last cell's record: the next one is chained on it. */
    private CompletableFuture<RunLog> last = opened;

    void open(RunLog log) {
        opened.complete(log);
    }

    synchronized void cellFinished(int cell, boolean stored, List<Result> results) {
        last = last.thenApply(log -> log.cellFinished(cell, stored, results));
    }

    /** The log once it is open; null before. */
    RunLog now() {
        return opened.getNow(null);
    }
}
