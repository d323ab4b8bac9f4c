package dev.kiln.magics.data;

import dev.kiln.magics.core.Sha256;
import dev.kiln.magics.core.TempFiles;
import dev.kiln.magics.core.UserError;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The project's files: resolves user paths (refusing any outside the project) and lists a dataset's
 * directory with hashes (through the stat cache). Checkouts write it through a
 * {@link CheckoutTransaction}.
 */
public final class Workspace {

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

    /**
     * The symbolic links on the way from the project to {@code dir}, {@code dir} included: a
     * checkout writes only through plain directories. Two or three system calls per dataset.
     */
    List<String> linksOnTheWay(Path dir) {
        List<String> links = new ArrayList<>();
        for (Path p = dir; p != null && p.startsWith(projectDir) && !p.equals(projectDir); p = p.getParent()) {
            if (Files.isSymbolicLink(p)) {
                links.add(0, relative(p));
            }
        }
        return links;
    }

    /** A file of a dataset's directory as it is on disk now. */
    public record FileState(String path, String sha256, long size) {
    }

    /**
     * A dataset's directory as it is on disk now, paths relative to it ('/'-separated).
     *
     * @param files regular files with their hashes, a symbolic link to a regular file by the content it points to
     * @param dirs  directories below it
     * @param links symbolic links, those in {@code files} too
     */
    public record Listing(Map<String, FileState> files, Set<String> dirs, List<String> links) {

        /** The links that stand for no file: to a directory, or to nothing. */
        List<String> linksWithoutFile() {
            return links.stream().filter(l -> !files.containsKey(l)).toList();
        }
    }

    /**
     * A dataset's files as {@code add}, {@code status} and {@code diff} see them: a symbolic link to
     * a file counts as that file's content; a link to a directory or to nothing is refused, by name,
     * rather than left out of a version in silence.
     */
    public Map<String, FileState> files(Path dir, StatCache stats, int jobs) {
        Listing listing = scan(dir, stats, jobs);
        List<String> refused = listing.linksWithoutFile();
        if (!refused.isEmpty()) {
            String rel = relative(dir);
            List<String> named = refused.stream().map(l -> "'" + rel + "/" + l + "' (" + linkTarget(dir.resolve(l)) + ")").toList();
            throw new UserError((refused.size() == 1 ? "A symbolic link in " : refused.size() + " symbolic links in ") + "'" + rel
                    + "' point" + (refused.size() == 1 ? "s" : "") + " to no file: " + String.join(", ", named)
                    + ". Kiln versions a link to a file by the file's content, but not a link to a directory or a broken one. "
                    + "Replace it with a copy of what it points to, or remove it, and run the command again.");
        }
        return listing.files();
    }

    private static String linkTarget(Path link) {
        try {
            Path target = Files.readSymbolicLink(link);
            return Files.isDirectory(link) ? "a directory: " + target : "to " + target + ", which does not exist";
        } catch (IOException e) {
            return "unreadable";
        }
    }

    /**
     * Lists the regular files under {@code dir} with their hashes, hashing only those the stat
     * cache does not vouch for (in parallel), and the directories and links there. Kiln's own
     * temporary files and directories are skipped (and removed when their process is gone).
     *
     * @return empty when {@code dir} does not exist
     */
    public Listing scan(Path dir, StatCache stats, int jobs) {
        Map<String, FileState> files = new ConcurrentHashMap<>();
        Set<String> dirs = new HashSet<>();
        List<String> links = new ArrayList<>();
        Listing listing = new Listing(files, dirs, links);
        if (!Files.exists(dir)) {
            return listing;
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
                public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes a) {
                    if (d.equals(dir)) {
                        return FileVisitResult.CONTINUE;
                    }
                    String name = d.getFileName().toString();
                    if (name.startsWith(TempFiles.MARK)) {
                        removeIfAbandoned(d, name);
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    dirs.add(d.toString().substring(dirPrefix).replace(File.separatorChar, '/'));
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes a) {
                    if (file.equals(dir)) {
                        return FileVisitResult.CONTINUE;
                    }
                    boolean link = a.isSymbolicLink();
                    if (link) {
                        links.add(file.toString().substring(dirPrefix).replace(File.separatorChar, '/'));
                        try {
                            a = Files.readAttributes(file, BasicFileAttributes.class); // what it points to
                        } catch (IOException e) {
                            return FileVisitResult.CONTINUE; // to nothing: in links alone
                        }
                    }
                    if (!a.isRegularFile()) {
                        return FileVisitResult.CONTINUE;
                    }
                    String name = file.getFileName().toString();
                    if (name.startsWith(TempFiles.MARK)) {
                        removeIfAbandoned(file, name);
                        return FileVisitResult.CONTINUE;
                    }
                    String rel = file.toString().substring(dirPrefix).replace(File.separatorChar, '/');
                    String key = keyPrefix + rel;
                    String sha = stats.get(key, a);
                    if (sha != null) {
                        files.put(rel, new FileState(rel, sha, a.size()));
                    } else {
                        toHash.add(new Object[] {file, rel, key, a, link});
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw unreadable(dir, e);
        }
        Parallel.forEach(toHash, toHash.size() > 32 ? jobs : 1, item -> {
            Path file = (Path) item[0];
            try {
                long hashedAt = StatCache.nowNanos();
                String sha = Sha256.ofFile(file);
                LinkOption[] follow = (Boolean) item[4] ? new LinkOption[0] : new LinkOption[] {LinkOption.NOFOLLOW_LINKS};
                BasicFileAttributes after = Files.readAttributes(file, BasicFileAttributes.class, follow);
                BasicFileAttributes before = (BasicFileAttributes) item[3];
                if (after.lastModifiedTime().equals(before.lastModifiedTime()) && after.size() == before.size()) {
                    stats.put((String) item[2], after, sha, hashedAt);
                }
                files.put((String) item[1], new FileState((String) item[1], sha, after.size()));
            } catch (IOException e) {
                throw unreadable(file, e);
            }
        });
        Collections.sort(links);
        return listing;
    }

    /** Every command lists a dataset's directory before it writes anything. */
    private UserError unreadable(Path p, IOException e) {
        Path named = e instanceof java.nio.file.FileSystemException f && f.getFile() != null ? Path.of(f.getFile()) : p;
        String reason = e instanceof java.nio.file.FileSystemException f && f.getReason() != null ? f.getReason()
                : String.valueOf(e.getMessage());
        return new UserError("Cannot read " + (named.startsWith(projectDir) ? relative(named) : named.toString()) + " ("
                + reason + "). Nothing was changed. Make it readable (or move it out of the dataset's directory) "
                + "and run the command again.", e);
    }

    private static void removeIfAbandoned(Path file, String name) {
        if (TempFiles.abandoned(name)) {
            TempFiles.deleteQuietly(file);
        }
    }

    static List<String> sorted(java.util.Collection<String> c) {
        List<String> l = new ArrayList<>(c);
        Collections.sort(l);
        return l;
    }
}
