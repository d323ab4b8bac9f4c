package dev.kiln.magics.data;

import com.fasterxml.jackson.core.JacksonException;
import dev.kiln.magics.core.CanonicalJson;
import dev.kiln.magics.core.Sha256;
import dev.kiln.magics.core.UserError;
import dev.kiln.magics.data.remote.Remote;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What push records of an object beside it ({@link RemoteLayout#objectIndex}), so that a version can
 * be listed and read in place without pulling it: the SHA-256 of each {@link #BLOCK_SIZE} block
 * (a ranged read checks every block it touched), and for a CSV or Parquet file its rows and columns.
 * A sidecar rather than a field of the manifest: manifests are made by add, before push, and their
 * ids (and those of every version already recorded) stay as they were.
 *
 * @param blocks  the blocks' hashes in order; empty for an object of one block (read whole)
 * @param rows    the table's rows, or null when the object is not a table file
 * @param columns the table's columns in file order (a CSV column's type is null), or null
 */
public record ObjectIndex(String sha256, long size, long blockSize, List<String> blocks, Long rows, List<Column> columns) {

    /**
     * Objects are hashed in blocks of 1 MiB: a column chunk of a 16 MiB row group (parquet convert's
     * default) is a few MiB, and 8 MiB blocks made reading 2 of 8 columns fetch every block (bench/data/read).
     */
    public static final long BLOCK_SIZE = 1L << 20;

    public record Column(String name, String type) {
    }

    public ObjectIndex {
        blocks = blocks == null ? List.of() : List.copyOf(blocks);
        columns = columns == null ? null : List.copyOf(columns);
    }

    /** Whether push writes an index for this file: one of several blocks, or a table file. */
    static boolean wanted(ManifestEntry e) {
        return e.size() > BLOCK_SIZE || TableSummary.describes(e.path());
    }

    /** The index of {@code file}, whose content is {@code sha256}, as the table {@code name} says. */
    static ObjectIndex of(Path file, String sha256, long size, String name) {
        List<String> blocks = size > BLOCK_SIZE ? blockHashes(file, BLOCK_SIZE) : List.of();
        TableSummary t = TableSummary.describes(name) ? TableSummary.of(file, name) : null;
        return new ObjectIndex(sha256, size, BLOCK_SIZE, blocks, t == null ? null : t.rows(), t == null ? null : columns(t));
    }

    /** The SHA-256 of each {@code blockSize} block of {@code file} (the last may be shorter), read in small pieces. */
    static List<String> blockHashes(Path file, long blockSize) {
        List<String> hashes = new ArrayList<>();
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = Sha256.digest();
            long inBlock = 0;
            for (int n; (n = in.readNBytes(buf, 0, (int) Math.min(buf.length, blockSize - inBlock))) > 0; ) {
                Sha256.update(md, buf, 0, n);
                inBlock += n;
                if (inBlock == blockSize) {
                    hashes.add(Sha256.hex(md));
                    md = Sha256.digest();
                    inBlock = 0;
                }
            }
            if (inBlock > 0) {
                hashes.add(Sha256.hex(md));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return hashes;
    }

    static List<Column> columns(TableSummary t) {
        List<Column> cols = new ArrayList<>();
        t.columns().forEach((name, type) -> cols.add(new Column(name, type)));
        return cols;
    }

    public byte[] canonicalBytes() {
        return CanonicalJson.DATA.bytes(this);
    }

    /** How many blocks the object has. */
    int blockCount() {
        return (int) ((size + blockSize - 1) / blockSize);
    }

    /**
     * Reads an index and checks it belongs to {@code e}: its object, its size, one hash per block.
     *
     * @return empty when the bytes are not an index of that object
     */
    static Optional<ObjectIndex> parse(byte[] json, ManifestEntry e) {
        try {
            ObjectIndex i = CanonicalJson.mapper().readValue(json, ObjectIndex.class);
            boolean fits = i != null && e.sha256().equals(i.sha256()) && i.size() == e.size() && i.blockSize() > 0
                    && (i.blocks().isEmpty() || i.blocks().size() == i.blockCount())
                    && i.blocks().stream().allMatch(Sha256::isHex);
            return fits ? Optional.of(i) : Optional.empty();
        } catch (JacksonException ex) {
            return Optional.empty();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * The index of {@code e}: from the cache, else from the remote (then kept in the cache); empty
     * for an object pushed before indexes were written.
     *
     * @throws UserError when the remote's index does not fit the object it names
     */
    static Optional<ObjectIndex> find(Cache cache, Supplier<Optional<Remote>> remotes, ManifestEntry e) {
        String key = RemoteLayout.objectIndex(e.sha256());
        Optional<byte[]> cached = cache.meta(key);
        if (cached.isPresent()) {
            Optional<ObjectIndex> i = parse(cached.get(), e);
            if (i.isPresent()) {
                return i;
            }
            cache.forget(key);
        }
        Optional<Remote> remote = remotes.get();
        if (remote.isEmpty()) {
            return Optional.empty();
        }
        Optional<byte[]> bytes = remote.get().getBytes(key);
        if (bytes.isEmpty()) {
            return Optional.empty();
        }
        ObjectIndex i = parse(bytes.get(), e).orElseThrow(() -> new UserError(remote.get().describe() + ": " + key
                + ", the index of '" + e.path() + "', is damaged (it does not describe object " + e.sha256().substring(0, 12)
                + "). It was not used. Pull the dataset whole with 'kiln data pull', or push it again to rewrite the index."));
        try {
            cache.writeMeta(key, bytes.get());
        } catch (UncheckedIOException ex) {
            // the remote still has it: the next read fetches it again
        }
        return Optional.of(i);
    }
}
