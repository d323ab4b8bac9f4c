package dev.kiln.magics.core;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Whole-file writes that a killed process, a full disk or a failing writer cannot leave half
 * done: the content goes to a fresh temporary file beside the target, which is then renamed over
 * it. A failure leaves the target as it was and no temporary file behind.
 */
public final class AtomicFiles {

    /** Writes the body's output; see the class comment. */
    public interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    private static final Set<PosixFilePermission> READABLE = PosixFilePermissions.fromString("rw-r--r--");

    public static void write(Path file, byte[] bytes) throws IOException {
        write(file, null, out -> out.write(bytes));
    }

    public static void writeString(Path file, String text) throws IOException {
        write(file, text.getBytes(StandardCharsets.UTF_8));
    }

    public static void writeString(Path file, Set<PosixFilePermission> permissions, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        write(file, permissions, out -> out.write(bytes));
    }

    /**
     * @param permissions the file's permissions; {@code null}: those of the file it replaces, or
     *     {@code rw-r--r--} less the umask for a new file
     */
    public static void write(Path file, Set<PosixFilePermission> permissions, Body body) throws IOException {
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        Files.createDirectories(dir);
        boolean posix = target.getFileSystem().supportedFileAttributeViews().contains("posix");
        // given, or the replaced file's, exactly; a new file's as the umask allows
        Set<PosixFilePermission> exact = !posix ? null
                : permissions != null ? permissions
                : Files.exists(target) ? Files.getPosixFilePermissions(target) : null;
        Set<PosixFilePermission> initial = exact != null ? exact : READABLE;
        Path tmp = posix
                ? Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp", PosixFilePermissions.asFileAttribute(initial))
                : Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
        try {
            if (exact != null) {
                Files.setPosixFilePermissions(tmp, exact);
            }
            try (OutputStream out = Files.newOutputStream(tmp)) {
                body.writeTo(out);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private AtomicFiles() {
    }
}
