package dev.kiln.magics.data;

import dev.kiln.magics.core.AtomicFiles;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.Map;

/**
 * What each workspace file hashed to, keyed by path, with the (size, mtime, inode) it had then, so
 * unchanged files are not hashed again. An entry is trusted only when the file was last modified
 * well before it was hashed: a change within the file system's timestamp granularity would
 * otherwise go unseen.
 */
public final class StatCache {

    private static final long RACY_NANOS = 100_000_000L;

    private record Entry(long size, long mtimeNanos, String fileKey, long hashedAtNanos, String sha256) {
    }

    private final Path file;
    private final Map<String, Entry> entries = new HashMap<>();
    private boolean dirty;

    private StatCache(Path file) {
        this.file = file;
    }

    /** The stat cache of a project, in {@code .kiln/stat-cache}. */
    public static StatCache load(Path projectDir) {
        StatCache sc = new StatCache(projectDir.resolve(".kiln").resolve("stat-cache"));
        try (BufferedReader r = Files.newBufferedReader(sc.file, StandardCharsets.UTF_8)) {
            for (String line; (line = r.readLine()) != null; ) {
                String[] f = line.split("\t", 6);
                if (f.length == 6) {
                    sc.entries.put(f[5], new Entry(Long.parseLong(f[0]), Long.parseLong(f[1]), f[2],
                            Long.parseLong(f[3]), f[4]));
                }
            }
        } catch (NoSuchFileException e) {
            // no cache yet
        } catch (IOException | RuntimeException e) {
            sc.entries.clear(); // a damaged cache only costs re-hashing
        }
        return sc;
    }

    private static long nanos(BasicFileAttributes a) {
        var i = a.lastModifiedTime().toInstant();
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }

    /** The file's hash if it is unchanged since it was last hashed, else {@code null}. */
    public synchronized String get(String path, BasicFileAttributes a) {
        Entry e = entries.get(path);
        if (e == null) {
            return null;
        }
        long m = nanos(a);
        if (e.size != a.size() || e.mtimeNanos != m || !e.fileKey.equals(String.valueOf(a.fileKey()))
                || m >= e.hashedAtNanos - RACY_NANOS) {
            return null;
        }
        return e.sha256;
    }

    /** Records that the file, as {@code a} describes it, hashed to {@code sha256} at {@code hashedAtNanos} (epoch). */
    public synchronized void put(String path, BasicFileAttributes a, String sha256, long hashedAtNanos) {
        Entry e = new Entry(a.size(), nanos(a), String.valueOf(a.fileKey()), hashedAtNanos, sha256);
        if (!e.equals(entries.get(path))) {
            entries.put(path, e);
            dirty = true;
        }
    }

    public static long nowNanos() {
        var i = java.time.Instant.now();
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }

    public synchronized void save() {
        if (!dirty) {
            return;
        }
        try {
            AtomicFiles.write(file, null, out -> {
                BufferedWriter w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
                for (Map.Entry<String, Entry> me : entries.entrySet()) {
                    if (me.getKey().indexOf('\n') >= 0) {
                        continue;
                    }
                    Entry e = me.getValue();
                    w.write(e.size + "\t" + e.mtimeNanos + "\t" + e.fileKey + "\t" + e.hashedAtNanos + "\t"
                            + e.sha256 + "\t" + me.getKey() + "\n");
                }
                w.flush();
            });
            dirty = false;
        } catch (IOException e) {
            throw new DiskSpace.WriteFailed(file, e);
        }
    }
}
