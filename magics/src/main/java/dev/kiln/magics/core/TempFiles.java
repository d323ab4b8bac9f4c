package dev.kiln.magics.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * Kiln's temporary files, named after the process that writes them so that a later run can tell
 * the leftover of a killed process (remove it) from one still being written (leave it). Two
 * shapes, one test of whether the writer is gone:
 * <ul>
 * <li>beside the file they will become, in the user's directories:
 *     {@code .kiln-tmp-<pid>-<random>-<name>} ({@link #beside}, {@link #ownPrefix});</li>
 * <li>in a directory of Kiln's own on storage other machines may share (the cache, a directory
 *     remote, the journal of uploads): {@code <boot id>.<pid>.<random>} ({@link #sharedIn}), where
 *     a file of another machine or boot is judged by its age.</li>
 * </ul>
 */
public final class TempFiles {

    public static final String MARK = ".kiln-tmp-";
    /** A shared file whose writer lives elsewhere is abandoned once it has not changed for this long. */
    public static final Duration IDLE = Duration.ofHours(24);

    /** This boot's id, or null where the system does not say (then only age tells). */
    private static final String BOOT = bootId();

    /** A fresh temporary name beside {@code target}, for this process: {@code .kiln-tmp-<pid>-<random>-<name>}. */
    public static Path beside(Path target) {
        String random = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        return target.resolveSibling(ownPrefix() + random + "-" + target.getFileName());
    }

    /** How this process's temporary names beside their targets begin: {@code .kiln-tmp-<pid>-}. */
    public static String ownPrefix() {
        return MARK + ProcessHandle.current().pid() + "-";
    }

    /** The name {@link #beside} was given for, or {@code null} when {@code name} is not a temporary name. */
    public static String targetName(String name) {
        if (!name.startsWith(MARK)) {
            return null;
        }
        String rest = name.substring(MARK.length());
        int pidEnd = rest.indexOf('-');
        int randomEnd = pidEnd < 0 ? -1 : rest.indexOf('-', pidEnd + 1);
        return randomEnd < 0 ? null : rest.substring(randomEnd + 1);
    }

    /** Whether {@code name} is a temporary name (beside its target) of a process that no longer runs. */
    public static boolean abandoned(String name) {
        if (!name.startsWith(MARK)) {
            return false;
        }
        String rest = name.substring(MARK.length());
        int dash = rest.indexOf('-');
        try {
            return !running(Long.parseLong(dash < 0 ? rest : rest.substring(0, dash)));
        } catch (NumberFormatException e) {
            return false; // not a name Kiln made
        }
    }

    /** The temporary files and directories directly in {@code dir} whose process is gone. */
    public static List<Path> abandonedIn(Path dir) throws IOException {
        List<Path> found = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return found;
        }
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(p -> abandoned(p.getFileName().toString())).forEach(found::add);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return found;
    }

    /** A fresh temporary name in {@code dir}, a directory of Kiln's own that other machines may share. */
    public static Path sharedIn(Path dir) {
        return dir.resolve((BOOT != null ? BOOT : "unknown") + "." + ProcessHandle.current().pid() + "."
                + Long.toHexString(ThreadLocalRandom.current().nextLong()));
    }

    /**
     * Whether a file named {@code <boot id>.<pid>.<anything>} was left by a process that is gone: one
     * of this boot that no longer runs, or (a machine or boot we cannot see, or a name of another
     * shape) one untouched for {@link #IDLE}.
     */
    public static boolean abandonedShared(Path file) {
        String[] parts = file.getFileName().toString().split("\\.", 3);
        if (BOOT != null && parts.length >= 2 && parts[0].equals(BOOT)) {
            try {
                return !running(Long.parseLong(parts[1]));
            } catch (NumberFormatException e) {
                // not a tag of ours: judged by its age below
            }
        }
        try {
            return Files.getLastModifiedTime(file).toInstant().isBefore(Instant.now().minus(IDLE));
        } catch (IOException e) {
            return false;
        }
    }

    /** The one test of whether a temporary file's writer is gone. */
    private static boolean running(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** Deletes a file, or a directory with everything in it; a missing path is no error. Links are not followed. */
    public static void deleteRecursively(Path p) throws IOException {
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(p, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException exc) throws IOException {
                if (exc instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw exc;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                if (exc != null) {
                    throw exc;
                }
                Files.deleteIfExists(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** As {@link #deleteRecursively}, as far as it goes: for clean-ups whose failure a later run finds and finishes. */
    public static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
            return;
        } catch (IOException e) {
            // a directory with something in it, or a file that cannot go: the walk below
        }
        try {
            Files.walkFileTree(p, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException exc) {
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException exc) {
                    deleteIfExists(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException ignored) {
            // best effort
        }
    }

    private static void deleteIfExists(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // best effort
        }
    }

    private static String bootId() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/random/boot_id"), StandardCharsets.US_ASCII).strip();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private TempFiles() {
    }
}
