package dev.kiln.magics.data;

import dev.kiln.magics.core.Sha256;
import dev.kiln.magics.core.UserError;
import dev.kiln.magics.data.remote.Remote;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Dataset versions as users name them ({@code name[@version][/subpath]}, or a path inside a
 * tracked directory) and the ids they stand for: parsing, resolving a tag, {@code latest} or an
 * id prefix, and which version descends from which.
 */
final class VersionSpecs {

    /** The name of the ref every push moves: the dataset's newest version on the remote. */
    static final String LATEST = "latest";
    private static final Pattern HEX_PREFIX = Pattern.compile("[0-9a-f]{4,64}");

    /** A dataset reference as users write it: {@code name[@version][/subpath]}, or a path. */
    record Spec(String dataset, String version, String subpath) {
    }

    private final ProjectContext project;

    VersionSpecs(ProjectContext project) {
        this.project = project;
    }

    static void checkName(String name, String what) {
        if (!RemoteLayout.isName(name)) {
            throw new UserError(what + " '" + name + "' is not valid: use letters, digits, '.', '_' and '-'.");
        }
    }

    /** The dataset whose directory holds {@code path}, with its pinned version and, for a file, its hash. */
    Optional<DataRepository.Tracked> tracking(Path path) {
        Path abs = project.projectDir().resolve(path).normalize();
        for (Map.Entry<String, LockFile.Entry> e : project.lock().datasets().entrySet()) {
            Path dir = project.projectDir().resolve(e.getValue().path()).normalize();
            if (abs.startsWith(dir)) {
                String rel = dir.relativize(abs).toString().replace('\\', '/');
                String sha = null;
                if (!rel.isEmpty()) {
                    Optional<Manifest> m = project.cache().manifest(e.getValue().manifest());
                    if (m.isPresent()) {
                        ManifestEntry me = m.get().byPath().get(rel);
                        sha = me == null ? null : me.sha256();
                    }
                }
                return Optional.of(new DataRepository.Tracked(e.getKey(), e.getValue().path(), e.getValue().version(),
                        e.getValue().manifest(), rel.isEmpty() ? null : rel, sha));
            }
        }
        return Optional.empty();
    }

    Spec parse(String spec) {
        int at = spec.indexOf('@');
        int slash = spec.indexOf('/');
        String name;
        String version = null;
        String sub = "";
        if (at >= 0 && (slash < 0 || at < slash)) {
            name = spec.substring(0, at);
            String rest = spec.substring(at + 1);
            int s = rest.indexOf('/');
            version = s < 0 ? rest : rest.substring(0, s);
            sub = s < 0 ? "" : rest.substring(s + 1);
        } else if (slash >= 0) {
            name = spec.substring(0, slash);
            sub = spec.substring(slash + 1);
        } else {
            name = spec;
        }
        if (project.lock().get(name) == null && at < 0) {
            // maybe a path inside a tracked directory: data/raw/pems/2024-01
            Optional<DataRepository.Tracked> t = tracking(project.workspace().resolve(spec));
            if (t.isPresent()) {
                return new Spec(t.get().dataset(), null, t.get().file() == null ? "" : t.get().file());
            }
        }
        checkName(name, "Dataset name");
        while (sub.endsWith("/")) {
            sub = sub.substring(0, sub.length() - 1);
        }
        if (version != null && version.isEmpty()) {
            throw new UserError("'" + spec + "' has an empty version after '@'. Write NAME@TAG or NAME@ID.");
        }
        return new Spec(name, version, sub);
    }

    /** The full id a version spec (tag, {@code latest}, id or id prefix; null: the pinned one) names. */
    String resolve(String dataset, String version, String remoteName) {
        LockFile.Entry pinned = project.lock().get(dataset);
        if (version == null) {
            if (pinned != null) {
                return pinned.version();
            }
            version = LATEST;
        }
        if (Sha256.isHex(version)) {
            return version;
        }
        boolean prefix = HEX_PREFIX.matcher(version).matches();
        if (pinned != null && prefix && pinned.version().startsWith(version)) {
            return pinned.version();
        }
        if (prefix) {
            // versions made or fetched here resolve without the remote, as git resolves its own objects
            Optional<String> local = onlyOne(dataset, version, project.cache().versionIds(dataset, version));
            if (local.isPresent()) {
                return local.get();
            }
        }
        if (!project.hasRemote(remoteName)) {
            throw unknown(dataset, version, "no remote is configured to look it up");
        }
        Remote r = project.remote(remoteName);
        Optional<String> ref = RemoteLayout.isName(version) ? Metadata.refTarget(r, dataset, version) : Optional.empty();
        if (ref.isPresent()) {
            return ref.get();
        }
        if (prefix) {
            Set<String> ids = new TreeSet<>();
            String versions = RemoteLayout.versionsPrefix(dataset);
            for (String k : r.list(versions)) {
                String id = k.substring(versions.length()).replace(".json", "");
                if (id.startsWith(version) && Sha256.isHex(id)) {
                    ids.add(id);
                }
            }
            Optional<String> remote = onlyOne(dataset, version, ids);
            if (remote.isPresent()) {
                return remote.get();
            }
        }
        if (pinned == null && r.list(RemoteLayout.versionsPrefix(dataset)).isEmpty()) {
            throw new UserError("Unknown dataset '" + dataset + "': it is not in kiln.lock and " + r.describe()
                    + " has no versions of it. Datasets of this project: " + project.datasetNames() + ".");
        }
        throw unknown(dataset, version, r.describe() + " has no tag or version id '" + version + "'");
    }

    /** The one id of {@code ids}; empty when none, refused when more than one. */
    private static Optional<String> onlyOne(String dataset, String version, Set<String> ids) {
        if (ids.size() > 1) {
            throw new UserError("Version '" + version + "' of dataset '" + dataset + "' is ambiguous: it starts "
                    + ids.size() + " version ids. Give more characters.");
        }
        return ids.stream().findFirst();
    }

    private UserError unknown(String dataset, String version, String why) {
        if (project.lock().get(dataset) == null && version.equals(LATEST)) {
            return new UserError("Unknown dataset '" + dataset + "': it is not in kiln.lock (" + why + "). Datasets of "
                    + "this project: " + project.datasetNames() + ".");
        }
        return new UserError("Unknown version '" + version + "' of dataset '" + dataset + "': " + why
                + ". Run 'kiln data version " + dataset + "' to list its versions and tags.");
    }

    /** Whether {@code ancestor} is {@code of} or one of its parents. */
    boolean isAncestor(String dataset, String ancestor, String of, String remoteName) {
        String cur = of;
        for (int i = 0; cur != null && i < 100_000; i++) {
            if (cur.equals(ancestor)) {
                return true;
            }
            cur = project.metadata().version(dataset, cur, remoteName).parent();
        }
        return false;
    }
}
