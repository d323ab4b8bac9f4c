package dev.kiln.magics.data;

import dev.kiln.magics.core.Progress;
import dev.kiln.magics.core.Provenance;
import dev.kiln.magics.core.UserError;
import dev.kiln.magics.core.VersionRecord;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The files of {@code NAME@VERSION/PATH} (a file, a folder or a glob such as {@code *.parquet}) as
 * objects in the cache, fetched when missing and verified, for engines that read them where they
 * are (SQL): nothing is written to the workspace and kiln.lock is left as it is.
 */
public final class CachedVersion {

    /** Objects verified in this process, by cache: a cached object is re-hashed once, not at every query. */
    private static final Set<String> VERIFIED = ConcurrentHashMap.newKeySet();

    /** One file of the version: its path in the dataset and its content in the cache. */
    public record File(String path, String sha256, long size, Path object) {
    }

    /** @param pattern the part of the version asked for, as written ({@code stations.parquet}, {@code *.csv}) */
    public record Files(String dataset, String version, String manifest, String pattern, List<File> files,
                        VersionRecord record) {

        /** The version as a result's provenance names it. */
        public Provenance.DatasetVersion provenance() {
            return new Provenance.DatasetVersion(dataset, version, manifest, null, pattern, record);
        }
    }

    private final ProjectContext project;
    private final VersionSpecs specs;

    CachedVersion(ProjectContext project, VersionSpecs specs) {
        this.project = project;
        this.specs = specs;
    }

    Files files(String spec, String remoteName) {
        VersionObjects.Resolved v = new VersionObjects(project, specs).resolve(spec, remoteName);
        String sub = v.spec().subpath();
        List<ManifestEntry> chosen = choose(v.manifest(), sub);
        if (chosen.isEmpty()) {
            throw new UserError("'" + spec + "': version " + DataResults.shortId(v.id()) + " of dataset '" + v.spec().dataset()
                    + "' has no file " + (isGlob(sub) ? "matching " : "") + "'" + sub + "'. It holds: "
                    + VersionObjects.topLevel(v.manifest()) + ".");
        }
        fetchMissing(v.spec().dataset(), v.id(), chosen, remoteName);
        List<File> files = new ArrayList<>();
        for (ManifestEntry e : chosen) {
            files.add(new File(e.path(), e.sha256(), e.size(), project.cache().object(e.sha256())));
        }
        return new Files(v.spec().dataset(), v.id(), v.record().manifest(), sub, files, v.record());
    }

    /** The entries a path names: one file, everything under a folder, or what a glob matches. */
    private static List<ManifestEntry> choose(Manifest manifest, String sub) {
        if (!isGlob(sub)) {
            return manifest.under(sub).files();
        }
        PathMatcher glob = FileSystems.getDefault().getPathMatcher("glob:" + sub);
        return manifest.files().stream().filter(e -> glob.matches(Path.of(e.path()))).toList();
    }

    static boolean isGlob(String path) {
        return path.chars().anyMatch(c -> c == '*' || c == '?' || c == '[' || c == '{');
    }

    /** Fetches what the cache lacks or holds damaged (a damaged object is removed and fetched again). */
    private void fetchMissing(String ds, String id, List<ManifestEntry> entries, String remoteName) {
        Cache cache = project.cache();
        Map<String, ManifestEntry> need = new LinkedHashMap<>();
        for (ManifestEntry e : entries) {
            // in this cache and hashed once in this process (a cache emptied or another cache's object is fetched again)
            if (!(cache.has(e.sha256()) && (VERIFIED.contains(verifiedKey(cache, e)) || cache.verify(e.sha256())))) {
                need.putIfAbsent(e.sha256(), e);
            }
        }
        if (!need.isEmpty()) {
            long bytes = need.values().stream().mapToLong(ManifestEntry::size).sum();
            DiskSpace space = new DiskSpace(project.projectDir(), "Reading " + ds + "@" + id.substring(0, 12),
                    "Nothing was changed").need(cache.root(), bytes);
            space.check();
            try (Progress.Bar bar = project.progress().start("fetch " + ds, bytes, Progress.Unit.BYTES)) {
                project.transfer().fetch(project.remote(remoteName), need.values(), bar);
            } catch (UncheckedIOException e) {
                throw space.fault(e, cache.root());
            }
        }
        for (ManifestEntry e : entries) {
            VERIFIED.add(verifiedKey(cache, e));
        }
    }

    private static String verifiedKey(Cache cache, ManifestEntry e) {
        return cache.root().toAbsolutePath() + "/" + e.sha256();
    }
}
