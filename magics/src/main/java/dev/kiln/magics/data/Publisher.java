package dev.kiln.magics.data;

import dev.kiln.magics.core.VersionRecord;
import dev.kiln.magics.core.Progress;
import dev.kiln.magics.core.UserError;
import dev.kiln.magics.data.remote.DirectoryRemote;
import dev.kiln.magics.data.remote.RefConflictException;
import dev.kiln.magics.data.remote.Remote;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code kiln data push} and {@code kiln data tag}: publishes pinned versions (their objects, then
 * manifests and records, then {@code latest}) and names versions on the remote, each ref moved
 * only if it is still as it was read.
 */
final class Publisher {

    private final ProjectContext project;
    private final VersionSpecs specs;

    Publisher(ProjectContext project, VersionSpecs specs) {
        this.project = project;
        this.specs = specs;
    }

    /** Publishes the pinned versions (all datasets when none named). */
    List<DataRepository.PushResult> push(Collection<String> datasets, String remoteName, String tag) {
        LockFile lock = project.lock();
        Collection<String> names = datasets == null || datasets.isEmpty() ? lock.datasets().keySet() : datasets;
        if (names.isEmpty()) {
            throw new UserError("Nothing to push: kiln.lock tracks no dataset yet. Add one with 'kiln data add PATH'.");
        }
        if (tag != null && names.size() != 1) {
            throw new UserError("--tag names one version: push one dataset at a time with it.");
        }
        Remote r = project.remote(remoteName);
        List<DataRepository.PushResult> results = new ArrayList<>();
        try (RemoteLocks.Lease ignored = RemoteLocks.push(r, project.author())) {
            for (String ds : names) {
                results.add(push(ds, r, remoteName, tag));
            }
        }
        return results;
    }

    private DataRepository.PushResult push(String ds, Remote r, String remoteName, String tag) {
        LockFile.Entry pinned = project.lock().get(ds);
        if (pinned == null) {
            throw new UserError("Unknown dataset '" + ds + "': not in kiln.lock. Datasets of this project: "
                    + project.datasetNames() + ".");
        }
        Metadata metadata = project.metadata();
        VersionRecord pushed = metadata.version(ds, pinned.version(), remoteName);
        String latestKey = RemoteLayout.ref(ds, VersionSpecs.LATEST);
        Optional<Remote.Ref> head = r.readRef(latestKey);
        String headId = head.map(h -> Metadata.refId(r, ds, VersionSpecs.LATEST, h)).orElse(null);

        // the versions the remote lacks, newest first, and the objects the newest present one vouches for
        List<String> chain = new ArrayList<>();
        Set<String> knownPresent = new HashSet<>();
        for (String cur = pinned.version(); cur != null; cur = metadata.version(ds, cur, remoteName).parent()) {
            VersionRecord base = metadata.version(ds, cur, remoteName);
            // a manifest is written after all its objects and gc removes it before them: its objects are all there
            if (r.exists(RemoteLayout.version(ds, cur)) && r.exists(RemoteLayout.manifest(base.manifest()))) {
                for (ManifestEntry e : metadata.manifest(base.manifest(), remoteName, ds, cur).files()) {
                    knownPresent.add(e.sha256());
                }
                break;
            }
            chain.add(cur);
        }
        Map<String, ManifestEntry> candidates = new LinkedHashMap<>();
        List<VersionRecord> records = new ArrayList<>();
        List<Manifest> manifests = new ArrayList<>();
        for (String id : chain) {
            VersionRecord v = metadata.version(ds, id, remoteName);
            Manifest m = metadata.manifest(v.manifest(), null, ds, id);
            records.add(v);
            manifests.add(m);
            for (ManifestEntry e : m.files()) {
                if (!knownPresent.contains(e.sha256())) {
                    candidates.putIfAbsent(e.sha256(), e);
                }
            }
        }
        Set<String> present = project.transfer().presentOn(r, candidates.keySet());
        List<ManifestEntry> toSend = new ArrayList<>();
        for (ManifestEntry e : candidates.values()) {
            if (!present.contains(e.sha256())) {
                if (!project.cache().has(e.sha256())) {
                    throw new UserError("Cannot push dataset '" + ds + "': the cache lacks the content of '" + e.path()
                            + "' (" + e.sha256().substring(0, 12) + "). Run 'kiln data add " + pinned.path()
                            + "' again from a workspace that has it.");
                }
                toSend.add(e);
            }
        }
        Transfer.Sent sent = send(ds, r, chain, records, manifests, toSend);
        String id = pinned.version();
        String note = moveLatest(ds, r, remoteName, id, headId, head);
        if (tag != null) {
            tagOnRemote(r, ds, tag, id, false);
        }
        return new DataRepository.PushResult(ds, id, chain.size(), sent.objects(), candidates.size() - toSend.size(),
                sent.bytes(), r.name(), headId, tag, note, pushed);
    }

