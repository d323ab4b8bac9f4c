package dev.kiln.magics.core;

/**
 * Reports progress of long work. The CLI draws a bar on the terminal; the kernel updates a display
 * in the cell ({@code update_display_data}). Implementations must be thread-safe: parallel
 * transfers advance the same bar.
 */
public interface Progress {

    /** Starts a bar for {@code total} units ({@code total <= 0}: unknown). */
    Bar start(String label, long total, Unit unit);

    /** One bar; closing it marks the work done. */
    interface Bar extends AutoCloseable {
        /**
         * Reports {@code units} more done. Throws {@link UserError} when the user interrupted the
         * work (the kernel's interrupt button): callers must leave no partial state behind then,
         * as for any failure.
         */
        void advance(long units);

        /**
         * Wall time from the bar's start to its close (to now while it runs): what the speed it shows
         * is measured over, so a summary can give the same figure. -1 for a bar that keeps no time.
         */
        default long elapsedNanos() {
            return -1;
        }

        /** A short note shown beside the bar (e.g. the file in flight). */
        default void note(String note) {
        }

        @Override
        void close();
    }

    enum Unit { BYTES, FILES, ROWS, ITEMS }

    /** Progress that shows nothing, for tests and quiet runs. */
    Progress NONE = (label, total, unit) -> new Bar() {
        @Override
        public void advance(long units) {
        }

        @Override
        public void close() {
        }
    };
}
