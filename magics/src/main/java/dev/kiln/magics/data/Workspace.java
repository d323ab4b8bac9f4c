package dev.kiln.magics.data;

import dev.kiln.magics.cli.UserError;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The project's files: resolves user paths (refusing any outside the project), lists a dataset's
 * directory with hashes (through the stat cache), and materializes cached objects into it
 * atomically: a temporary file beside the target, hard-linked from the cache where the file
 * system allows and copied otherwise, then renamed over the target.
 */
public final class Workspace {

    static final String TEMP_MARK = ".kiln-tmp-";

    private final Path projectDir;

    public Workspace(Path projectDir) {
        this.projectDir = projectDir.toAbsolutePath().normalize();
    }

    public Path projectDir() {
        return projectDir;
    }

    /** A user's path as an absolute path inside the project; refused when it leads outside. */
    public Path resolve(String userPath) {
        Path p = projectDir.resolve(userPath).normalize();
        if (!p.startsWith(projectDir) || p.equals(projectDir)) {
            throw new UserError("Path '" + userPath + "' is outside the project (" + projectDir
                    + "): Kiln only tracks data inside the project directory. Move or copy it into the project first.");
        }
        try {
            // a symbolic link inside the project may still lead out of it
            Path existing = p;
            while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
                existing = existing.getParent();
            }
            if (existing != null && !existing.toRealPath().startsWith(projectDir.toRealPath())) {
                throw new UserError("Path '" + userPath + "' leads outside the project (" + projectDir
                        + ") through a symbolic link. Copy the data into the project first.");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    /** The '/'-separated path of {@code p} relative to the project. */
    public String relative(Path p) {
        return projectDir.relativize(p).toString().replace('\\', '/');
    }

    /** A file of a dataset's directory as it is on disk now. */
    public record FileState(String path, String sha256, long size) {
    }

    /**
     * Lists the regular files under {@code dir} with their hashes, hashing only those the stat
     * cache does not vouch for (in parallel). Kiln's own temporary files are skipped (and removed
     * when their process is gone).
     *
     * @return files keyed by path relative to {@code dir}; empty when {@code dir} does not exist
     */
    public Map<String, FileState> scan(Path dir, StatCache stats, int jobs) {
        Map<String, FileState> files = new ConcurrentHashMap<>();
        if (!Files.exists(dir)) {
            return files;
        }
        List<Object[]> toHash = new ArrayList<>();
        String datasetRel = relative(dir);
        int dirPrefix = dir.toString().length() + 1;
        String keyPrefix = datasetRel + "/";
        try {
            if (Files.isRegularFile(dir)) {
                throw new UserError("'" + datasetRel + "' is a file: Kiln versions directories. "
                        + "Put the file in a directory of its own and add that.");
            }
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes a) {
                    if (!a.isRegularFile()) {
                        return FileVisitResult.CONTINUE;
                    }
                    String name = file.getFileName().toString();
                    if (name.startsWith(TEMP_MARK)) {
                        removeIfAbandoned(file, name);
                        return FileVisitResult.CONTINUE;
                    }
                    String rel = file.toString().substring(dirPrefix).replace(File.separatorChar, '/');
                    String key = keyPrefix + rel;
                    String sha = stats.get(key, a);
                    if (sha != null) {
                        files.put(rel, new FileState(rel, sha, a.size()));
                    } else {
                        toHash.add(new Object[] {file, rel, key, a});
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dir, e);
        }
        Parallel.forEach(toHash, toHash.size() > 32 ? jobs : 1, item -> {
            Path file = (Path) item[0];
            long hashedAt = StatCache.nowNanos();
            String sha = Sha256.ofFile(file);
            BasicFileAttributes after = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            BasicFileAttributes before = (BasicFileAttributes) item[3];
            if (after.lastModifiedTime().equals(before.lastModifiedTime()) && after.size() == before.size()) {
                stats.put((String) item[2], after, sha, hashedAt);
            }
            files.put((String) item[1], new FileState((String) item[1], sha, after.size()));
        });
        return files;
    }

    /**
     * Puts a cached object at {@code target}: a temporary file beside it, linked or copied from the
     * cache and checked against {@code sha256}, renamed over the target in one step.
     *
     * @return the target's attributes after the rename (for the stat cache)
     */
    public BasicFileAttributes materialize(Path cached, Path target, String sha256, boolean link) throws IOException {
        Files.createDirectories(target.getParent());
        Path tmp = target.resolveSibling(TEMP_MARK + ProcessHandle.current().pid() + "-" + target.getFileName());
        Files.deleteIfExists(tmp);
        try {
            boolean linked = false;
            if (link) {
                try {
                    Files.createLink(tmp, cached);
                    linked = true;
                } catch (FileSystemException | UnsupportedOperationException e) {
                    // another file system, or links not allowed: copy
                }
            }
            if (!linked) {
                MessageDigest md = Sha256.digest();
                try (InputStream in = Files.newInputStream(cached); OutputStream out = Files.newOutputStream(tmp)) {
                    byte[] buf = new byte[1 << 16];
                    for (int n; (n = in.read(buf)) > 0; ) {
                        md.update(buf, 0, n);
                        out.write(buf, 0, n);
                    }
                }
                if (!Sha256.hex(md).equals(sha256)) {
                    throw new IOException("the cached object " + cached + " does not match its hash " + sha256);
                }
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return Files.readAttributes(target, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    }

    /** Deletes a file and the directories it leaves empty, up to {@code stop}. */
    public void remove(Path file, Path stop) throws IOException {
        Files.deleteIfExists(file);
        Path dir = file.getParent();
        while (dir != null && dir.startsWith(stop) && !dir.equals(stop)) {
            try (var s = Files.list(dir)) {
                if (s.findAny().isPresent()) {
                    break;
                }
            }
            Files.delete(dir);
            dir = dir.getParent();
        }
    }

    private static void removeIfAbandoned(Path file, String name) {
        String rest = name.substring(TEMP_MARK.length());
        int dash = rest.indexOf('-');
        try {
            long pid = Long.parseLong(rest.substring(0, Math.max(dash, 0)));
            if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                return;
            }
        } catch (NumberFormatException ignored) {
            // not a name we made; leave it
            return;
        }
        Cache.deleteQuietly(file);
    }

    static List<String> sorted(java.util.Collection<String> c) {
        List<String> l = new ArrayList<>(c);
        Collections.sort(l);
        return l;
    }
}
