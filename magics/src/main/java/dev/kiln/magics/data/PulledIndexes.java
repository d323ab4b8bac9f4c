package dev.kiln.magics.data;

import dev.kiln.magics.data.remote.Remote;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The indexes push sent beside a version's tables ({@link ObjectIndex}), fetched into the cache by
 * pull and checkout so that a version pulled, not added, here has its rows known as on its author's
 * machine ({@link IndexedRows}). An index is kept only when it describes the object the cache holds,
 * which pull has verified: its hash and size, each block's hash (read again from that object) and,
 * for Parquet, the rows of its footer. A CSV file's rows are push's word: counting them again is
 * the reading the index spares. An index missing (an older push), damaged or out of reach leaves
 * the rows unknown and the pull as it is.
 */
final class PulledIndexes {

    private final Cache cache;
    private final int jobs;

    PulledIndexes(Cache cache, int jobs) {
        this.cache = cache;
        this.jobs = jobs;
    }

    /**
     * Fetches the indexes of {@code version}'s cached tables that the cache lacks. Nothing when its
     * rows could not be known anyway (too many files, a table no index counts).
     *
     * @param remote opened only when an index is missing
     * @return how many indexes were fetched and kept
     */
    int fetch(Manifest version, Supplier<Remote> remote) {
        if (version.files().size() > IndexedRows.MAX_FILES
                || version.files().stream().anyMatch(e -> IndexedRows.uncountedTable(e.path()))) {
            return 0;
        }
        List<ManifestEntry> wanted = new ArrayList<>();
        for (ManifestEntry e : version.files()) {
            if (TableSummary.describes(e.path()) && !cachedFits(e) && cache.has(e.sha256())) {
                wanted.add(e);
            }
        }
        if (wanted.isEmpty()) {
            return 0;
        }
        Remote r = remote.get();
        AtomicInteger kept = new AtomicInteger();
        Parallel.forEach(wanted, jobs, e -> {
            String key = RemoteLayout.objectIndex(e.sha256());
            Optional<byte[]> bytes = r.getBytes(key);
            if (bytes.isPresent() && ObjectIndex.parse(bytes.get(), e).filter(i -> describes(i, e)).isPresent()) {
                cache.writeMeta(key, bytes.get());
                kept.incrementAndGet();
            }
        });
        return kept.get();
    }

    /** Whether the cache holds an index that fits the entry; a damaged one is removed, to be fetched again. */
    private boolean cachedFits(ManifestEntry e) {
        String key = RemoteLayout.objectIndex(e.sha256());
        Optional<byte[]> cached = cache.meta(key);
        if (cached.isPresent() && ObjectIndex.parse(cached.get(), e).isEmpty()) {
            cache.forget(key);
            return false;
        }
        return cached.isPresent();
    }

    /** Whether what the index says of blocks and Parquet rows is what the cached object holds. */
    private boolean describes(ObjectIndex i, ManifestEntry e) {
        if (i.rows() != null && i.rows() < 0) {
            return false;
        }
        if (!i.blocks().isEmpty() && !i.blocks().equals(ObjectIndex.blockHashes(cache.object(e.sha256()), i.blockSize()))) {
            return false;
        }
        if (e.path().toLowerCase(Locale.ROOT).endsWith(".parquet")) {
            TableSummary footer = TableSummary.of(cache.object(e.sha256()), e.path());
            return footer != null && Objects.equals(i.rows(), footer.rows());
        }
        return true;
    }
}
