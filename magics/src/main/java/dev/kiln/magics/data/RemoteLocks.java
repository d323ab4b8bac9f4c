package dev.kiln.magics.data;

import dev.kiln.magics.core.UserError;
import dev.kiln.magics.data.remote.RefConflictException;
import dev.kiln.magics.data.remote.Remote;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Keeps {@code gc} and pushes apart on a shared remote. A push may rely on an object it finds there
 * (and so does not send) that no version uses yet, which a gc would remove before the push's manifest
 * names it. Each side writes its lock first and then looks for the other's: with read-after-write
 * consistency (S3, a file system) at least one of two that start together sees the other, and backs off.
 * A lock names who took it, where and when ({@link LockHolder}); a push renews its heartbeat every
 * {@link #HEARTBEAT}, so one left by a killed push stops counting once its process is seen gone or its
 * heartbeat is {@link #PUSH_SILENCE} old.
 */
final class RemoteLocks {

    static final String GC = "locks/gc";
    static final String PUSHES = "locks/push/";
    /** A gc lock older than this is one a killed gc left; a running gc stops removing before it gets there. */
    static final Duration GC_LEASE = Duration.ofHours(1);
    /** A lock of format 1 (no heartbeat) older than this is one a killed push left (a day: longer than any push should take). */
    static final Duration PUSH_LEASE = Duration.ofHours(24);
    /** How often a running push renews its lock. */
    static final Duration HEARTBEAT = Duration.ofMinutes(1);
    /** A push lock not renewed for this long was left by a push that is gone: ten heartbeats missed. */
    static final Duration PUSH_SILENCE = HEARTBEAT.multipliedBy(10);

    /** A lock held: released by closing it. */
    static final class Lease implements AutoCloseable {
        private final Remote remote;
        private final String key;
        private final Instant taken;
        private final List<GarbageCollector.StaleLock> removedStale;
        private ScheduledExecutorService heartbeat;

        private Lease(Remote remote, String key, Instant taken, List<GarbageCollector.StaleLock> removedStale) {
            this.remote = remote;
            this.key = key;
            this.taken = taken;
            this.removedStale = List.copyOf(removedStale);
        }

        Instant taken() {
            return taken;
        }

        /** The locks of killed pushes a gc removed before it took its own. */
        List<GarbageCollector.StaleLock> removedStale() {
            return removedStale;
        }

        /** Renews {@code holder}'s heartbeat every {@code every} until closed; a lock someone removed stays removed. */
        private void renew(LockHolder holder, Duration every) {
            heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "kiln-push-lock");
                t.setDaemon(true);
                return t;
            });
            heartbeat.scheduleWithFixedDelay(() -> beat(holder), every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
        }

        private void beat(LockHolder holder) {
            try {
                Optional<Remote.Ref> now = remote.readRef(key);
                if (now.isEmpty()) {
                    return;
                }
                try {
                    remote.writeRef(key, holder.beat(Instant.now()).bytes(), now.get().etag());
                } catch (RefConflictException e) {
                    if (remote.readRef(key).isEmpty()) {
                        remote.delete(key); // a gc removed it meanwhile: what the refused beat left beside it goes too
                    }
                }
            } catch (RuntimeException e) {
                // the remote did not answer: the next beat tries again
            }
        }

        @Override
        public void close() {
            if (heartbeat != null) {
                heartbeat.shutdownNow();
                try {
                    heartbeat.awaitTermination(30, TimeUnit.SECONDS); // no beat may write the lock after it is gone
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            remote.delete(key);
        }
    }

    /** A push's lock as gc finds it: stale, with why, or held by a push that may be running. */
    record PushLock(String key, LockHolder holder, Optional<String> gone) {
    }

    private RemoteLocks() {
    }

    /** Taken by a push before it looks at what the remote has; refused while a gc runs. */
    static Lease push(Remote r, String who) {
        return push(r, who, HEARTBEAT);
    }

    /** As {@link #push(Remote, String)}, renewing the lock every {@code heartbeat}. */
    static Lease push(Remote r, String who, Duration heartbeat) {
        Instant now = Instant.now();
        String key = PUSHES + UUID.randomUUID();
        LockHolder mine = LockHolder.ofThisProcess(who, now);
        r.putBytesIfAbsent(key, mine.bytes());
        Lease lease = new Lease(r, key, now, List.of());
        Optional<LockHolder> gc = r.getBytes(GC).map(b -> LockHolder.parse(b, now));
        if (gc.isPresent() && gc.get().gone(now, GC_LEASE).isEmpty()) {
            lease.close();
            throw new UserError("A gc of " + r.describe() + " is running (started " + gc.get().taken() + " by "
                    + gc.get().who() + ", " + gc.get().where() + "); a push waits for it, so that gc removes nothing the push "
                    + "relies on. Nothing was uploaded: push again when it is done. (A gc that was killed leaves " + GC
                    + " behind; it stops counting " + GC_LEASE.toHours() + " h after it started, or at once when its process is "
                    + "seen gone from its machine.)");
        }
        lease.renew(mine, heartbeat);
        return lease;
    }

    /**
     * Taken by a gc before it decides what to remove; refused while another gc or a push holds its
     * lock. Locks left by killed pushes ({@link #pushLocks}) are removed, and named in the lease.
     */
    static Lease gc(Remote r, String who) {
        Instant now = Instant.now();
        byte[] mine = LockHolder.ofThisProcess(who, now).bytes();
        if (!r.putBytesIfAbsent(GC, mine)) {
            Optional<LockHolder> other = r.getBytes(GC).map(b -> LockHolder.parse(b, now));
            if (other.isPresent() && other.get().gone(now, GC_LEASE).isEmpty()) {
                throw new UserError("Another gc of " + r.describe() + " is running (started " + other.get().taken() + " by "
                        + other.get().who() + ", " + other.get().where() + "). Run gc again when it is done.");
            }
            r.delete(GC); // left by a gc that was killed
            if (!r.putBytesIfAbsent(GC, mine)) {
                throw new UserError("Another gc of " + r.describe() + " started just now. Run gc again when it is done.");
            }
        }
        List<PushLock> pushes = pushLocks(r, now);
        for (PushLock push : pushes) {
            if (push.gone().isEmpty()) {
                r.delete(GC);
                LockHolder h = push.holder();
                throw new UserError("A push to " + r.describe() + " is in progress (started " + h.taken() + " by " + h.who()
                        + ", " + h.where() + (h.heartbeat() != null ? ", last heartbeat " + h.heartbeat() : "") + "); gc removes "
                        + "nothing while one runs. Run gc again when it is done. (A push renews its lock " + PUSHES + "… every "
                        + GarbageCollector.age(HEARTBEAT) + "; gc counts one as left by a killed push once its process is seen gone "
                        + "from its machine, or its heartbeat is " + GarbageCollector.age(PUSH_SILENCE) + " old.)");
            }
        }
        List<GarbageCollector.StaleLock> stale = new ArrayList<>();
        for (PushLock push : pushes) {
            r.delete(push.key());
            stale.add(new GarbageCollector.StaleLock(push.key(), push.holder().who(), push.gone().orElseThrow()));
        }
        return new Lease(r, GC, now, stale);
    }

    /** The push locks on {@code r}, each with why its push is provably gone (empty while it may run). */
    static List<PushLock> pushLocks(Remote r, Instant now) {
        List<PushLock> locks = new ArrayList<>();
        for (String k : r.list(PUSHES)) {
            r.getBytes(k).map(b -> LockHolder.parse(b, now)).ifPresent(h -> locks.add(
                    new PushLock(k, h, h.gone(now, h.heartbeat() == null ? PUSH_LEASE : PUSH_SILENCE))));
        }
        return locks;
    }
}
