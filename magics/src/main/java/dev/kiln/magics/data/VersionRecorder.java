package dev.kiln.magics.data;

import dev.kiln.magics.core.Lineage;
import dev.kiln.magics.core.VersionRecord;
import dev.kiln.magics.core.Sha256;
import dev.kiln.magics.core.Progress;
import dev.kiln.magics.core.UserError;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code kiln data add}: records a directory's content as a new version of a dataset, its objects
 * and metadata in the cache, and pins it in kiln.lock. Push publishes it.
 */
final class VersionRecorder {

    private final ProjectContext project;

    VersionRecorder(ProjectContext project) {
        this.project = project;
    }

    /**
     * Records {@code dir} as a new version of {@code dataset} (created if new), its parent the
     * version the lock file pinned.
     *
     * @param lineage the versions this one was derived from (e.g. the CSV a Parquet file was made of)
     */
    DataRepository.AddResult record(String dataset, Path dir, String message, List<Lineage> lineage) {
        VersionSpecs.checkName(dataset, "Dataset name");
        Workspace workspace = project.workspace();
        LockFile lock = project.lock();
        Cache cache = project.cache();
        Path abs = workspace.resolve(workspace.projectDir().resolve(dir).normalize().toString());
        String rel = workspace.relative(abs);
        if (!Files.isDirectory(abs)) {
            throw new UserError("'" + rel + "' is not a directory" + (Files.exists(abs) ? "" : " (it does not exist)")
                    + ": 'kiln data add' versions a directory of files.");
        }
        LockFile.Entry existing = lock.get(dataset);
        checkPlace(dataset, rel, existing);
        Map<String, Workspace.FileState> files = workspace.files(abs, project.stats(), project.jobs());
        if (files.isEmpty()) {
            throw new UserError("'" + rel + "' has no files to version.");
        }
        List<ManifestEntry> entries = new ArrayList<>(files.size());
        for (Workspace.FileState f : files.values()) {
            entries.add(new ManifestEntry(f.path(), f.sha256(), f.size()));
        }
        Manifest manifest = new Manifest(entries);
        byte[] mbytes = manifest.canonicalBytes();
        String mhash = Sha256.hex(mbytes);
        VersionRecord latest = existing == null || !existing.manifest().equals(mhash) ? null
                : cache.version(dataset, existing.version()).orElse(null);
        if (existing != null && existing.manifest().equals(mhash) && sameOrigin(lineage, latest)) {
            try {
                project.stats().save();
            } catch (UncheckedIOException e) {
                throw new DiskSpace(workspace.projectDir(), "Adding " + rel, "Nothing was changed: kiln.lock is as it was")
                        .fault(e, workspace.projectDir());
            }
            return new DataRepository.AddResult(dataset, rel, existing.version(), null, mhash, entries.size(),
                    manifest.totalSize(), 0, false, latest == null ? List.of() : latest.lineage(), latest);
        }
        Map<String, ManifestEntry> toCache = new LinkedHashMap<>();
        for (ManifestEntry e : entries) {
            if (!cache.has(e.sha256())) {
                toCache.putIfAbsent(e.sha256(), e);
            }
        }
        long bytes = toCache.values().stream().mapToLong(ManifestEntry::size).sum();
        DiskSpace space = new DiskSpace(workspace.projectDir(), "Adding " + rel,
                "kiln.lock is as it was; the objects already copied stay in the cache and are not copied again");
        space.need(cache.root(), bytes + mbytes.length).check();
        VersionRecord record = new VersionRecord(dataset, existing == null ? null : existing.version(), mhash,
                entries.size(), manifest.totalSize(), message == null ? "" : message, project.author(),
                Instant.now().toString(), lineage);
        byte[] vbytes = record.canonicalBytes();
        String id = Sha256.hex(vbytes);
        // no bar when every object is in the cache already: "100% 0 B 0 B/s" says nothing
        Progress progress = toCache.isEmpty() ? Progress.NONE : project.progress();
        try (Progress.Bar bar = progress.start("add " + dataset, bytes, Progress.Unit.BYTES)) {
            Parallel.forEach(toCache.values(), project.jobs(), e -> {
                cache.addFile(abs.resolve(e.path()), e.sha256());
                recordIndex(cache, e);
                bar.advance(e.size());
            });
            cache.putManifest(mhash, mbytes);
            cache.putVersion(dataset, id, vbytes);
        } catch (UncheckedIOException e) {
            throw space.fault(e, cache.root());
        }
        try {
            project.stats().save();
            lock.put(dataset, new LockFile.Entry(rel, id, mhash, manifest.totalSize(), entries.size()));
            lock.write();
        } catch (UncheckedIOException e) {
            lock.restore(dataset, existing);
            throw space.fault(e, workspace.projectDir());
        }
        return new DataRepository.AddResult(dataset, rel, id, record.parent(), mhash, entries.size(),
                manifest.totalSize(), toCache.size(), true, record.lineage(), record);
    }

    /**
     * Whether the same files with this lineage are the pinned version again: an add without lineage
     * always is, a conversion only when its input version and settings are the ones recorded (a
     * re-run of an unchanged conversion keeps the version, so a notebook's push reproduces).
     */
    private static boolean sameOrigin(List<Lineage> lineage, VersionRecord latest) {
        return lineage == null || lineage.isEmpty() || latest != null && latest.lineage().equals(lineage);
    }

    /**
     * A new object's index (its blocks' hashes, a table's rows and columns), kept in the cache for
     * push to send beside it: read from the cache's copy, which add has just checked.
     */
    static void recordIndex(Cache cache, ManifestEntry e) {
        if (ObjectIndex.wanted(e)) {
            cache.writeMeta(RemoteLayout.objectIndex(e.sha256()),
                    ObjectIndex.of(cache.object(e.sha256()), e.sha256(), e.size(), e.path()).canonicalBytes());
        }
    }

    /** A dataset keeps its directory, and a file belongs to one dataset only. */
    private void checkPlace(String dataset, String rel, LockFile.Entry existing) {
        if (existing != null && !existing.path().equals(rel)) {
            throw new UserError("Dataset '" + dataset + "' already tracks '" + existing.path() + "', not '" + rel
                    + "'. Give this one another name with --name.");
        }
        for (Map.Entry<String, LockFile.Entry> e : project.lock().datasets().entrySet()) {
            String other = e.getValue().path();
            if (!e.getKey().equals(dataset) && (rel.equals(other) || rel.startsWith(other + "/") || other.startsWith(rel + "/"))) {
                throw new UserError("'" + rel + "' overlaps dataset '" + e.getKey() + "' (" + other
                        + "): a file can belong to one dataset only.");
            }
        }
    }
}
