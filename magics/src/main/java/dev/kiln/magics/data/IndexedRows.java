package dev.kiln.magics.data;

import dev.kiln.magics.core.VersionRecord;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The rows of a version's tables as {@code add} counted them into its objects' indexes in the cache,
 * so the rows of a CSV file are known without reading it again (the sidecar's history shows them).
 */
public final class IndexedRows {

    /** Beyond this many files, reading their indexes is no longer a small price for a nicety. */
    static final long MAX_FILES = 10_000;

    /** Tables whose rows no index counts: TSV, JSON lines, spreadsheets, other columnar files, and compressed CSV but gzip. */
    private static final Pattern UNCOUNTED = Pattern.compile(
            ".*\\.((csv|tsv|tab|json|jsonl|ndjson|parquet)(\\.(gz|bz2|xz|zst|zstd|lz4|zip|br))|tsv|tab|json|jsonl|ndjson"
                    + "|xlsx|xls|ods|orc|avro|arrow|feather|ipc)$");

    /**
     * The rows of version {@code v}'s CSV and Parquet files, or null when they are not all known: the
     * version has no table, or a table whose rows add does not count ({@link #uncountedTable}), or the
     * cache lacks its manifest or a table's index (a version pulled, not added, here), or an index is
     * damaged, or the version has more than {@value #MAX_FILES} files.
     */
    public static Long of(Cache cache, VersionRecord v) {
        if (v.files() > MAX_FILES) {
            return null;
        }
        try {
            Optional<Manifest> manifest = cache.manifest(v.manifest());
            if (manifest.isEmpty()) {
                return null;
            }
            if (manifest.get().files().stream().anyMatch(e -> uncountedTable(e.path()))) {
                return null; // known from the names alone, before reading any index
            }
            long rows = 0;
            boolean anyTable = false;
            for (ManifestEntry e : manifest.get().files()) {
                if (!TableSummary.describes(e.path())) {
                    continue; // no table: a README, an image
                }
                Optional<Long> counted = cache.meta(RemoteLayout.objectIndex(e.sha256()))
                        .flatMap(b -> ObjectIndex.parse(b, e)).map(ObjectIndex::rows).filter(n -> n >= 0);
                if (counted.isEmpty()) {
                    return null; // no index, a damaged one, or one of a file add could not read as a table
                }
                rows = Math.addExact(rows, counted.get());
                anyTable = true;
            }
            return anyTable ? rows : null;
        } catch (RuntimeException e) {
            return null; // a cache that cannot be read leaves the rows unknown; the record goes out without them
        }
    }

    /**
     * Whether a file of this name is a table whose rows neither an index nor a Parquet footer holds,
     * so that a sum of a version's rows without it would count too few.
     */
    public static boolean uncountedTable(String path) {
        return !TableSummary.describes(path) && UNCOUNTED.matcher(path.toLowerCase(Locale.ROOT)).matches();
    }

    private IndexedRows() {
    }
}
