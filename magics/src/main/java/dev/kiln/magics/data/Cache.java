package dev.kiln.magics.data;

import dev.kiln.magics.core.VersionRecord;
import dev.kiln.magics.core.Sha256;
import dev.kiln.magics.core.TempFiles;
import dev.kiln.magics.core.UserError;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Optional;

/**
 * Objects, manifests and version records by SHA-256, on local disk, shared by every project of
 * the user. Laid out like a remote. Everything enters through a temporary file that is checked
 * and then given its name ({@link #put}), so a killed process leaves no half object under a real
 * name; what comes from a remote comes through the {@link Transfer}.
 */
public final class Cache {

    private final Path root;
    private final Path tmp;
    /** Object directories known to exist, so that each is created (or checked) once per process. */
    private final java.util.Set<Path> knownDirs = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public Cache(Path root) {
        this.root = root.toAbsolutePath().normalize();
        this.tmp = this.root.resolve("tmp");
        try {
            Files.createDirectories(tmp);
        } catch (IOException e) {
            throw new UserError("Cannot create the Kiln cache at " + root + " (" + e.getMessage()
                    + "). Set KILN_CACHE_DIR to a writable directory.");
        }
        removeAbandonedTemps();
    }

    /** {@code $KILN_CACHE_DIR}, else {@code $XDG_CACHE_HOME/kiln}, else {@code ~/.cache/kiln}. */
    public static Cache forEnvironment(Map<String, String> env) {
        String dir = env.get("KILN_CACHE_DIR");
        if (dir != null && !dir.isBlank()) {
            return new Cache(Path.of(dir));
        }
        String xdg = env.get("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return new Cache(Path.of(xdg, "kiln"));
        }
        String home = env.getOrDefault("HOME", System.getProperty("user.home"));
        return new Cache(Path.of(home, ".cache", "kiln"));
    }

    public Path root() {
        return root;
    }

    public Path object(String sha256) {
        return root.resolve(RemoteLayout.object(sha256));
    }

    public boolean has(String sha256) {
        return Files.exists(object(sha256));
    }

    /**
     * Which of these objects the cache lacks. Many objects are checked by reading the directories
     * they fall in (one read per prefix) rather than one file-system call each.
     */
    public java.util.Set<String> missing(java.util.Collection<String> shas) {
        java.util.Set<String> missing = new java.util.HashSet<>();
        if (shas.size() < 2048) {
            for (String s : shas) {
                if (!has(s)) {
                    missing.add(s);
                }
            }
            return missing;
        }
        java.util.Map<String, java.util.Set<String>> present = new java.util.HashMap<>();
        for (String s : shas) {
            java.util.Set<String> names = present.computeIfAbsent(s.substring(0, 2), p -> {
                java.util.Set<String> n = new java.util.HashSet<>();
                try (DirectoryStream<Path> ds = Files.newDirectoryStream(root.resolve("objects/sha256/" + p))) {
                    for (Path f : ds) {
                        n.add(f.getFileName().toString());
                    }
                } catch (NoSuchFileException e) {
                    // no object with this prefix yet
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                return n;
            });
            if (!names.contains(s.substring(2))) {
                missing.add(s);
            }
        }
        return missing;
    }

    /** Writes a temporary file of the cache, and checks it: what it wrote is wrong, or changed meanwhile, when it throws. */
    interface Fill {
        void into(Path temp) throws IOException;
    }

    /**
     * The one way in: {@code fill} writes the content of {@code key} into a temporary file of the
     * cache and checks it, and only then does it get its name. A present key is left as it is.
     */
    void put(String key, Fill fill) {
        Path target = root.resolve(key);
        if (Files.exists(target)) {
            return;
        }
        Path t = TempFiles.sharedIn(tmp);
        try {
            fill.into(t);
            publish(t, target);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + key + " into the cache " + root, e);
        } finally {
            TempFiles.deleteQuietly(t);
        }
    }

