package dev.kiln.magics.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * Kiln's temporary files and directories beside the file they will become:
 * {@code .kiln-tmp-<pid>-<what>}. The writer's process id in the name lets a later run tell the
 * leftover of a killed process (remove it) from one still being written (leave it). The
 * workspace's temporary files ({@code data.Workspace.TEMP_MARK}) follow the same scheme.
 */
public final class TempFiles {

    public static final String MARK = ".kiln-tmp-";

    /** A fresh temporary name beside {@code target}, for this process: {@code .kiln-tmp-<pid>-<random>-<name>}. */
    public static Path beside(Path target) {
        String random = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        return target.resolveSibling(MARK + ProcessHandle.current().pid() + "-" + random + "-" + target.getFileName());
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

    /** Whether {@code name} is a temporary name of a process that no longer runs. */
    public static boolean abandoned(String name) {
        if (!name.startsWith(MARK)) {
            return false;
        }
        String rest = name.substring(MARK.length());
        int dash = rest.indexOf('-');
        try {
            long pid = Long.parseLong(dash < 0 ? rest : rest.substring(0, dash));
            return !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
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

    private TempFiles() {
    }
}
