package dev.kiln.magics.data;

import dev.kiln.magics.cli.UserError;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A remote in a directory (a shared drive, a mounted volume, or just another folder). Objects are
 * published with {@code link(2)}, which fails when the name exists, so a present object is never
 * overwritten; refs are updated under a file lock.
 */
public final class DirectoryRemote implements Remote {

    private final String name;
    private final Path root;

    public DirectoryRemote(String name, Path root) {
        this.name = name;
        this.root = root.toAbsolutePath().normalize();
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
                    .filter(p -> !p.getFileName().toString().startsWith(".tmp-"))
                    .forEach(p -> keys.add(root.relativize(p).toString().replace('\\', '/')));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return keys;
    }

    @Override
    public boolean putFileIfAbsent(String key, Path file, String sha256, long size) {
        Path target = path(key);
        if (Files.exists(target)) {
            return false;
        }
        try {
            Files.createDirectories(target.getParent());
            Path tmp = Files.createTempFile(target.getParent(), ".tmp-", "");
            try {
                Files.copy(file, tmp, StandardCopyOption.REPLACE_EXISTING);
                if (sha256 != null && !Sha256.ofFile(tmp).equals(sha256)) {
                    throw new UserError(describe() + ": " + file + " changed while it was being pushed "
                            + "(its SHA-256 is no longer " + sha256 + "). Run 'kiln data add' again.");
                }
                return publish(tmp, target);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(describe() + ": cannot write " + key, e);
        }
    }

    @Override
    public boolean putBytesIfAbsent(String key, byte[] bytes) {
        Path target = path(key);
        if (Files.exists(target)) {
            return false;
        }
        try {
            Files.createDirectories(target.getParent());
            Path tmp = Files.createTempFile(target.getParent(), ".tmp-", "");
            try {
                Files.write(tmp, bytes);
                return publish(tmp, target);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(describe() + ": cannot write " + key, e);
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

    @Override
    public void writeRef(String key, byte[] content, String expectedEtag) {
        Path target = path(key);
        try {
            Files.createDirectories(target.getParent());
            Path lockFile = target.resolveSibling(".tmp-" + target.getFileName() + ".lock");
            try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = ch.lock()) {
                Optional<Ref> current = readRef(key);
                boolean matches = expectedEtag == null ? current.isEmpty()
                        : current.isPresent() && current.get().etag().equals(expectedEtag);
                if (!matches) {
                    throw new RefConflictException(key);
                }
                Path tmp = Files.createTempFile(target.getParent(), ".tmp-", "");
                Files.write(tmp, content);
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(describe() + ": cannot write " + key, e);
        }
    }
}
