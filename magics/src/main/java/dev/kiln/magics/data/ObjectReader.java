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
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * One object of a dataset version, read by position without pulling it, every byte verified: from
 * the cache when it holds the object; else by its {@link ObjectIndex}'s blocks, each fetched with a
 * ranged GET, checked against its hash and kept in the cache (a second read is local); an object
 * pushed without an index is fetched whole into the cache and verified as a pull does. A reader
 * that knows what it will read ({@link #prefetch}) has those blocks fetched {@code jobs} ranged GETs
 * at a time (at most 4), in order, while it decodes the first ones.
 */
public final class ObjectReader implements AutoCloseable {

    /** The most one ranged GET asks for: consecutive missing blocks go together up to this. */
    private static final long MAX_RANGE = 64L << 20;
    /** The most one prefetching GET asks for: small, so that the first bytes a decoder waits for come soon. */
    private static final long PREFETCH_RANGE = 4L << 20;
    /**
     * The most GETs one reader has in flight: they keep ahead of a decoder (about 200 MB/s of doubles);
     * 16 cost 8.2–10.4 s of CPU where 4 cost 7.8–8.0 for the same 336 MiB (README, bench/data/read).
     */
    private static final int PREFETCH_JOBS = 4;

    /** Bytes of the object to be read: {@code length} from {@code position}. */
    public record Range(long position, long length) {
    }

    private final Cache cache;
    private final Transfer transfer;
    /** The remote, opened only when something must come from it. */
    private final Supplier<Optional<Remote>> remote;
    private final ManifestEntry entry;
    private final AtomicLong fetched;
    private final int jobs;
    /** Blocks being fetched ahead of the reads that need them; each future ends once its block is cached. */
    private final Map<Integer, Future<?>> pending = new ConcurrentHashMap<>();
    /** Blocks this reader checked against their hashes before caching them: read back without hashing again. */
    private final Set<Integer> verified = ConcurrentHashMap.newKeySet();
    private ExecutorService prefetching;
    private ObjectIndex index;
    private boolean indexLooked;
    private FileChannel whole;
    private int blockAt = -1;
    private byte[] block;

    /** @param jobs how many ranged GETs {@link #prefetch} may run at once (at most {@link #PREFETCH_JOBS}) */
    ObjectReader(Cache cache, Transfer transfer, Supplier<Optional<Remote>> remote, ManifestEntry entry, AtomicLong fetched, int jobs) {
        this.cache = cache;
        this.transfer = transfer;
        this.remote = remote;
        this.entry = entry;
        this.fetched = fetched;
        this.jobs = Math.max(1, Math.min(jobs, PREFETCH_JOBS));
    }

    /** The file's path inside its dataset. */
    public String path() {
        return entry.path();
    }

    public long size() {
        return entry.size();
    }

    /**
     * Starts fetching the blocks of {@code ranges} the cache lacks, in the order of their positions,
     * {@code jobs} (at most 4) ranged GETs at a time, each block checked against its hash before it is cached;
     * {@link #readFully} then waits for the blocks it needs. A block that fails its check stops the
     * read that reaches it, naming the object. Nothing to do for an object the cache holds whole.
     */
    public void prefetch(List<Range> ranges) {
        try {
            if (wholeIfLocal() != null || ranges.isEmpty()) {
                return;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the cached copy of " + entry.path(), e);
        }
        long bs = index.blockSize();
        TreeSet<Integer> wanted = new TreeSet<>();
        for (Range r : ranges) {
            long end = Math.min(entry.size(), r.position() + r.length());
            for (long at = Math.max(0, r.position()) / bs * bs; at < end; at += bs) {
                int i = (int) (at / bs);
                if (!pending.containsKey(i) && !Files.exists(blockFile(i))) {
                    wanted.add(i);
                }
            }
        }
        if (wanted.isEmpty()) {
            return;
        }
        Remote r = remote.get().orElseThrow(this::noRemote);
        if (prefetching == null) {
            AtomicInteger n = new AtomicInteger();
            prefetching = Executors.newFixedThreadPool(jobs, task -> {
                Thread t = new Thread(task, "kiln-read-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
        }
        while (!wanted.isEmpty()) {
            int first = wanted.pollFirst();
            int last = first;
            while (wanted.contains(last + 1) && (last + 2 - first) * bs <= PREFETCH_RANGE) {
                wanted.remove(++last);
            }
            int from = first;
            int to = last;
            Future<?> run = prefetching.submit(() -> {
                fetchRun(r, from, to);
                return null;
            });
            for (int i = first; i <= last; i++) {
                pending.put(i, run);
            }
        }
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
            awaitPrefetched((int) (position / bs), (int) ((position + len - 1) / bs));
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

    /** The whole object, read in order (a CSV file): all its blocks are fetched ahead, several at a time. */
    public InputStream stream() {
        if (entry.size() > 0) {
            prefetch(List.of(new Range(0, entry.size())));
        }
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

    /** Waits for the prefetched blocks of {@code [first, last]}; rethrows what stopped their fetch. */
    private void awaitPrefetched(int first, int last) {
        for (int i = first; i <= last; i++) {
            Future<?> f = pending.get(i);
            if (f == null) {
                continue;
            }
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UserError("Interrupted while reading '" + entry.path() + "' in place.");
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException re) {
                    throw re;
                }
                throw new IllegalStateException(e.getCause());
            }
        }
    }

    /**
     * Fetches the blocks of {@code [first, last]} the cache lacks, each run of consecutive ones in one
     * ranged GET (at most {@link #MAX_RANGE} bytes).
     *
     * @throws CorruptObjectException at the first block that does not match its hash
     */
    private void fetchMissing(int first, int last) {
        long bs = index.blockSize();
        for (int i = first; i <= last; ) {
            if (i == blockAt || Files.exists(blockFile(i))) {
                i++;
                continue;
            }
            int end = i;
            while (end < last && (end + 2 - i) * bs <= MAX_RANGE && !Files.exists(blockFile(end + 1))) {
                end++;
            }
            fetchRun(remote.get().orElseThrow(this::noRemote), i, end);
            i = end + 1;
        }
    }

    /**
     * Fetches blocks {@code [first, last]} in one ranged GET, the body streamed block by block into
     * an array of its own; each is cached once it matches its hash.
     *
     * @throws CorruptObjectException at the first block that does not
     */
    private void fetchRun(Remote r, int first, int last) {
        long bs = index.blockSize();
        long from = first * bs;
        long len = Math.min(entry.size(), (last + 1) * bs) - from;
        String objectKey = RemoteLayout.object(entry.sha256());
        try (InputStream in = r.openRange(objectKey, from, len)) {
            for (int b = first; b <= last; b++) {
                long at = b * bs;
                int n = (int) Math.min(bs, entry.size() - at);
                byte[] got = new byte[n];
                int read = in.readNBytes(got, 0, n);
                fetched.addAndGet(read);
                if (read < n) {
                    throw new UserError(r.describe() + ": " + objectKey + " ends at byte " + (at + read) + ", before the " + len
                            + " bytes asked for at " + from + ". Was it replaced? Push the dataset again from a machine that has the good file.");
                }
                String actual = HexFormat.of().formatHex(Sha256.of(got, 0, n));
                if (!actual.equals(index.blocks().get(b))) {
                    throw CorruptObjectException.block(r, objectKey, entry.path(), b, at, n, index.blocks().get(b), actual);
                }
                cache.put(RemoteLayout.block(entry.sha256(), b), t -> {
                    try (FileChannel out = FileChannel.open(t, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING,
                            StandardOpenOption.CREATE)) {
                        ByteBuffer bb = ByteBuffer.wrap(got);
                        while (bb.hasRemaining()) {
                            out.write(bb);
                        }
                    }
                });
                verified.add(b);
            }
        } catch (IOException e) {
            throw new UserError(r.describe() + ": the read of " + objectKey + " ('" + entry.path() + "') broke off (" + e.getMessage()
                    + "). The blocks verified before it are cached; run the read again.", e);
        }
    }

    private Path blockFile(int i) {
        return cache.root().resolve(RemoteLayout.block(entry.sha256(), i));
    }

    /** Block {@code i}: the one in hand, from the cache, or fetched, checked and cached. */
    private byte[] block(int i) throws IOException {
        if (i == blockAt) {
            return block;
        }
        Path file = cache.root().resolve(RemoteLayout.block(entry.sha256(), i));
        byte[] b = null;
        try {
            b = Files.readAllBytes(file);
            if (!verified.contains(i) && !Sha256.hex(b).equals(index.blocks().get(i))) {
                cache.forget(RemoteLayout.block(entry.sha256(), i));
                b = null;
            }
        } catch (NoSuchFileException e) {
            // not fetched yet
        }
        if (b == null) {
            fetchRun(remote.get().orElseThrow(this::noRemote), i, i);
            b = Files.readAllBytes(file); // checked as it was fetched
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
        if (prefetching != null) {
            // a fetch in flight finishes or stops; what it cached is whole (the cache renames into place)
            prefetching.shutdownNow();
            try {
                prefetching.awaitTermination(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            if (whole != null) {
                whole.close();
            }
        } catch (IOException e) {
            // read only: nothing to lose
        }
    }
}
