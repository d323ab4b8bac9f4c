package dev.kiln.kernel.display;

import dev.kiln.magics.core.Html;
import dev.kiln.magics.core.MimeBundle;
import dev.kiln.magics.core.Provenance;
import dev.kiln.magics.core.Progress;
import dev.kiln.magics.core.ProgressText;
import dev.kiln.magics.core.UserError;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;

/**
 * Progress drawn in the cell: a display with an id, updated in place
 * ({@code update_display_data}) at most five times a second.
 */
public final class CellProgress implements Progress {

    /** Shows a bundle under a display id: {@code (id, bundle, isUpdate)}. */
    public interface Display {
        void show(String displayId, MimeBundle bundle, boolean update);
    }

    private final Display display;
    private final BooleanSupplier cancelled;

    /** @param cancelled true once the user interrupted the cell: the next progress report then stops the work */
    public CellProgress(Display display, BooleanSupplier cancelled) {
        this.display = display;
        this.cancelled = cancelled;
    }

    @Override
    public Bar start(String label, long total, Unit unit) {
        String id = "kiln-progress-" + UUID.randomUUID();
        CellBar bar = new CellBar(id, label, total, unit);
        display.show(id, bar.bundle(), false);
        return bar;
    }

    private final class CellBar implements Bar {
        private final String id;
        private final String label;
        private final long total;
        private final Unit unit;
        private final long start = System.nanoTime();
        private long done;
        private long lastShown = System.nanoTime();
        private String note = "";
        private boolean closed;
        private long closedAt;

        CellBar(String id, String label, long total, Unit unit) {
            this.id = id;
            this.label = label;
            this.total = total;
            this.unit = unit;
        }

        @Override
        public synchronized void advance(long units) {
            if (cancelled.getAsBoolean()) {
                throw new UserError("Interrupted: " + label + " stopped at " + ProgressText.amount(unit, done)
                        + (total > 0 ? " of " + ProgressText.amount(unit, total) : "") + ".");
            }
            done += units;
            long now = System.nanoTime();
            if (now - lastShown > 200_000_000L) {
                lastShown = now;
                display.show(id, bundle(), true);
            }
        }

        @Override
        public synchronized void note(String note) {
            this.note = note == null ? "" : note;
        }

        @Override
        public synchronized long elapsedNanos() {
            return (closed ? closedAt : System.nanoTime()) - start;
        }

        @Override
        public synchronized void close() {
            if (!closed) {
                closed = true;
                closedAt = System.nanoTime();
                note = "done";
                display.show(id, bundle(), true);
            }
        }

        MimeBundle bundle() {
            String rate = ProgressText.rate(unit, done, elapsedNanos());
            String amount = total > 0
                    ? ProgressText.amount(unit, done) + " / " + ProgressText.amount(unit, total)
                    : ProgressText.amount(unit, done);
            int pct = total > 0 ? (int) Math.min(100, 100 * done / total) : (closed ? 100 : 0);
            String text = String.format(Locale.ROOT, "%s %3d%% %s %s %s", label, pct, amount, rate, note).stripTrailing();
            String html = "<div class=\"kiln-progress\"><span>" + Html.escape(label) + "</span> "
                    + "<progress max=\"100\" value=\"" + pct + "\"></progress> "
                    + "<span>" + pct + "% " + Html.escape(amount) + " " + Html.escape(rate) + " " + Html.escape(note) + "</span></div>";
            // volatile: a progress bar's figures differ on every run (reproduce ignores them)
            return MimeBundle.of(Map.of("text/plain", text, "text/html", html), Provenance.VOLATILE);
        }
    }
}
