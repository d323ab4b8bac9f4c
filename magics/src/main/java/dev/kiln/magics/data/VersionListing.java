package dev.kiln.magics.data;

import dev.kiln.magics.data.remote.Remote;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code kiln data ls NAME@VERSION [PATH]}: a version's files with size and hash, and for CSV and
 * Parquet files their rows and columns, from the objects' indexes (the cache's, else the remote's)
 * or the cached object itself; nothing is pulled.
 */
public final class VersionListing {

    /**
     * One file of {@code kiln data ls}.
     *
     * @param rows    a CSV or Parquet file's rows, null when unknown or not a table
     * @param columns its columns in file order (a CSV column's type is null), null likewise
     */
    public record ListedFile(String path, String sha256, long size, Long rows, List<ObjectIndex.Column> columns) {
    }

    /** @param subpath the path asked for inside the dataset ("" for all of it) */
    public record LsResult(String dataset, String version, String subpath, List<ListedFile> files) {
        public long size() {
            return files.stream().mapToLong(ListedFile::size).sum();
        }
    }

    private final ProjectContext project;
    private final VersionSpecs specs;

    VersionListing(ProjectContext project, VersionSpecs specs) {
        this.project = project;
        this.specs = specs;
    }

    LsResult list(String spec, String remoteName) {
        VersionObjects.Listing l = new VersionObjects(project, specs).list(spec, remoteName);
        Cache cache = project.cache();
        Supplier<Optional<Remote>> remote = () -> project.hasRemote(remoteName) ? Optional.of(project.remote(remoteName))
                : Optional.empty();
        List<ManifestEntry> files = l.files();
        ListedFile[] rows = new ListedFile[files.size()];
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            order.add(i);
        }
        Parallel.forEach(order, project.jobs(), i -> {
            ManifestEntry e = files.get(i);
            ObjectIndex index = TableSummary.describes(e.path()) ? table(cache, remote, e) : null;
            rows[i] = new ListedFile(e.path(), e.sha256(), e.size(),
                    index == null ? null : index.rows(), index == null ? null : index.columns());
        });
        return new LsResult(l.dataset(), l.version(), l.subpath(), List.of(rows));
    }

    /** The object's index with its table; null when neither the cache nor the remote can tell without pulling. */
    private static ObjectIndex table(Cache cache, Supplier<Optional<Remote>> remote, ManifestEntry e) {
        if (cache.has(e.sha256())) {
            Optional<ObjectIndex> cached = cache.meta(RemoteLayout.objectIndex(e.sha256())).flatMap(b -> ObjectIndex.parse(b, e));
            if (cached.isPresent()) {
                return cached.get();
            }
            TableSummary t = TableSummary.of(cache.object(e.sha256()), e.path());
            return t == null ? null : new ObjectIndex(e.sha256(), e.size(), ObjectIndex.BLOCK_SIZE, List.of(), t.rows(),
                    ObjectIndex.columns(t));
        }
        return ObjectIndex.find(cache, remote, e).filter(i -> i.rows() != null).orElse(null);
    }
}
