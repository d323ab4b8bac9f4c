package dev.kiln.magics.data.remote;

import dev.kiln.magics.data.RemoteConfig;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Moves bytes to and from one place (an S3 prefix or a directory), by key. Knows nothing of
 * hashes beyond passing the one it is given along for the store to check, nor of datasets.
 * Implementations are thread-safe: transfers run in parallel.
 */
public interface Remote extends AutoCloseable {

    /**
     * The remote {@code config} names, not yet checked ({@link #checkAccess}).
     *
     * @param projectDir what a directory remote's relative path is relative to
     * @param journal    where an S3 remote notes its uploads in progress (see {@link S3Remote})
     */
    static Remote of(RemoteConfig config, Map<String, String> env, int jobs, Path projectDir, Path journal) {
        return config.isS3() ? new S3Remote(config, env, jobs, journal)
                : new DirectoryRemote(config.name(), config.directory(projectDir));
    }

    /** The remote's name in {@code kiln.yaml}. */
    String name();

    /** How error messages name it: {@code remote 'team' (s3://bucket/prefix at http://…)}. */
    String describe();

    /** Fails with a {@link dev.kiln.magics.core.UserError} naming the remote when it cannot be used. */
    void checkAccess();

    boolean exists(String key);

    /** Keys under {@code prefix} (the full keys, relative to the remote's root). */
    Set<String> list(String prefix);

    /** A key with its size and when it was written. */
    record Listed(String key, long size, java.time.Instant modified) {
    }

    /** As {@link #list}, with each key's size and time of writing (what {@code gc} keeps by age). */
    java.util.List<Listed> listDetailed(String prefix);

    /** Removes the key; nothing happens when it is absent. Only {@code gc} removes, and never a ref or version record. */
    void delete(String key);

    /**
     * Stores {@code file} under {@code key} unless something is already there.
     *
     * @param sha256 the file's SHA-256 (hex), checked by the store where it can
     * @return true when uploaded, false when the key was already present (nothing sent twice)
     */
    boolean putFileIfAbsent(String key, Path file, String sha256, long size);

    /** As {@link #putFileIfAbsent} for small metadata (manifests, version records). */
    boolean putBytesIfAbsent(String key, byte[] bytes);

    /**
     * Writes the object at {@code key} to {@code target} (created or truncated).
     *
     * @return the SHA-256 (hex) of the bytes written when it was computed on the way, else {@code null}
     */
    String download(String key, Path target, long expectedSize);

    Optional<byte[]> getBytes(String key);

    /**
     * The {@code length} bytes of the object at {@code key} from {@code position} (a ranged GET), as
     * they arrive, for the caller to read and close; a {@link dev.kiln.magics.core.UserError} naming the
     * object when it is missing. A stream that ends before {@code length} bytes means the object is shorter.
     */
    InputStream openRange(String key, long position, long length);

    /** A movable name: its content and a tag that changes whenever the content does. */
    record Ref(byte[] content, String etag) {
    }

    Optional<Ref> readRef(String key);

    /**
     * Writes a ref only if it is still as the caller read it.
     *
     * @param expectedEtag the etag read before, or {@code null} when the ref must not exist yet
     * @throws RefConflictException when someone else changed it in between
     */
    void writeRef(String key, byte[] content, String expectedEtag);

    @Override
    default void close() {
    }
}