    /** Objects first, then each version's manifest and record, oldest first: what names content comes after it. */
    private Transfer.Sent send(String ds, Remote r, List<String> chain, List<VersionRecord> records,
                               List<Manifest> manifests, List<ManifestEntry> objects) {
        long total = objects.stream().mapToLong(ManifestEntry::size).sum();
        // a directory remote is a disk of its own; an S3 remote's space is the server's business
        Path remoteDir = r instanceof DirectoryRemote d ? d.root() : null;
        DiskSpace space = new DiskSpace(project.projectDir(), "Pushing " + ds,
                "'latest' was not moved; what was uploaded is complete and will not be sent again");
        if (remoteDir != null) {
            space.need(remoteDir, total).check();
        }
        Transfer transfer = project.transfer();
        // no bar when the remote has every object: "push climate 0 B 0 B/s" says nothing
        Progress progress = objects.isEmpty() ? Progress.NONE : project.progress();
        try (Progress.Bar bar = progress.start("push " + ds, total, Progress.Unit.BYTES)) {
            Transfer.Sent sent = transfer.send(r, objects, bar);
            sendIndexes(r, objects);
            for (int i = records.size() - 1; i >= 0; i--) {
                transfer.send(r, RemoteLayout.manifest(records.get(i).manifest()), manifests.get(i).canonicalBytes());
                transfer.send(r, RemoteLayout.version(ds, chain.get(i)), records.get(i).canonicalBytes());
            }
            return sent;
        } catch (UncheckedIOException e) {
            throw space.fault(e, remoteDir != null ? remoteDir : project.cache().root());
        }
    }

    /**
     * Each sent object's index beside it (its blocks' hashes, its rows and columns), as add recorded
     * it, so the version can be listed and read in place; an object added by a Kiln before indexes
     * gets one made from the cache here. An object already on the remote keeps what it has.
     */
    private void sendIndexes(Remote r, List<ManifestEntry> objects) {
        Cache cache = project.cache();
        Parallel.forEach(objects.stream().filter(ObjectIndex::wanted).toList(), project.jobs(), e -> {
            String key = RemoteLayout.objectIndex(e.sha256());
            byte[] bytes = cache.meta(key).orElse(null);
            if (bytes == null) {
                bytes = ObjectIndex.of(cache.object(e.sha256()), e.sha256(), e.size(), e.path()).canonicalBytes();
                cache.writeMeta(key, bytes);
            }
            project.transfer().send(r, key, bytes);
        });
    }

    /** Moves the remote's {@code latest} to {@code id} when it descends from it; says what it did. */
    private String moveLatest(String ds, Remote r, String remoteName, String id, String headId, Optional<Remote.Ref> head) {
        if (id.equals(headId)) {
            return "up to date";
        }
        if (headId != null && specs.isAncestor(ds, id, headId, remoteName)) {
            return "the remote's latest (" + headId.substring(0, 12) + ") is newer; it was left as it is";
        }
        if (headId != null && !specs.isAncestor(ds, headId, id, remoteName)) {
            throw new UserError("Push of dataset '" + ds + "' to " + r.describe() + ": its latest version is "
                    + headId.substring(0, 12) + ", which your version " + id.substring(0, 12) + " does not descend from "
                    + "(someone else pushed). Your version is uploaded and safe; 'latest' was not moved. Run 'kiln data "
                    + "version " + ds + "@latest' to see theirs; pull it with 'kiln data pull " + ds + "@latest', add your "
                    + "changes again, and push; or publish yours under a tag with 'kiln data tag " + ds + "@"
                    + id.substring(0, 12) + " NAME'.");
        }
        try {
            r.writeRef(RemoteLayout.ref(ds, VersionSpecs.LATEST), (id + "\n").getBytes(StandardCharsets.UTF_8),
                    head.map(Remote.Ref::etag).orElse(null));
            return "latest moved";
        } catch (RefConflictException e) {
            throw new UserError("Push of dataset '" + ds + "' to " + r.describe() + " raced with another push: "
                    + "'latest' changed while yours was uploading, so it was not moved. Your version "
                    + id.substring(0, 12) + " is uploaded and safe; nothing was lost. Run 'kiln data version " + ds
                    + "@latest' to see theirs, then pull it or tag yours.");
        }
    }

    /** Names a pushed version on the remote. */
    DataRepository.TagResult tag(String ds, String tag, String versionSpec, boolean force, String remoteName) {
        VersionSpecs.checkName(ds, "Dataset name");
        VersionSpecs.checkName(tag, "Tag");
        if (tag.equals(VersionSpecs.LATEST)) {
            throw new UserError("'latest' is moved by every push and cannot be set by hand. Choose another tag name.");
        }
        String id = specs.resolve(ds, versionSpec, remoteName);
        Remote r = project.remote(remoteName);
        if (!r.exists(RemoteLayout.version(ds, id))) {
            throw new UserError("Version " + id.substring(0, 12) + " of dataset '" + ds + "' is not on " + r.describe()
                    + " yet. Run 'kiln data push " + ds + "' first.");
        }
        String previous = tagOnRemote(r, ds, tag, id, force);
        return new DataRepository.TagResult(ds, tag, id, previous, r.name(), project.cache().version(ds, id).orElse(null));
    }

    private String tagOnRemote(Remote r, String ds, String tag, String id, boolean force) {
        String key = RemoteLayout.ref(ds, tag);
        Optional<Remote.Ref> cur = r.readRef(key);
        String previous = cur.map(c -> Metadata.refId(r, ds, tag, c)).orElse(null);
        if (id.equals(previous)) {
            return previous;
        }
        if (previous != null && !force) {
            throw new UserError("Tag '" + tag + "' of dataset '" + ds + "' already names version " + previous.substring(0, 12)
                    + " on " + r.describe() + ". Choose another tag, or move it with --force.");
        }
        try {
            r.writeRef(key, (id + "\n").getBytes(StandardCharsets.UTF_8), cur.map(Remote.Ref::etag).orElse(null));
        } catch (RefConflictException e) {
            throw new UserError("Tag '" + tag + "' of dataset '" + ds + "' was set by someone else at the same time on "
                    + r.describe() + "; yours (" + id.substring(0, 12) + ") was not written and nothing was lost. "
                    + "Run 'kiln data version " + ds + "@" + tag + "' to see where it points.");
        }
        return previous;
    }
}
