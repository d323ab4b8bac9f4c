package dev.kiln.magics.data;

import dev.kiln.magics.core.Html;
import dev.kiln.magics.core.Lineage;
import dev.kiln.magics.core.Progress;
import dev.kiln.magics.core.ProgressText;
import dev.kiln.magics.core.Provenance;
import dev.kiln.magics.core.Result;
import dev.kiln.magics.core.Sha256;
import dev.kiln.magics.core.UserError;
import dev.kiln.magics.core.VersionRecord;
import dev.kiln.magics.data.remote.RefConflictException;
import dev.kiln.magics.data.remote.Remote;
import dev.kiln.magics.data.remote.S3Remote;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code kiln data import SOURCE NAME@VERSION [--as LOCAL]}: brings a version from another
 * project's remote into this project's, as a new version of LOCAL whose lineage names the source.
 * Objects the remote has are not sent again; between two buckets of one S3 server the server copies
 * them itself (CopyObject), otherwise they travel through the cache, verified. Like a push, it holds
 * the remote's push lock, so a gc never removes an object it relies on.
 */
public final class VersionImport {

    /**
     * @param serverCopied objects the S3 server copied between the buckets itself
     * @param viaCache     objects fetched from the source into the cache, verified, and sent
     * @param present      objects the remote had already (sent by nobody)
     * @param already      the remote's latest of {@code dataset} was this import already: nothing was written
     */
    public record Imported(String dataset, String version, String source, String sourceDataset, String sourceVersion,
                           long serverCopied, long viaCache, long present, long bytesCopied, String remote, boolean already,
                           VersionRecord record) implements Result {

        @Override
        public String text() {
            String from = sourceDataset + "@" + sourceVersion.substring(0, 12) + " from " + source;
            if (already) {
                return "Already imported: " + dataset + "@" + version.substring(0, 12) + " on remote '" + remote + "' is " + from
                        + ". Nothing was copied.";
            }
            return "Imported " + from + " as " + dataset + "@" + version.substring(0, 12) + " on remote '" + remote + "': "
                    + ProgressText.count(record.files(), "file") + " (" + ProgressText.bytes(record.size()) + "); "
                    + serverCopied + " copied by the server, " + viaCache + " through the cache (" + ProgressText.bytes(bytesCopied)
                    + "), " + present + " already there. Get it with 'kiln data pull " + dataset + "@latest'.";
        }

        @Override
        public String html() {
            return "<p>" + Html.escape(text()) + "</p>";
        }

        @Override
        public Provenance provenance() {
            return Provenance.of("data import")
                    .withDatasets(List.of(new Provenance.DatasetVersion(dataset, version, record.manifest(), null, null, record)))
                    .withLineage(List.of(Provenance.DatasetVersion.of(sourceDataset, sourceVersion)));
        }
    }

    private final ProjectContext project;

    VersionImport(ProjectContext project) {
        this.project = project;
    }

    /** @param sourceConfig how to reach a source that is a URL rather than a remote of kiln.yaml */
    Imported run(String source, String spec, String as, String remoteName, RemoteConfig sourceConfig) {
        int at = spec.indexOf('@');
        String ds = at < 0 ? spec : spec.substring(0, at);
        String version = at < 0 ? VersionSpecs.LATEST : spec.substring(at + 1);
        VersionSpecs.checkName(ds, "Dataset name");
        if (version.isEmpty() || version.contains("/")) {
            throw new UserError("'" + spec + "': import takes a whole version, written NAME@TAG or NAME@ID.");
        }
        String local = as != null ? as : ds;
        VersionSpecs.checkName(local, "Dataset name (--as)");
        Remote dest = project.remote(remoteName);
        boolean configured = project.config().remotes().containsKey(source);
        if (configured && source.equals(dest.name())) {
            throw new UserError("Remote '" + source + "' is where the version would go: import copies from another "
                    + "project's remote. Name that one (or its URL), or use -r for the one to import into.");
        }
        Remote src = configured ? project.remote(source) : project.open(sourceConfig);
        try {
            String url = configured ? project.config().remotes().get(source).url() : sourceConfig.url();
            String id = resolve(src, ds, version);
            VersionRecord theirs = metadata(src, RemoteLayout.version(ds, id), id, Metadata::parseVersion,
                    () -> project.cache().version(ds, id));
            Manifest manifest = metadata(src, RemoteLayout.manifest(theirs.manifest()), theirs.manifest(), Manifest::parse,
                    () -> project.cache().manifest(theirs.manifest()));
            try (RemoteLocks.Lease ignored = RemoteLocks.push(dest, project.author())) {
                return copy(src, dest, remoteName, url, ds, id, theirs, manifest, local);
            }
        } finally {
            if (!configured) {
                src.close();
            }
        }
    }

