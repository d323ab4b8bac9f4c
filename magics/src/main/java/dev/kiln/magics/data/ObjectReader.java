package dev.kiln.magics.data;

import dev.kiln.magics.core.Sha256;
import dev.kiln.magics.core.UserError;
import dev.kiln.magics.data.remote.Remote;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * One object of a dataset version, read by position without pulling it, every byte verified: from
 * the cache when it holds the object; else by its {@link ObjectIndex}'s blocks, each fetched with a
 * ranged GET, checked against its hash and kept in the cache (a second read is local); an object
 * pushed without an index is fetched whole into the cache and verified as a pull does.
 */
public final class ObjectReader implements AutoCloseable {

    /** The most one ranged GET asks for: consecutive missing blocks go together up to this. */
    private static final long MAX_RANGE = 64L << 20;

    private final Cache cache;
    private final Transfer transfer;
    /** The remote, opened only when something must come from it. */
    private final Supplier<Optional<Remote>> remote;
    private final ManifestEntry entry;
    private final AtomicLong fetched;
    private ObjectIndex index;
    private boolean indexLooked;
    private FileChannel whole;
    private int blockAt = -1;
    private byte[] block;

    ObjectReader(Cache cache, Transfer transfer, Supplier<Optional<Remote>> remote, ManifestEntry entry, AtomicLong fetched) {
        this.cache = cache;
        this.transfer = transfer;
        this.remote = remote;
        this.entry = entry;
        this.fetched = fetched;
    }

    /** The file's path inside its dataset. */
    public String path() {
        return entry.path();
    }

    public long size() {
        return entry.size();
    }

    /**
     * Fills {@code b[off, off + len)} with the object's bytes from {@code position}.
     *
     * @throws CorruptObjectException when a fetched block does not hash to what the index says
     */
    public void readFully(long position, byte[] b, int off, int len) {
        if (position < 0 || position + len > entry.size()) {
            throw new IllegalArgumentException("bytes " + position + "+" + len + " are outside " + entry.path()
                    + " (" + entry.size() + " bytes)");
        }
        if (len == 0) {
            return;
        }
        try {
            FileChannel local = wholeIfLocal();
            if (local != null) {
                ByteBuffer bb = ByteBuffer.wrap(b, off, len);
                while (bb.hasRemaining()) {
                    if (local.read(bb, position + bb.position() - off) < 0) {
                        throw new UserError("The cached copy of '" + entry.path() + "' (" + cache.object(entry.sha256())
                                + ") is shorter than its " + entry.size() + " bytes. Delete it; the next read fetches it again.");
                    }
                }
                return;
            }
            long bs = index.blockSize();
            fetchMissing((int) (position / bs), (int) ((position + len - 1) / bs));
            for (int done = 0; done < len; ) {
                long at = position + done;
                int i = (int) (at / bs);
                byte[] blk = block(i);
                int from = (int) (at - i * bs);
                int n = Math.min(len - done, blk.length - from);
                System.arraycopy(blk, from, b, off + done, n);
                done += n;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the cached copy of " + entry.path(), e);
        }
    }

    /** The whole object, read in order (a CSV file). */
    public InputStream stream() {
        return new InputStream() {
            private long pos;

            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (pos >= entry.size()) {
                    return -1;
                }
                int n = (int) Math.min(len, entry.size() - pos);
                readFully(pos, b, off, n);
                pos += n;
                return n;
            }
        };
    }

    /** The cached object, opened; fetched whole first when it has no index of blocks to read by. */
    private FileChannel wholeIfLocal() throws IOException {
        if (whole != null) {
            return whole;
        }
        if (!cache.has(entry.sha256())) {
            if (!indexLooked) {
                index = ObjectIndex.find(cache, remote, entry).filter(i -> !i.blocks().isEmpty()).orElse(null);
                indexLooked = true;
            }
            if (index != null) {
                return null;
            }
            // pushed before indexes, or a single block: verified whole, as a pull does
            transfer.fetch(remote.get().orElseThrow(this::noRemote), entry.sha256(), entry.size());
            fetched.addAndGet(entry.size());
        }
        whole = FileChannel.open(cache.object(entry.sha256()), StandardOpenOption.READ);
        return whole;
    }

    /**
     * Fetches the blocks of {@code [first, last]} the cache lacks, each run of consecutive ones in one
     * ranged GET (at most {@link #MAX_RANGE} bytes), and caches each block once it matches its hash.
     *
     * @throws CorruptObjectException at the first block that does not
     */
    private void fetchMissing(int first, int last) {
        long bs = index.blockSize();
        for (int i = first; i <= last; ) {
            if (i == blockAt || Files.exists(cache.root().resolve(RemoteLayout.block(entry.sha256(), i)))) {
                i++;
                continue;
            }
            int end = i;
            while (end < last && (end + 2 - i) * bs <= MAX_RANGE
                    && !Files.exists(cache.root().resolve(RemoteLayout.block(entry.sha256(), end + 1)))) {
                end++;
            }
            Remote r = remote.get().orElseThrow(this::noRemote);
            long from = i * bs;
            int len = (int) (Math.min(entry.size(), (end + 1) * bs) - from);
            String objectKey = RemoteLayout.object(entry.sha256());
            byte[] got = r.getRange(objectKey, from, len);
            fetched.addAndGet(len);
            for (int b = i; b <= end; b++) {
                int off = (int) ((b - i) * bs);
                int n = (int) Math.min(bs, len - off);
                String actual = java.util.HexFormat.of().formatHex(Sha256.of(got, off, n));
                if (!actual.equals(index.blocks().get(b))) {
                    throw CorruptObjectException.block(r, objectKey, entry.path(), b, from + off, n, index.blocks().get(b), actual);
                }
                cache.put(RemoteLayout.block(entry.sha256(), b), t -> Files.write(t, java.util.Arrays.copyOfRange(got, off, off + n)));
            }
            i = end + 1;
        }
    }

    /** Block {@code i}: the one in hand, from the cache, or fetched, checked and cached. */
    private byte[] block(int i) throws IOException {
        if (i == blockAt) {
            return block;
        }
        String key = RemoteLayout.block(entry.sha256(), i);
        String expected = index.blocks().get(i);
        byte[] b = null;
        try {
            b = Files.readAllBytes(cache.root().resolve(key));
            if (!Sha256.hex(b).equals(expected)) {
                cache.forget(key);
                b = null;
            }
        } catch (NoSuchFileException e) {
            // not fetched yet
        }
        if (b == null) {
            Remote r = remote.get().orElseThrow(this::noRemote);
            long from = i * index.blockSize();
            int len = (int) Math.min(index.blockSize(), entry.size() - from);
            byte[] got = r.getRange(RemoteLayout.object(entry.sha256()), from, len);
            fetched.addAndGet(len);
            String actual = Sha256.hex(got);
            if (!actual.equals(expected)) {
                throw CorruptObjectException.block(r, RemoteLayout.object(entry.sha256()), entry.path(), i, from, len, expected, actual);
            }
            cache.put(key, t -> Files.write(t, got));
            b = got;
        }
        blockAt = i;
        block = b;
        return b;
    }

    private UserError noRemote() {
        return new UserError("'" + entry.path() + "' (" + entry.sha256().substring(0, 12) + ") is not in the cache and no "
                + "remote is configured to read it from. Add one with 'kiln data remote add NAME URL'.");
    }

    @Override
    public void close() {
        try {
            if (whole != null) {
                whole.close();
            }
        } catch (IOException e) {
            // read only: nothing to lose
        }
    }
}
