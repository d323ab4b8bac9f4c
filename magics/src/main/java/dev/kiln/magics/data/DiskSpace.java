package dev.kiln.magics.data;

import dev.kiln.magics.core.ProgressText;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileStore;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The bytes a command will write, per file system, checked against the space free there before it
 * writes any; and, when a disk fails anyway, the {@link DiskFault} that names it and the bytes needed.
 */
final class DiskSpace {

    /** An I/O failure of a writer that knows which file it was writing. */
    static final class WriteFailed extends UncheckedIOException {
        private final transient Path file;

        WriteFailed(Path file, IOException cause) {
            super("cannot write " + file + ": " + cause.getMessage(), cause);
            this.file = file;
        }
    }

    private final Path projectDir;
    private final String command;
    private final String kept;
    private final Map<FileStore, Long> needed = new LinkedHashMap<>();
    private final Map<FileStore, Long> freeAtStart = new HashMap<>();

    /**
     * @param command what the command does, as messages name it ({@code Checking out pems@1a2b3c4d5e6f})
     * @param kept    what a failure midway leaves as it was ({@code Nothing was changed: data/pems and kiln.lock are as they were})
     */
    DiskSpace(Path projectDir, String command, String kept) {
        this.projectDir = projectDir;
        this.command = command;
        this.kept = kept;
    }

    /** {@code bytes} more to be written under {@code where}, which need not exist yet. */
    DiskSpace need(Path where, long bytes) {
        FileStore s = store(where);
        if (s != null) {
            needed.merge(s, bytes, Long::sum);
        }
        return this;
    }

    /** Whether {@code a} and {@code b} (which need not exist yet) lie on one file system: a hard link can join them. */
    static boolean sameFileSystem(Path a, Path b) {
        FileStore sa = store(a);
        return sa != null && sa.equals(store(b));
    }

    /** Fails, before anything is written, when a file system lacks the bytes the command needs there. */
    void check() {
        for (Map.Entry<FileStore, Long> e : needed.entrySet()) {
            long free = free(e.getKey());
            if (e.getValue() > free) {
                FileStore s = e.getKey();
                throw new DiskFault(command + " needs " + ProgressText.bytes(e.getValue()) + " on the file system mounted at "
                        + mountPoint(s) + " (" + s.name() + "), and " + ProgressText.bytes(free) + " is free there. "
                        + "Nothing was written. Free " + ProgressText.bytes(e.getValue() - free)
                        + " or more there, and run it again.", null, mountPoint(s), s.name(), e.getValue(), free, true, null, null);
            }
        }
    }

    /**
     * The error for an I/O failure while the command wrote under {@code where}: it names the file
     * system of the file being written (the one {@code failure} names, else {@code where}).
     */
    DiskFault fault(Throwable failure, Path where) {
        Path file = where;
        boolean named = false;
        IOException io = null;
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof WriteFailed w && !named) {
                file = w.file;
                named = true;
            } else if (t instanceof FileSystemException f && f.getFile() != null && !named) {
                file = Path.of(f.getFile());
                named = true;
            }
            if (t instanceof IOException e && io == null && !(t.getCause() instanceof IOException)) {
                io = e;
            }
        }
        String reason = io instanceof FileSystemException f && f.getReason() != null ? f.getReason()
                : io != null && io.getMessage() != null ? io.getMessage() : String.valueOf(failure);
        boolean full = reason.contains("No space left on device") || reason.contains("Disk quota exceeded");
        FileStore s = store(file);
        String mount = s == null ? "?" : mountPoint(s);
        String device = s == null ? "?" : s.name();
        long need = s == null ? 0 : needed.getOrDefault(s, 0L);
        long free = s == null ? 0 : free(s);
        String shown = shown(file);
        String needs = command + " needs " + ProgressText.bytes(need) + " there";
        String message = full
                ? "No space left on the file system mounted at " + mount + " (" + device + ") while writing " + shown + ". "
                + needs + ", and " + ProgressText.bytes(free) + " was free when it started (a file system can also run "
                + "out of inodes, its count of files). " + kept + ". Free space there, and run it again."
                : "Cannot write " + shown + " on the file system mounted at " + mount + " (" + device + "): " + reason + ". "
                + needs + ". " + kept + ". Fix that, and run it again.";
        return new DiskFault(message, failure, mount, device, need, free, full, shown, reason);
    }

    private String shown(Path file) {
        Path abs = file.toAbsolutePath().normalize();
        return abs.startsWith(projectDir) && !abs.equals(projectDir)
                ? projectDir.relativize(abs).toString().replace('\\', '/') : abs.toString();
    }

    private long free(FileStore s) {
        return freeAtStart.computeIfAbsent(s, x -> {
            try {
                return x.getUsableSpace();
            } catch (IOException e) {
                return Long.MAX_VALUE;
            }
        });
    }

    /** The file system of {@code p}, or of its nearest existing parent; null if none can be read. */
    static FileStore store(Path p) {
        for (Path q = p.toAbsolutePath().normalize(); q != null; q = q.getParent()) {
            if (Files.exists(q, LinkOption.NOFOLLOW_LINKS)) {
                try {
                    return Files.getFileStore(q);
                } catch (IOException e) {
                    return null;
                }
            }
        }
        return null;
    }

    /** Where a file system is mounted: a store's name is its device, and it prints as "mount point (device)". */
    private static String mountPoint(FileStore s) {
        String text = s.toString();
        String suffix = " (" + s.name() + ")";
        return text.endsWith(suffix) ? text.substring(0, text.length() - suffix.length()) : text;
    }
}
