package dev.kiln.magics.data;

import dev.kiln.magics.core.Disk;
import dev.kiln.magics.core.UserError;

/**
 * A file system that could not take what a command writes, full or failing: which {@link Disk},
 * what was being written, and the bytes the command needs there.
 */
public final class DiskFault extends UserError {

    private final transient Disk disk;
    private final long bytesNeeded;
    private final boolean noSpace;
    private final String file;
    private final String reason;

    DiskFault(String message, Throwable cause, Disk disk, long bytesNeeded, boolean noSpace, String file, String reason) {
        super(message, cause);
        this.disk = disk;
        this.bytesNeeded = bytesNeeded;
        this.noSpace = noSpace;
        this.file = file;
        this.reason = reason;
    }

    /** The disk, its free bytes those when the command started; null when none could be found. */
    public Disk disk() {
        return disk;
    }

    /** The bytes the command writes on that file system. */
    public long bytesNeeded() {
        return bytesNeeded;
    }

    /** True when the file system is full (of bytes or of inodes), false for another I/O error. */
    public boolean noSpace() {
        return noSpace;
    }

    /** What was being written (relative to the project when inside it); null when the check came first. */
    public String file() {
        return file;
    }

    /** What the system said (e.g. {@code No space left on device}); null when the check came first. */
    public String reason() {
        return reason;
    }
}
