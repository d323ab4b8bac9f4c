package dev.kiln.magics.data;

import dev.kiln.magics.core.Sha256;
import dev.kiln.magics.core.Progress;
import dev.kiln.magics.data.remote.Remote;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Content between a remote and the cache, by its SHA-256, every byte checked against it on the way:
 * the objects a checkout or a diff fetches, the metadata every verb reads, and what a push sends
 * (the remote checks what it receives against the hash sent with it).
 */
final class Transfer {

    /** Up to this many objects, asking for each is cheaper than listing the prefixes they fall in. */
    private static final int FEW = 256;

    private final Cache cache;
    private final int jobs;

    Transfer(Cache cache, int jobs) {
        this.cache = cache;
        this.jobs = jobs;
    }

    /** What a push sent: objects and their bytes (those the remote had already are not counted). */
    record Sent(long objects, long bytes) {
    }

    /**
     * Fetches objects into the cache, {@code jobs} at a time, each checked before it gets its name.
     *
     * @throws CorruptObjectException when an object's bytes do not hash to its name
     */
    void fetch(Remote remote, Collection<ManifestEntry> objects, Progress.Bar bar) {
        Parallel.forEach(objects, jobs, e -> {
            fetch(remote, e.sha256(), e.size());
            bar.advance(e.size());
        });
    }

    /** One object into the cache (see {@link #fetch(Remote, Collection, Progress.Bar)}); a cached one is left as it is. */
    void fetch(Remote remote, String sha256, long size) {
        String key = RemoteLayout.object(sha256);
        cache.put(key, temp -> {
            String streamed = remote.download(key, temp, size);
            verify(remote, key, sha256, streamed != null ? streamed : Sha256.ofFile(temp));
        });
    }

    /**
     * Small metadata (a manifest, a version record) from a remote: checked against its id, then
     * parsed, and only what parsed is kept in the cache.
     *
     * @param parse turns the bytes into their value, or throws naming what is wrong
     * @return empty when the remote lacks it
     */
    <T> Optional<T> fetchMetadata(Remote remote, String key, String id, Function<byte[], T> parse) {
        Optional<byte[]> bytes = remote.getBytes(key);
        if (bytes.isEmpty()) {
            return Optional.empty();
        }
        byte[] b = bytes.get();
        verify(remote, key, id, Sha256.hex(b));
        T value = parse.apply(b);
        try {
            cache.writeMeta(key, b);
        } catch (UncheckedIOException e) {
            // the remote still has it: the next command fetches it again; a full disk is the command's own check to name
        }
        return Optional.of(value);
    }

    /**
     * Sends cached objects to a remote, {@code jobs} at a time, each unless the remote has it.
     *
     * @throws UncheckedIOException when the cache or a directory remote cannot be read or written
     */
    Sent send(Remote remote, Collection<ManifestEntry> objects, Progress.Bar bar) {
        AtomicLong sent = new AtomicLong();
        AtomicLong bytes = new AtomicLong();
        Parallel.forEach(objects, jobs, e -> {
            if (remote.putFileIfAbsent(RemoteLayout.object(e.sha256()), cache.object(e.sha256()), e.sha256(), e.size())) {
                sent.incrementAndGet();
                bytes.addAndGet(e.size());
            }
            bar.advance(e.size());
        });
        return new Sent(sent.get(), bytes.get());
    }

    /** Sends metadata (its key names its hash) unless the remote has it. */
    void send(Remote remote, String key, byte[] canonical) {
        remote.putBytesIfAbsent(key, canonical);
    }

    /** Which of these objects the remote has: asks for each when few, else lists the prefixes they fall in. */
    Set<String> presentOn(Remote remote, Set<String> shas) {
        Set<String> present = ConcurrentHashMap.newKeySet();
        if (shas.size() <= FEW) {
            Parallel.forEach(shas, jobs, s -> {
                if (remote.exists(RemoteLayout.object(s))) {
                    present.add(s);
                }
            });
            return present;
        }
        Set<String> prefixes = new TreeSet<>();
        for (String s : shas) {
            prefixes.add(s.substring(0, 2));
        }
        Parallel.forEach(prefixes, jobs, p -> {
            String base = RemoteLayout.objectsPrefix(p);
            for (String k : remote.list(base)) {
                String s = p + k.substring(base.length());
                if (shas.contains(s)) {
                    present.add(s);
                }
            }
        });
        return present;
    }

    /** @throws CorruptObjectException when what came is not what was asked for */
    private static void verify(Remote remote, String key, String expected, String actual) {
        if (!actual.equals(expected)) {
            throw new CorruptObjectException(remote, key, expected, actual);
        }
    }
}