    private Imported copy(Remote src, Remote dest, String remoteName, String url, String ds, String id, VersionRecord theirs,
                          Manifest manifest, String local) {
        Lineage lineage = new Lineage(ds, id, "import from " + url);
        Optional<Remote.Ref> head = dest.readRef(RemoteLayout.ref(local, VersionSpecs.LATEST));
        String headId = head.map(h -> Metadata.refId(dest, local, VersionSpecs.LATEST, h)).orElse(null);
        if (headId != null) {
            VersionRecord current = project.metadata().version(local, headId, remoteName);
            if (current.manifest().equals(theirs.manifest()) && current.lineage().contains(lineage)) {
                return new Imported(local, headId, url, ds, id, 0, 0, manifest.files().size(), 0, dest.name(), true, current);
            }
        }
        Map<String, ManifestEntry> objects = new LinkedHashMap<>();
        for (ManifestEntry e : manifest.files()) {
            objects.putIfAbsent(e.sha256(), e);
        }
        Set<String> present = project.transfer().presentOn(dest, objects.keySet());
        List<ManifestEntry> missing = new ArrayList<>();
        for (ManifestEntry e : objects.values()) {
            if (!present.contains(e.sha256())) {
                missing.add(e);
            }
        }
        AtomicLong serverCopied = new AtomicLong();
        List<ManifestEntry> viaCache = new ArrayList<>();
        long total = missing.stream().mapToLong(ManifestEntry::size).sum();
        try (Progress.Bar bar = project.progress().start("import " + ds, total, Progress.Unit.BYTES)) {
            if (dest instanceof S3Remote to && src instanceof S3Remote from && to.sameServerAs(from)) {
                List<ManifestEntry> copyable = missing.stream().filter(e -> e.size() <= S3Remote.MAX_COPY).toList();
                Parallel.forEach(copyable, project.jobs(), e -> {
                    if (to.copyIfAbsent(from, RemoteLayout.object(e.sha256()))) {
                        serverCopied.incrementAndGet();
                    }
                    bar.advance(e.size());
                });
                missing.stream().filter(e -> e.size() > S3Remote.MAX_COPY).forEach(viaCache::add);
            } else {
                viaCache.addAll(missing);
            }
            project.transfer().fetch(src, viaCache, Progress.NONE.start("fetch " + ds, 0, Progress.Unit.BYTES));
            project.transfer().send(dest, viaCache, bar);
        }
        // the manifest after all its objects, then the record, then the ref: what names content comes after it
        project.transfer().send(dest, RemoteLayout.manifest(theirs.manifest()), manifest.canonicalBytes());
        VersionRecord ours = new VersionRecord(local, headId, theirs.manifest(), theirs.files(), theirs.size(),
                "Imported " + ds + "@" + id.substring(0, 12) + " from " + url, project.author(), Instant.now().toString(),
                List.of(lineage));
        String ourId = ours.id();
        byte[] canonical = ours.canonicalBytes();
        project.cache().putVersion(local, ourId, canonical);
        project.transfer().send(dest, RemoteLayout.version(local, ourId), canonical);
        try {
            dest.writeRef(RemoteLayout.ref(local, VersionSpecs.LATEST), (ourId + "\n").getBytes(StandardCharsets.UTF_8),
                    head.map(Remote.Ref::etag).orElse(null));
        } catch (RefConflictException e) {
            throw new UserError("Import into dataset '" + local + "' on " + dest.describe() + " raced with a push: 'latest' "
                    + "changed meanwhile and was not moved. The imported version " + ourId.substring(0, 12) + " is uploaded; "
                    + "run the import again to put it on top.");
        }
        long bytes = missing.stream().mapToLong(ManifestEntry::size).sum();
        return new Imported(local, ourId, url, ds, id, serverCopied.get(), viaCache.size(),
                objects.size() - missing.size(), bytes, dest.name(), false, ours);
    }

    /** The id {@code version} (a tag, latest, an id or a prefix of 4+ hex digits) names on the source. */
    private static String resolve(Remote src, String ds, String version) {
        if (Sha256.isHex(version)) {
            return version;
        }
        if (RemoteLayout.isName(version)) {
            Optional<String> ref = Metadata.refTarget(src, ds, version);
            if (ref.isPresent()) {
                return ref.get();
            }
        }
        Set<String> ids = new TreeSet<>();
        String prefix = RemoteLayout.versionsPrefix(ds);
        for (String k : src.list(prefix)) {
            String vid = k.substring(prefix.length()).replace(".json", "");
            if (Sha256.isHex(vid) && version.matches("[0-9a-f]{4,64}") && vid.startsWith(version)) {
                ids.add(vid);
            }
        }
        if (ids.size() == 1) {
            return ids.iterator().next();
        }
        if (ids.size() > 1) {
            throw new UserError("Version '" + version + "' of dataset '" + ds + "' is ambiguous on " + src.describe()
                    + ": it starts " + ids.size() + " version ids. Give more characters.");
        }
        Set<String> tags = new TreeSet<>();
        for (String k : src.list(RemoteLayout.refsPrefix(ds))) {
            tags.add(k.substring(RemoteLayout.refsPrefix(ds).length()));
        }
        if (tags.isEmpty() && src.list(prefix).isEmpty()) {
            Set<String> datasets = new TreeSet<>();
            for (String k : src.list("refs/")) {
                datasets.add(k.split("/")[1]);
            }
            throw new UserError("Unknown dataset '" + ds + "' on " + src.describe() + ". Datasets there: "
                    + (datasets.isEmpty() ? "none" : String.join(", ", datasets)) + ".");
        }
        throw new UserError("Unknown version '" + version + "' of dataset '" + ds + "' on " + src.describe()
                + ". Its tags there: " + (tags.isEmpty() ? "none" : String.join(", ", tags)) + "; or give a version id.");
    }

    /** A record or manifest of the source: from the cache, else fetched from the source and checked against its id. */
    private <T> T metadata(Remote src, String key, String id, java.util.function.Function<byte[], T> parse,
                           java.util.function.Supplier<Optional<T>> cached) {
        return cached.get().or(() -> project.transfer().fetchMetadata(src, key, id, parse))
                .orElseThrow(() -> new UserError(src.describe() + " lacks " + key + ", which its version names. "
                        + "Push it again from the project that made it."));
    }
}
