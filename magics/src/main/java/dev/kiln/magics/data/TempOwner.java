package dev.kiln.magics.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;

/**
 * The maker of a temporary file on storage that other machines may share (a directory remote, a
 * journal of uploads): this boot of this machine and this process, written into the file's name so
 * that a later run can tell whether the maker is gone and the file abandoned.
 */
final class TempOwner {

    /** A file whose maker lives elsewhere is abandoned once it has not changed for this long. */
    static final Duration IDLE = Duration.ofHours(24);

    /** This boot's id, or null where the system does not say (then only age tells). */
    private static final String BOOT = bootId();

    /** This process's tag, {@code <boot id>.<pid>}: no '-' or '.' inside either part but the boot id's dashes. */
    static String self() {
        return (BOOT != null ? BOOT : "unknown") + "." + ProcessHandle.current().pid();
    }

    /**
     * Whether the file named {@code <tag>.<anything>} was left by a process that is gone: one of
     * this boot that no longer runs, or (a machine or boot we cannot see) one that stopped touching
     * it {@link #IDLE} ago.
     */
    static boolean abandoned(Path file) {
        String name = file.getFileName().toString();
        String[] parts = name.split("\\.", 3);
        if (BOOT != null && parts.length >= 2 && parts[0].equals(BOOT)) {
            try {
                long pid = Long.parseLong(parts[1]);
                return !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
            } catch (NumberFormatException e) {
                // not a tag of ours: judged by its age below
            }
        }
        try {
            FileTime modified = Files.getLastModifiedTime(file);
            return modified.toInstant().isBefore(Instant.now().minus(IDLE));
        } catch (IOException e) {
            return false;
        }
    }

    private static String bootId() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/random/boot_id"), StandardCharsets.US_ASCII).strip();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private TempOwner() {
    }
}
