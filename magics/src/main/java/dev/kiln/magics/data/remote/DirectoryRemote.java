package dev.kiln.magics.data.remote;

import dev.kiln.magics.core.TempFiles;
import dev.kiln.magics.core.UserError;
import dev.kiln.magics.core.Sha256;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A remote in a directory (a shared drive, a mounted volume, or just another folder). Files are
 * written in {@code tmp/}, named after their maker ({@link TempFiles#sharedIn}) so that a later run removes
 * those a killed one left, and published with {@code link(2)}, which fails when the name exists,
 * so a present object is never overwritten; refs are updated under a file lock.
 */
public final class DirectoryRemote implements Remote {

    /** Where files are written before they get their names; the remote layout has no key there. */
    public static final String TMP = "tmp";
    /** Earlier Kiln wrote its temporary files beside their targets under this prefix. */
    private static final String OLD_TEMP_PREFIX = ".tmp-";
    /** A ref's lock file is {@code .tmp-<ref>.lock} beside it, where every Kiln looks for it. */
    private static final String LOCK_PREFIX = ".tmp-";

    private final String name;
    private final Path root;
    private final Path tmp;

    public DirectoryRemote(String name, Path root) {
        this.name = name;
        this.root = root.toAbsolutePath().normalize();
        this.tmp = this.root.resolve(TMP);
    }

    /** The directory the remote lives in. */
    public Path root() {
        return root;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String describe() {
        return "remote '" + name + "' (" + root + ")";
    }

    @Override
    public void checkAccess() {
        if (!Files.isDirectory(root)) {
            try {
                Files.createDirectories(root);
            } catch (IOException e) {
                throw new UserError(describe() + ": the directory does not exist and cannot be created ("
                        + e.getMessage() + "). Check the path with 'kiln data remote list'.");
            }
        }
        if (!Files.isWritable(root)) {
            throw new UserError(describe() + ": the directory is not writable. Check its permissions.");
        }
        removeAbandonedTemps();
    }

    /** What killed transfers left in {@code tmp/}: one directory read per run. */
    private void removeAbandonedTemps() {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(tmp)) {
            for (Path p : ds) {
                if (TempFiles.abandonedShared(p)) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException ignored) {
            // none yet, or unreadable: cleaning up is best effort
        }
    }

    private Path newTemp() throws IOException {
        Files.createDirectories(tmp);
        return TempFiles.sharedIn(tmp);
    }

    private Path path(String key) {
        return root.resolve(key);
    }

    @Override
    public boolean exists(String key) {
        return Files.exists(path(key));
    }

    @Override
    public Set<String> list(String prefix) {
        Path dir = path(prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix);
        Set<String> keys = new HashSet<>();
        if (!Files.isDirectory(dir)) {
            return keys;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().startsWith(OLD_TEMP_PREFIX) || removeIfOldTemp(p))
                    .forEach(p -> keys.add(root.relativize(p).toString().replace('\\', '/')));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return keys;
    }

    @Override
    public java.util.List<Listed> listDetailed(String prefix) {
        java.util.List<Listed> out = new java.util.ArrayList<>();
        for (String k : list(prefix)) {
            try {
                java.nio.file.attribute.BasicFileAttributes a = Files.readAttributes(path(k),
                        java.nio.file.attribute.BasicFileAttributes.class);
                out.add(new Listed(k, a.size(), a.lastModifiedTime().toInstant()));
            } catch (NoSuchFileException e) {
                // removed since it was listed
            } catch (IOException e) {
                throw new UncheckedIOException(describe() + ": cannot read " + k, e);
            }
        }
        return out;
    }

    @Override
    public void delete(String key) {
        Path target = path(key);
        try {
            Files.deleteIfExists(target);
            // a push lock's heartbeat wrote it with writeRef; only its own push writes it, so no writer waits on the file
            Files.deleteIfExists(lockFile(target));
        } catch (IOException e) {
            throw new UncheckedIOException(describe() + ": cannot delete " + key, e);
        }
    }

    /** A file a Kiln before this one left beside its target: never a ref's lock, and untouched for a day. Never listed. */
    private static boolean removeIfOldTemp(Path p) {
        if (!p.getFileName().toString().endsWith(".lock") && TempFiles.abandonedShared(p)) {
            TempFiles.deleteQuietly(p);
        }
        return false;
    }

    @Override
    public boolean putFileIfAbsent(String key, Path file, String sha256, long size) {
        Path target = path(key);
        if (Files.exists(target)) {
            return false;
        }
        Path t = null;
        try {
            t = newTemp();
            // one pass: copied and hashed together, so the store checks what it received
            MessageDigest md = Sha256.digest();
            try (InputStream in = Files.newInputStream(file); OutputStream out = Files.newOutputStream(t,
                    StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                byte[] buf = new byte[1 << 20];
                for (int n; (n = in.readNBytes(buf, 0, buf.length)) > 0; ) {
                    Sha256.update(md, buf, 0, n);
                    out.write(buf, 0, n);
                }
            }
            if (sha256 != null && !Sha256.hex(md).equals(sha256)) {
                throw new UserError(describe() + ": " + file + " changed while it was being pushed "
                        + "(its SHA-256 is no longer " + sha256 + "). Run 'kiln data add' again.");
            }
            Files.createDirectories(target.getParent());
            return publish(t, target);
        } catch (IOException e) {
            throw new UncheckedIOException(describe() + ": cannot write " + key, e);
        } finally {
            if (t != null) {
                TempFiles.deleteQuietly(t);
            }
        }
    }

    @Override
    public boolean putBytesIfAbsent(String key, byte[] bytes) {
        Path target = path(key);
        if (Files.exists(target)) {
            return false;
        }
        Path t = null;
        try {
            t = newTemp();
            Files.write(t, bytes, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            Files.createDirectories(target.getParent());
            return publish(t, target);
        } catch (IOException e) {
            throw new UncheckedIOException(describe() + ": cannot write " + key, e);
        } finally {
            if (t != null) {
                TempFiles.deleteQuietly(t);
            }
        }
    }

    /** link(2) publishes a complete file under its name, or fails if the name is taken. */
    private static boolean publish(Path tmp, Path target) throws IOException {
        try {
            Files.createLink(target, tmp);
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        } catch (UnsupportedOperationException e) {
            if (Files.exists(target)) {
                return false;
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            return true;
        }
    }

    @Override
    public String download(String key, Path target, long expectedSize) {
        try {
            Files.copy(path(key), target, StandardCopyOption.REPLACE_EXISTING);
            return null;
        } catch (NoSuchFileException e) {
            throw new UserError(describe() + ": " + key + " is missing. Was the version pushed? "
                    + "Run 'kiln data push' from the project that made it.");
        } catch (IOException e) {
            throw new UncheckedIOException(describe() + ": cannot copy " + key + " to " + target, e);
        }
    }

    @Override
    public InputStream openRange(String key, long position, long length) {
        try {
            FileChannel in = FileChannel.open(path(key), StandardOpenOption.READ).position(position);
            return new FilterInputStream(Channels.newInputStream(in)) {
                private long left = length;

                @Override
                public int read() throws IOException {
                    byte[] one = new byte[1];
                    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    if (left <= 0) {
                        return -1;
                    }
                    int n = super.read(b, off, (int) Math.min(len, left));
                    left -= Math.max(n, 0);
                    return n;
                }
            };
        } catch (NoSuchFileException e) {
            throw new UserError(describe() + ": " + key + " is missing. Was the version pushed? "
                    + "Run 'kiln data push' from the project that made it.");
        } catch (IOException e) {
            throw new UncheckedIOException(describe() + ": cannot read " + key, e);
        }
    }

    @Override
    public Optional<byte[]> getBytes(String key) {
        try {
            return Optional.of(Files.readAllBytes(path(key)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(describe() + ": cannot read " + key, e);
        }
    }

    @Override
    public Optional<Ref> readRef(String key) {
        return getBytes(key).map(b -> new Ref(b, Sha256.hex(b)));
    }

    /** The file {@link #writeRef} locks to update {@code target}. */
    private static Path lockFile(Path target) {
        return target.resolveSibling(LOCK_PREFIX + target.getFileName() + ".lock");
    }

    @Override
    public void writeRef(String key, byte[] content, String expectedEtag) {
        Path target = path(key);
        try {
            Files.createDirectories(target.getParent());
            try (FileChannel ch = FileChannel.open(lockFile(target), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = ch.lock()) {
                Optional<Ref> current = readRef(key);
                boolean matches = expectedEtag == null ? current.isEmpty()
                        : current.isPresent() && current.get().etag().equals(expectedEtag);
                if (!matches) {
                    throw new RefConflictException(key);
                }
                Path t = newTemp();
                try {
                    Files.write(t, content, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                    Files.move(t, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } finally {
                    TempFiles.deleteQuietly(t);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(describe() + ": cannot write " + key, e);
        }
    }
}
