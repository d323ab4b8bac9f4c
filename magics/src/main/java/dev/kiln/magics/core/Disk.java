package dev.kiln.magics.core;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The file system a path is on, as a user would name it in a message: its mount point and device,
 * and the bytes a write may still use there.
 */
public record Disk(String mountPoint, String device, long usableBytes) {

    /** Fewer usable bytes than this after a failed write means the disk is what failed. */
    private static final long NEARLY_FULL = 64 << 10;

    /** The disk {@code path} is on, or would be on once created; {@code null} when none can be found. */
    public static Disk of(Path path) {
        Path p = path.toAbsolutePath();
        while (p != null && !Files.exists(p)) {
            p = p.getParent();
        }
        if (p == null) {
            return null;
        }
        try {
            FileStore store = Files.getFileStore(p);
            // Linux names a store "<mount point> (<device>)"
            String s = store.toString();
            int open = s.lastIndexOf(" (");
            String mount = open > 0 && s.endsWith(")") ? s.substring(0, open) : s;
            return new Disk(mount, store.name(), store.getUsableSpace());
        } catch (IOException e) {
            return null;
        }
    }

    /** Whether {@code a} and {@code b} (which need not exist yet) lie on one file system: a hard link can join them. */
    public static boolean sameFileSystem(Path a, Path b) {
        Disk da = of(a);
        return da != null && da.isSameFileSystem(of(b));
    }

    /** Whether {@code other} is this file system (as found at another moment: its free bytes may differ). */
    public boolean isSameFileSystem(Disk other) {
        return other != null && mountPoint.equals(other.mountPoint) && device.equals(other.device);
    }

    /**
     * Whether a write failed because the disk is full (or the user's quota used up). The system's
     * message says so in English; in another language the bytes left on the disk tell.
     */
    public static boolean outOfSpace(IOException e, Path written) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t instanceof FileSystemException fse && fse.getReason() != null ? fse.getReason() : t.getMessage();
            if (m != null && (m.contains("No space left on device") || m.contains("Disk quota exceeded"))) {
                return true;
            }
        }
        Disk d = of(written);
        return d != null && d.usableBytes < NEARLY_FULL;
    }

    @Override
    public String toString() {
        return mountPoint + " (" + device + ")";
    }
}
