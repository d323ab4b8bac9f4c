package dev.kiln.magics.data;

import dev.kiln.magics.core.Disk;
import dev.kiln.magics.core.ProgressText;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The bytes a command will write, per {@link Disk}, checked against the space free there before it
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
    /** Each disk as the command first found it, its free bytes those at the start, by mount point. */
    private final Map<String, Disk> atStart = new LinkedHashMap<>();
    private final Map<String, Long> needed = new LinkedHashMap<>();

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
        Disk d = disk(where);
        if (d != null) {
            needed.merge(d.mountPoint(), bytes, Long::sum);
        }
        return this;
    }

    /** Fails, before anything is written, when a disk lacks the bytes the command needs there. */
    void check() {
        for (Map.Entry<String, Long> e : needed.entrySet()) {
            Disk d = atStart.get(e.getKey());
            long free = d.usableBytes();
            if (e.getValue() > free) {
                throw new DiskFault(command + " needs " + ProgressText.bytes(e.getValue()) + " on the file system mounted at "
                        + d.mountPoint() + " (" + d.device() + "), and " + ProgressText.bytes(free) + " is free there. "
                        + "Nothing was written. Free " + ProgressText.bytes(e.getValue() - free)
                        + " or more there, and run it again.", null, d, e.getValue(), true, null, null);
            }
        }
    }

    /**
     * The error for an I/O failure while the command wrote under {@code where}: it names the disk
     * of the file being written (the one {@code failure} names, else {@code where}).
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
        boolean full = io != null && Disk.outOfSpace(io, file);
        Disk d = disk(file);
        String mount = d == null ? "?" : d.mountPoint();
        String device = d == null ? "?" : d.device();
        long need = d == null ? 0 : needed.getOrDefault(d.mountPoint(), 0L);
        long free = d == null ? 0 : d.usableBytes();
        String shown = shown(file);
        String needs = command + " needs " + ProgressText.bytes(need) + " there";
        String message = full
                ? "No space left on the file system mounted at " + mount + " (" + device + ") while writing " + shown + ". "
                + needs + ", and " + ProgressText.bytes(free) + " was free when it started (a file system can also run "
                + "out of inodes, its count of files). " + kept + ". Free space there, and run it again."
                : "Cannot write " + shown + " on the file system mounted at " + mount + " (" + device + "): " + reason + ". "
                + needs + ". " + kept + ". Fix that, and run it again.";
        return new DiskFault(message, failure, d, need, full, shown, reason);
    }

    private String shown(Path file) {
        Path abs = file.toAbsolutePath().normalize();
        return abs.startsWith(projectDir) && !abs.equals(projectDir)
                ? projectDir.relativize(abs).toString().replace('\\', '/') : abs.toString();
    }

    /** The disk of {@code p} (which need not exist yet) as the command first found it; null if none can be read. */
    private Disk disk(Path p) {
        Disk now = Disk.of(p);
        if (now == null) {
            return null;
        }
        Disk first = atStart.putIfAbsent(now.mountPoint(), now);
        return first != null && first.isSameFileSystem(now) ? first : now;
    }
}
