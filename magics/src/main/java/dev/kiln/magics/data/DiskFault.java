package dev.kiln.magics.data;

import dev.kiln.magics.core.UserError;

/**
 * A file system that could not take what a command writes, full or failing: which one (its mount
 * point and device), what was being written, and the bytes the command needs there.
 */
public final class DiskFault extends UserError {

    private final String mountPoint;
    private final String device;
    private final long bytesNeeded;
    private final long bytesFree;
    private final boolean noSpace;
    private final String file;
    private final String reason;

    DiskFault(String message, Throwable cause, String mountPoint, String device, long bytesNeeded, long bytesFree,
              boolean noSpace, String file, String reason) {
        super(message, cause);
        this.mountPoint = mountPoint;
        this.device = device;
        this.bytesNeeded = bytesNeeded;
        this.bytesFree = bytesFree;
        this.noSpace = noSpace;
        this.file = file;
        this.reason = reason;
    }

    /** Where the file system is mounted, e.g. {@code /home}. */
    public String mountPoint() {
        return mountPoint;
    }

    /** The file system's device, e.g. {@code /dev/sda2} or {@code tmpfs}. */
    public String device() {
        return device;
    }

    /** The bytes the command writes on that file system. */
    public long bytesNeeded() {
        return bytesNeeded;
    }

    /** The bytes free there when the command started. */
    public long bytesFree() {
        return bytesFree;
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
