package dev.kiln.magics.parquet;

import dev.kiln.magics.core.Disk;
import dev.kiln.magics.core.ProgressText;
import dev.kiln.magics.core.UserError;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;

/**
 * A conversion's output could not be written (a full disk, a read-only one, any I/O error); what
 * it had written is already removed and a previous output is untouched. The message names the
 * output, the disk, and for a full disk the bytes written and about how many the output needs.
 */
public final class WriteFailure extends UserError {

    private final transient Disk disk;
    private final boolean diskFull;
    private final long writtenBytes;
    private final long neededBytes;

    /**
     * @param written  bytes the conversion had written when it failed
     * @param needed   about how many bytes the whole output needs, or -1 when unknown
     * @param replaced whether a previous output exists (and is untouched)
     */
    WriteFailure(IOException cause, Path target, boolean diskFull, long written, long needed, boolean replaced) {
        this(cause, target, Disk.of(target), diskFull, written, needed, replaced);
    }

    private WriteFailure(IOException cause, Path target, Disk disk, boolean diskFull, long written, long needed, boolean replaced) {
        super(message(cause, target, disk, diskFull, written, needed, replaced), cause);
        this.disk = disk;
        this.diskFull = diskFull;
        this.writtenBytes = written;
        this.neededBytes = needed;
    }

    /** The disk the output was to go on, or {@code null} when none could be found. */
    public Disk disk() {
        return disk;
    }

    public boolean diskFull() {
        return diskFull;
    }

    public long writtenBytes() {
        return writtenBytes;
    }

    /** About how many bytes the whole output needs, or -1 when unknown. */
    public long neededBytes() {
        return neededBytes;
    }

    private static String message(IOException e, Path target, Disk disk, boolean diskFull, long written, long needed, boolean replaced) {
        String nothing = " Nothing was changed: the partial output is removed"
                + (replaced ? " and the previous " + target.getFileName() + " is as it was." : ".");
        if (diskFull) {
            return "Cannot write " + target + ": the disk " + (disk != null ? disk + " " : "") + "is full. The conversion had written "
                    + ProgressText.bytes(written) + (needed > written ? " and needs about " + ProgressText.bytes(needed) + " in all" : "")
                    + (disk != null ? "; " + ProgressText.bytes(disk.usableBytes()) + " are free there now" : "")
                    + ". Free some space, or convert to another disk with --to." + nothing;
        }
        return "Cannot write " + target + ": " + reason(e) + (disk != null ? " (on " + disk + ")" : "")
                + ". Check that the directory can be written, or convert to another place with --to." + nothing;
    }

    /** What went wrong, in the system's words where it has them. */
    static String reason(IOException e) {
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof NotDirectoryException) {
            return "not a directory";
        }
        if (e instanceof FileAlreadyExistsException f) {
            return f.getFile() + " is in the way";
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