    /**
     * Copies a workspace file into the cache. The caller has just hashed it; the copy is checked
     * against the file's size and modification time before and after, as the stat cache would be.
     *
     * @throws UserError when the file changed while it was being added
     */
    public void addFile(Path src, String sha256) {
        put(RemoteLayout.object(sha256), t -> {
            BasicFileAttributes before = Files.readAttributes(src, BasicFileAttributes.class);
            try (FileChannel in = FileChannel.open(src, StandardOpenOption.READ);
                 FileChannel out = FileChannel.open(t, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                long size = in.size();
                for (long pos = 0; pos < size; ) {
                    pos += in.transferTo(pos, size - pos, out);
                }
            }
            BasicFileAttributes after = Files.readAttributes(src, BasicFileAttributes.class);
            if (before.size() != after.size() || !before.lastModifiedTime().equals(after.lastModifiedTime())
                    || Files.size(t) != after.size()) {
                throw new UserError(src + " changed while it was being added. Run the command again.");
            }
        });
    }

    /** Re-hashes a cached object; a damaged one is removed so that it is fetched again. */
    public boolean verify(String sha256) {
        Path p = object(sha256);
        try {
            if (Sha256.ofFile(p).equals(sha256)) {
                return true;
            }
            Files.deleteIfExists(p);
            return false;
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Gives the checked temporary file its real name. A hard link does it in one step without the
     * file system's lock on renames between directories, which serializes parallel fetches; a file
     * system without links gets a rename. An object that appeared meanwhile (another process
     * cached it first) is left as it is: same name, same content.
     */
    private void publish(Path t, Path target) throws IOException {
        Path dir = target.getParent();
        if (!knownDirs.contains(dir)) {
            Files.createDirectories(dir);
            knownDirs.add(dir);
        }
        try {
            // read-only, because workspaces hard-link to it
            Files.setPosixFilePermissions(t, PosixFilePermissions.fromString("r--r--r--"));
        } catch (UnsupportedOperationException ignored) {
            // not a POSIX file system
        }
        try {
            Files.createLink(target, t);
        } catch (FileAlreadyExistsException e) {
            // another process cached the same object first
        } catch (UnsupportedOperationException | FileSystemException e) {
            if (e instanceof FileSystemException && Files.exists(target)) {
                return;
            }
            try {
                Files.move(t, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException raced) {
                // as above
            }
        }
    }

    // --- metadata: manifests and version records, mirrored from the remote layout ---

    public Optional<Manifest> manifest(String sha256) {
        return readVerified(RemoteLayout.manifest(sha256), sha256).map(Manifest::parse);
    }

    public void putManifest(String sha256, byte[] canonical) {
        writeMeta(RemoteLayout.manifest(sha256), canonical);
    }

    public Optional<VersionRecord> version(String dataset, String id) {
        if (!RemoteLayout.isName(dataset) || !Sha256.isHex(id)) {
            return Optional.empty();
        }
        return readVerified(RemoteLayout.version(dataset, id), id).map(Metadata::parseVersion);
    }

    /** The ids of the versions of {@code dataset} in the cache that start with {@code prefix}. */
    public java.util.Set<String> versionIds(String dataset, String prefix) {
        java.util.Set<String> ids = new java.util.TreeSet<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(root.resolve(RemoteLayout.versionsPrefix(dataset)),
                prefix + "*.json")) {
            for (Path f : ds) {
                String id = f.getFileName().toString().replace(".json", "");
                if (Sha256.isHex(id)) {
                    ids.add(id);
                }
            }
        } catch (NoSuchFileException e) {
            // no version of this dataset here
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return ids;
    }

    public void putVersion(String dataset, String id, byte[] canonical) {
        writeMeta(RemoteLayout.version(dataset, id), canonical);
    }

    public Optional<byte[]> meta(String key) {
        try {
            return Optional.of(Files.readAllBytes(root.resolve(key)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Removes a cached file by its key (an index or block found damaged), so it is fetched again. */
    void forget(String key) {
        TempFiles.deleteQuietly(root.resolve(key));
    }

    private Optional<byte[]> readVerified(String key, String sha256) {
        Optional<byte[]> b = meta(key);
        if (b.isPresent() && !Sha256.hex(b.get()).equals(sha256)) {
            TempFiles.deleteQuietly(root.resolve(key));
            return Optional.empty();
        }
        return b;
    }

    void writeMeta(String key, byte[] bytes) {
        put(key, t -> Files.write(t, bytes));
    }

    /** Temporary files of processes that died (a pull killed midway) are removed. */
    private void removeAbandonedTemps() {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(tmp)) {
            for (Path p : ds) {
                if (TempFiles.abandonedShared(p)) {
                    TempFiles.deleteQuietly(p);
                }
            }
        } catch (IOException ignored) {
            // cleaning up is best effort
        }
    }
}
