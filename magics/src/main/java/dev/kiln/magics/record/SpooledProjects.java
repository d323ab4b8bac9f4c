package dev.kiln.magics.record;

import dev.kiln.magics.core.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * The projects that record for the sidecar of one info file, so that a sidecar started later
 * delivers what they left in their spools (a CLI command run while the sidecar was down, say): one
 * small file per project in {@code projects/} beside the info file, holding the project's path.
 * The sidecar makes the folder when it starts; where none ever ran, nothing is written (nobody
 * would collect, and tests and one-off commands would leave entries in the user's home).
 * Readable by the user alone, like the info file.
 */
public final class SpooledProjects {

    private final Path dir;

    public SpooledProjects(Path dir) {
        this.dir = dir;
    }

    /** The registry of the sidecar whose info file is {@code infoFile}. */
    public static SpooledProjects beside(Path infoFile) {
        return new SpooledProjects(infoFile.toAbsolutePath().resolveSibling("projects"));
    }

    public Path dir() {
        return dir;
    }

    /** Makes the registry, for the sidecar that collects from it (mode 0700). */
    public void create() throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
    }

    /**
     * Names {@code projectDir} when a sidecar made the registry; quietly does nothing when there is
     * none or it cannot be written (the records still wait in the spool).
     */
    public void add(Path projectDir) {
        String path = projectDir.toAbsolutePath().normalize().toString();
        Path entry = dir.resolve(key(path));
        try {
            if (!Files.isDirectory(dir) || Files.isRegularFile(entry)) {
                return;
            }
            AtomicFiles.writeString(entry, PosixFilePermissions.fromString("rw-------"), path + "\n");
        } catch (IOException | RuntimeException e) {
            // the registry only saves waiting for the project's next record; the spool is what matters
        }
    }

    /**
     * The projects named, those that still exist; entries of projects since removed are dropped.
     * None when another user could have written the registry: the sidecar would post what their
     * spools hold as records without their knowing the token.
     */
    public List<Path> projects() {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS) || !ownedByThisUserAlone(dir)) {
            return out;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, "*.project")) {
            for (Path entry : entries) {
                if (!Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS) || !ownedByThisUserAlone(entry)) {
                    continue;
                }
                Path project = Path.of(Files.readString(entry, StandardCharsets.UTF_8).strip());
                if (project.isAbsolute() && Files.isDirectory(project)) {
                    out.add(project);
                } else {
                    Files.deleteIfExists(entry);
                }
            }
        } catch (IOException | RuntimeException e) {
            // a registry that cannot be read is one without entries: --project still works
        }
        out.sort(null);
        return out;
    }

    private static boolean ownedByThisUserAlone(Path p) {
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS);
            return Files.getOwner(p, LinkOption.NOFOLLOW_LINKS).getName().equals(System.getProperty("user.name"))
                    && !perms.contains(PosixFilePermission.GROUP_WRITE) && !perms.contains(PosixFilePermission.OTHERS_WRITE);
        } catch (UnsupportedOperationException e) {
            return true; // no POSIX owners here: nothing to check against
        } catch (IOException e) {
            return false;
        }
    }

    /** One file per project, named for its path's hash: adding the same project twice finds the same file. */
    private static String key(String path) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(path.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 12) + ".project";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
