package dev.kiln.magics.parquet;

import dev.kiln.magics.cli.Disk;
import dev.kiln.magics.cli.ProgressText;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;

/** How an I/O failure of a conversion reads to the user: what failed, on which disk, and that nothing changed. */
final class Faults {

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

    /**
     * A write of {@code target} failed; everything the conversion wrote is already removed.
     *
     * @param written bytes the conversion had written when it failed
     * @param needed  about how many bytes the whole output needs, or -1 when unknown
     * @param replaced whether a previous output exists (and is untouched)
     */
    static String writeFailure(IOException e, Path target, long written, long needed, boolean replaced, boolean diskFull) {
        Disk disk = Disk.of(target);
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

    private Faults() {
    }
}
