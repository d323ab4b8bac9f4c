package dev.kiln.magics.data;

import com.fasterxml.jackson.core.JacksonException;
import dev.kiln.magics.core.CanonicalJson;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * What a lock under {@code locks/} on a remote says, format 2 (canonical JSON): who took it, on which
 * machine and in which process, when, and when its holder last said it was alive. A push renews its
 * heartbeat while it runs ({@link RemoteLocks}), so a lock whose process has ended (seen from the same
 * machine) or whose heartbeat has gone quiet is one a killed process left. Format 1, written before,
 * was one line: {@code <instant> <who>}; it still reads (host, pid and heartbeat unknown).
 *
 * @param host         the holder's host name
 * @param boot         the holder's machine's boot id ({@code /proc/sys/kernel/random/boot_id}), or "" when unknown
 * @param pid          the holder's process id, -1 when unknown
 * @param processStart when that process started, "" when unknown (a pid used again by a later process is not the holder)
 * @param heartbeat    when the holder last renewed the lock (its taking, at first); null in format 1
 */
record LockHolder(int format, String who, String host, String boot, long pid, String processStart, String taken,
                  String heartbeat) {

    static final int FORMAT = 2;

    /** A lock taken now by this process. */
    static LockHolder ofThisProcess(String who, Instant now) {
        ProcessHandle self = ProcessHandle.current();
        return new LockHolder(FORMAT, who, hostName(), bootId(), self.pid(),
                self.info().startInstant().map(Instant::toString).orElse(""), now.toString(), now.toString());
    }

    /** This lock, renewed at {@code now}. */
    LockHolder beat(Instant now) {
        return new LockHolder(format, who, host, boot, pid, processStart, taken, now.toString());
    }

    byte[] bytes() {
        return CanonicalJson.DATA.bytes(this);
    }

    /**
     * Reads a lock of either format; one that cannot be read counts as taken at {@code now} by an
     * unknown holder (so it is never ignored by mistake).
     */
    static LockHolder parse(byte[] bytes, Instant now) {
        String text = new String(bytes, StandardCharsets.UTF_8).strip();
        if (text.startsWith("{")) {
            try {
                LockHolder h = CanonicalJson.mapper().readValue(bytes, LockHolder.class);
                if (h != null && h.format() == FORMAT && h.takenAt().isPresent() && h.heartbeatAt().isPresent()) {
                    return h;
                }
            } catch (JacksonException e) {
                // not a lock this Kiln can read: counts as just taken
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return unknown(now);
        }
        int space = text.indexOf(' ');
        LockHolder old = new LockHolder(1, space < 0 ? "unknown" : text.substring(space + 1), "", "", -1, "",
                space < 0 ? text : text.substring(0, space), null);
        return old.takenAt().isPresent() ? old : unknown(now);
    }

    private static LockHolder unknown(Instant now) {
        return new LockHolder(1, "unknown", "", "", -1, "", now.toString(), null);
    }

    Optional<Instant> takenAt() {
        return instant(taken);
    }

    /** The last sign of life: the heartbeat, or (format 1) the taking. */
    Optional<Instant> heartbeatAt() {
        return heartbeat == null ? takenAt() : instant(heartbeat);
    }

    /**
     * Why this lock's holder is provably gone at {@code now}, or empty when it may still run: its
     * process has ended (this is its machine), or its last sign of life is older than {@code silence}.
     */
    Optional<String> gone(Instant now, Duration silence) {
        if (pid > 0 && !boot.isEmpty() && boot.equals(bootId()) && host.equals(hostName())) {
            Optional<Instant> started = ProcessHandle.of(pid).flatMap(p -> p.info().startInstant());
            boolean same = started.isPresent() && instant(processStart)
                    .map(s -> Duration.between(s, started.get()).abs().compareTo(Duration.ofSeconds(2)) <= 0).orElse(true);
            if (!same) {
                return Optional.of("its process (pid " + pid + " on " + host + ") has ended");
            }
        }
        Instant last = heartbeatAt().orElse(now);
        if (last.isBefore(now.minus(silence))) {
            return Optional.of((heartbeat == null ? "it was taken at " : "its last heartbeat was at ") + last + ", "
                    + GarbageCollector.age(Duration.ofSeconds(Duration.between(last, now).toMinutes() * 60)) + " ago");
        }
        return Optional.empty();
    }

    /** Where it runs, as a message says it: {@code pid 4242 on lab-3}. */
    String where() {
        return pid > 0 ? "pid " + pid + " on " + host : "an unknown process";
    }

    private static Optional<Instant> instant(String text) {
        try {
            return text == null || text.isEmpty() ? Optional.empty() : Optional.of(Instant.parse(text));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return System.getenv().getOrDefault("HOSTNAME", "unknown");
        }
    }

    /** Tells this machine's boots apart (and machines that share a host name); "" off Linux. */
    private static String bootId() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/random/boot_id")).strip();
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }
}
