package dev.kiln.magics.data;

import dev.kiln.magics.core.UserError;
import dev.kiln.magics.data.remote.Remote;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.UUID;

/**
 * Keeps {@code gc} and pushes apart on a shared remote. A push may rely on an object it finds there
 * (and so does not send) that no version uses yet, which a gc would remove before the push's manifest
 * names it. Each side writes its lock first and then looks for the other's: with read-after-write
 * consistency (S3, a file system) at least one of two that start together sees the other, and backs off.
 * A lock names when and by whom it was taken; one left by a killed process stops counting after a while.
 */
final class RemoteLocks {

    static final String GC = "locks/gc";
    static final String PUSHES = "locks/push/";
    /** A gc lock older than this is one a killed gc left; a running gc stops removing before it gets there. */
    static final Duration GC_LEASE = Duration.ofHours(1);
    /** A push lock older than this is one a killed push left (a day: longer than any push should take). */
    static final Duration PUSH_LEASE = Duration.ofHours(24);

    /** A lock held: released by closing it. */
    static final class Lease implements AutoCloseable {
        private final Remote remote;
        private final String key;
        private final Instant taken;

        private Lease(Remote remote, String key, Instant taken) {
            this.remote = remote;
            this.key = key;
            this.taken = taken;
        }

        Instant taken() {
            return taken;
        }

        @Override
        public void close() {
            remote.delete(key);
        }
    }

    /** Who holds a lock and since when. */
    record Holder(String key, Instant since, String who) {
    }

    private RemoteLocks() {
    }

    /** Taken by a push before it looks at what the remote has; refused while a gc runs. */
    static Lease push(Remote r, String who) {
        Instant now = Instant.now();
        String key = PUSHES + UUID.randomUUID();
        r.putBytesIfAbsent(key, content(now, who));
        Lease lease = new Lease(r, key, now);
        Optional<Holder> gc = read(r, GC);
        if (gc.isPresent() && gc.get().since().isAfter(now.minus(GC_LEASE))) {
            lease.close();
            throw new UserError("A gc of " + r.describe() + " is running (started " + gc.get().since() + " by "
                    + gc.get().who() + "); a push waits for it, so that gc removes nothing the push relies on. Nothing was "
                    + "uploaded: push again when it is done. (A gc that was killed leaves " + GC + " behind; it stops counting "
                    + GC_LEASE.toHours() + " h after it started.)");
        }
        return lease;
    }

    /** Taken by a gc before it decides what to remove; refused while another gc or a push holds its lock. */
    static Lease gc(Remote r, String who) {
        Instant now = Instant.now();
        byte[] mine = content(now, who);
        if (!r.putBytesIfAbsent(GC, mine)) {
            Optional<Holder> other = read(r, GC);
            if (other.isPresent() && other.get().since().isAfter(now.minus(GC_LEASE))) {
                throw new UserError("Another gc of " + r.describe() + " is running (started " + other.get().since() + " by "
                        + other.get().who() + "). Run gc again when it is done.");
            }
            r.delete(GC); // left by a gc that was killed
            if (!r.putBytesIfAbsent(GC, mine)) {
                throw new UserError("Another gc of " + r.describe() + " started just now. Run gc again when it is done.");
            }
        }
        Lease lease = new Lease(r, GC, now);
        for (String k : r.list(PUSHES)) {
            Optional<Holder> push = read(r, k);
            if (push.isPresent() && push.get().since().isAfter(now.minus(PUSH_LEASE))) {
                lease.close();
                throw new UserError("A push to " + r.describe() + " is in progress (started " + push.get().since() + " by "
                        + push.get().who() + "); gc removes nothing while one runs. Run gc again when it is done. (A push "
                        + "that was killed leaves " + k + " behind: delete it, or gc ignores it " + PUSH_LEASE.toHours()
                        + " h after it started.)");
            }
        }
        return lease;
    }

    private static byte[] content(Instant now, String who) {
        return (now + " " + who.replace('\n', ' ') + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /** The lock at {@code key}; one whose time cannot be read counts as just taken (it is never ignored by mistake). */
    private static Optional<Holder> read(Remote r, String key) {
        return r.getBytes(key).map(b -> {
            String text = new String(b, StandardCharsets.UTF_8).strip();
            int space = text.indexOf(' ');
            try {
                return new Holder(key, Instant.parse(space < 0 ? text : text.substring(0, space)),
                        space < 0 ? "unknown" : text.substring(space + 1));
            } catch (DateTimeParseException e) {
                return new Holder(key, Instant.now(), "unknown");
            }
        });
    }
}
