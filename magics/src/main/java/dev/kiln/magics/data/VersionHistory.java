package dev.kiln.magics.data;

import dev.kiln.magics.core.VersionRecord;
import dev.kiln.magics.core.UserError;
import dev.kiln.magics.data.remote.Remote;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** {@code kiln data version NAME[@VERSION]}: a dataset's versions from the newest back, with their tags. */
final class VersionHistory {

    private final ProjectContext project;
    private final VersionSpecs specs;

    VersionHistory(ProjectContext project, VersionSpecs specs) {
        this.project = project;
        this.specs = specs;
    }

    /**
     * @param from a version spec to start at (a tag, {@code latest}, an id or its prefix); null: the
     *             newest of the pinned one and the remote's latest
     */
    DataRepository.History history(String ds, String from, String remoteName, int limit) {
        VersionSpecs.checkName(ds, "Dataset name");
        if (from != null && from.isEmpty()) {
            throw new UserError("'" + ds + "@' has an empty version after '@'. Write NAME@TAG or NAME@ID.");
        }
        LockFile.Entry pinned = project.lock().get(ds);
        Map<String, List<String>> tags = new HashMap<>();
        String start = from != null ? specs.resolve(ds, from, remoteName) : pinned == null ? null : pinned.version();
        String remoteUsed = null;
        if (project.hasRemote(remoteName)) {
            Remote r = project.remote(remoteName);
            remoteUsed = r.name();
            String prefix = RemoteLayout.refsPrefix(ds);
            for (String k : new TreeSet<>(r.list(prefix))) {
                String tag = k.substring(prefix.length());
                r.getBytes(k).ifPresent(b -> tags.computeIfAbsent(new String(b, StandardCharsets.UTF_8).strip(),
                        x -> new ArrayList<>()).add(tag));
            }
            Optional<String> head = from != null ? Optional.empty() : Metadata.refTarget(r, ds, VersionSpecs.LATEST);
            if (head.isPresent() && (start == null || specs.isAncestor(ds, start, head.get(), remoteName))) {
                start = head.get();
            }
        }
        if (start == null) {
            throw new UserError("Unknown dataset '" + ds + "': not in kiln.lock"
                    + (remoteUsed != null ? " and not on remote '" + remoteUsed + "'" : "") + ". Datasets of this project: "
                    + project.datasetNames() + ".");
        }
        List<DataRepository.HistoryEntry> out = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (String cur = start; cur != null && out.size() < limit && seen.add(cur); ) {
            VersionRecord v = project.metadata().version(ds, cur, remoteName);
            out.add(new DataRepository.HistoryEntry(cur, v, tags.getOrDefault(cur, List.of()),
                    pinned != null && cur.equals(pinned.version())));
            cur = v.parent();
        }
        return new DataRepository.History(ds, out, remoteUsed);
    }
}
