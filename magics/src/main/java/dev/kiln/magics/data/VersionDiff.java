package dev.kiln.magics.data;

import dev.kiln.magics.core.UserError;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * {@code kiln data diff A [B]}: files added, removed and changed between two versions (B defaults
 * to the workspace), with rows and columns of CSV files and rows and typed columns of Parquet files.
 */
final class VersionDiff {

    private final ProjectContext project;
    private final VersionSpecs specs;

    VersionDiff(ProjectContext project, VersionSpecs specs) {
        this.project = project;
        this.specs = specs;
    }

    DataRepository.DiffResult diff(String a, String b, String remoteName) {
        VersionSpecs.Spec sa = specs.parse(a);
        String ida = specs.resolve(sa.dataset(), sa.version(), remoteName);
        Map<String, ManifestEntry> from = files(sa, ida, remoteName);
        Map<String, ManifestEntry> to;
        String toName;
        Path wsDir = null;
        if (b == null) {
            LockFile.Entry pinned = project.lock().get(sa.dataset());
            if (pinned == null) {
                throw new UserError("Dataset '" + sa.dataset() + "' is not in this workspace; name the second version.");
            }
            wsDir = project.workspace().resolve(pinned.path());
            to = new TreeMap<>();
            for (Workspace.FileState f : project.workspace().files(wsDir, project.stats(), project.jobs()).values()) {
                to.put(f.path(), new ManifestEntry(f.path(), f.sha256(), f.size()));
            }
            project.stats().save();
            toName = "workspace";
        } else {
            VersionSpecs.Spec sb = specs.parse(b.startsWith("@") ? sa.dataset() + b : b);
            String idb = specs.resolve(sb.dataset(), sb.version(), remoteName);
            to = files(sb, idb, remoteName);
            toName = sb.dataset() + "@" + idb.substring(0, 12);
        }
        List<DataRepository.FileChange> changes = new ArrayList<>();
        long added = 0;
        long removed = 0;
        Set<String> all = new TreeSet<>(from.keySet());
        all.addAll(to.keySet());
        for (String p : all) {
            ManifestEntry x = from.get(p);
            ManifestEntry y = to.get(p);
            if (x != null && y != null && x.sha256().equals(y.sha256())) {
                continue;
            }
            String kind = x == null ? "added" : y == null ? "removed" : "changed";
            if (x != null) {
                removed += x.size();
            }
            if (y != null) {
                added += y.size();
            }
            String detail = null;
            if (TableSummary.describes(p)) {
                TableSummary before = x == null ? null : table(x, null, remoteName);
                TableSummary after = y == null ? null : table(y, wsDir, remoteName);
                detail = TableSummary.describe(before, after);
            }
            changes.add(new DataRepository.FileChange(p, kind, x == null ? -1 : x.size(), y == null ? -1 : y.size(), detail));
        }
        return new DataRepository.DiffResult(sa.dataset(), sa.dataset() + "@" + ida.substring(0, 12), toName, changes,
                added, removed);
    }

    /** The files of version {@code id} under the spec's subpath, by path. */
    private Map<String, ManifestEntry> files(VersionSpecs.Spec spec, String id, String remoteName) {
        Metadata metadata = project.metadata();
        String manifest = metadata.version(spec.dataset(), id, remoteName).manifest();
        return metadata.manifest(manifest, remoteName, spec.dataset(), id).under(spec.subpath()).byPath();
    }

    /** A table's summary, from the workspace or else the cache (fetched when a remote is there to fetch it from). */
    private TableSummary table(ManifestEntry e, Path wsDir, String remoteName) {
        Cache cache = project.cache();
        Path file = wsDir != null ? wsDir.resolve(e.path()) : cache.object(e.sha256());
        if (wsDir == null && !cache.has(e.sha256())) {
            if (!project.hasRemote(remoteName)) {
                return null;
            }
            project.transfer().fetch(project.remote(remoteName), e.sha256(), e.size());
        }
        return TableSummary.of(file, e.path());
    }
}
