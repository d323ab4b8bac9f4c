package dev.kiln.magics.cli;

import dev.kiln.magics.core.Progress;
import dev.kiln.magics.core.ProgressText;
import java.io.PrintStream;
import java.util.Locale;

/**
 * A progress bar on a terminal: redrawn in place at most ten times a second. When the stream is
 * not a terminal (a log, CI) it prints one line when a bar finishes, so logs stay readable.
 */
public final class TerminalProgress implements Progress {

    private final PrintStream stream;
    private final boolean interactive;

    public TerminalProgress(PrintStream stream, boolean interactive) {
        this.stream = stream;
        this.interactive = interactive;
    }

    /** Progress on standard error, drawn in place when a console is attached. */
    public static TerminalProgress onStderr() {
        return new TerminalProgress(System.err, System.console() != null);
    }

    @Override
    public Bar start(String label, long total, Unit unit) {
        return new TerminalBar(label, total, unit);
    }

    private final class TerminalBar implements Bar {
        private final String label;
        private final long total;
        private final Unit unit;
        private final long startNanos = System.nanoTime();
        private long closedNanos = -1;
        private long done;
        private long lastDraw;
        private String note = "";

        TerminalBar(String label, long total, Unit unit) {
            this.label = label;
            this.total = total;
            this.unit = unit;
        }

        @Override
        public synchronized void advance(long units) {
            done += units;
            long now = System.nanoTime();
            if (interactive && now - lastDraw > 100_000_000L) {
                lastDraw = now;
                stream.print("\r" + line() + "\u001b[K");
                stream.flush();
            }
        }

        @Override
        public synchronized void note(String note) {
            this.note = note;
        }

        @Override
        public synchronized long elapsedNanos() {
            return (closedNanos >= 0 ? closedNanos : System.nanoTime()) - startNanos;
        }

        @Override
        public synchronized void close() {
            if (closedNanos < 0) {
                closedNanos = System.nanoTime();
            }
            note = "";
            stream.print((interactive ? "\r" : "") + line() + (interactive ? "\u001b[K\n" : "\n"));
            stream.flush();
        }

        private String line() {
            String rate = ProgressText.rate(unit, done, elapsedNanos());
            if (total > 0) {
                int width = 30;
                int filled = (int) Math.min(width, width * done / total);
                return String.format(Locale.ROOT, "%s [%s%s] %3d%% %s/%s %s %s", label,
                        "#".repeat(filled), " ".repeat(width - filled), 100 * done / total,
                        ProgressText.amount(unit, done), ProgressText.amount(unit, total), rate, note).stripTrailing();
            }
            return String.format(Locale.ROOT, "%s %s %s %s", label, ProgressText.amount(unit, done), rate, note).stripTrailing();
        }
    }
}
