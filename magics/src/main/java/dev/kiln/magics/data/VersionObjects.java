package dev.kiln.magics.data;

import dev.kiln.magics.core.UserError;
import dev.kiln.magics.core.VersionRecord;
import java.util.List;
import java.util.TreeSet;

/**
 * The files of a dataset version by name ({@code pems@v3/stations.parquet}, {@code pems@latest},
 * {@code pems/raw}): the version resolved (the lock file's pin, the cache, then the remote), its
 * record and manifest read (from the cache, else fetched and verified), and the entries under the
 * path. Nothing is pulled into the workspace.
 */
public final class VersionObjects {

    /**
     * @param subpath the path asked for inside the dataset ("" for all of it)
     * @param files   the entries under it, sorted by path
     */
    public record Listing(String dataset, String version, String manifest, String subpath, List<ManifestEntry> files) {

        /** The one file the path names. */
        public ManifestEntry file() {
            if (files.size() != 1 || !files.get(0).path().equals(subpath)) {
                throw new UserError("'" + dataset + "@" + DataResults.shortId(version) + (subpath.isEmpty() ? "" : "/" + subpath)
                        + "' is a directory of " + files.size() + " files, not one file: name one of them, e.g. '"
                        + dataset + "@" + DataResults.shortId(version) + "/" + files.get(0).path() + "'.");
            }
            return files.get(0);
        }
    }

    private final ProjectContext project;
    private final VersionSpecs specs;

    VersionObjects(ProjectContext project, VersionSpecs specs) {
        this.project = project;
        this.specs = specs;
    }

    /**
     * The entries {@code spec} names; an unknown dataset, version or path fails naming what exists.
     *
     * @param remoteName the remote to ask (null: the default one)
     */
    Listing list(String spec, String remoteName) {
        Resolved r = resolve(spec, remoteName);
        List<ManifestEntry> under = r.manifest().under(r.spec().subpath()).files();
        if (under.isEmpty()) {
            String named = r.spec().dataset() + "@" + DataResults.shortId(r.id());
            throw new UserError("No file or directory '" + r.spec().subpath() + "' in " + named + ". It holds: "
                    + topLevel(r.manifest()) + ". Run 'kiln data ls " + named + "' to list its files.");
        }
        return new Listing(r.spec().dataset(), r.id(), r.record().manifest(), r.spec().subpath(), under);
    }

    /** A version a spec names: its id, record and manifest. */
    record Resolved(VersionSpecs.Spec spec, String id, VersionRecord record, Manifest manifest) {
    }

    /** The version {@code spec} names, its record and manifest read (cache, else remote, verified); nothing pulled. */
    Resolved resolve(String spec, String remoteName) {
        VersionSpecs.Spec s = specs.parse(spec);
        String id = specs.resolve(s.dataset(), s.version(), remoteName);
        VersionRecord record = project.metadata().version(s.dataset(), id, remoteName);
        return new Resolved(s, id, record, project.metadata().manifest(record.manifest(), remoteName, s.dataset(), id));
    }

    /** The version's first-level names, a few of them, for messages. */
    static String topLevel(Manifest m) {
        TreeSet<String> names = new TreeSet<>();
        for (ManifestEntry e : m.files()) {
            int slash = e.path().indexOf('/');
            names.add(slash < 0 ? e.path() : e.path().substring(0, slash + 1));
        }
        List<String> few = names.stream().limit(10).toList();
        return String.join(", ", few) + (names.size() > few.size() ? " and " + (names.size() - few.size()) + " more" : "");
    }
}
