package dev.kiln.magics.data;

import dev.kiln.magics.core.Lineage;
import dev.kiln.magics.core.VersionRecord;
import dev.kiln.magics.core.Progress;
import dev.kiln.magics.core.UserError;
import dev.kiln.magics.data.remote.Remote;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A project's datasets: what {@code kiln data …} does, as a Java API other engines call too.
 * <pre>
 * try (DataRepository repo = DataRepository.open(projectDir, System.getenv())) {
 *     Optional&lt;DataRepository.Tracked&gt; in = repo.tracking(csv);            // which version is this file?
 *     repo.recordVersion("traffic-parquet", outDir, "converted",
 *             List.of(new Lineage(in.get().dataset(), in.get().version(), "parquet convert")));
 * }
 * </pre>
 * Each verb has a room of its own, all sharing one {@link ProjectContext}: {@link VersionSpecs}
 * (names to ids), {@link VersionRecorder} (add), {@link Publisher} (push, tag),
 * {@link VersionCheckout} (pull, checkout), {@link WorkspaceStatus}, {@link VersionHistory} and
 * {@link VersionDiff}; bytes move between a remote and the cache through the one {@link Transfer}.
 */
public final class DataRepository implements AutoCloseable {

    /** The name of the ref every push moves: the dataset's newest version on the remote. */
    public static final String LATEST = VersionSpecs.LATEST;

    private final ProjectContext project;
    private final VersionSpecs specs;
    private final java.util.concurrent.atomic.AtomicLong fetched = new java.util.concurrent.atomic.AtomicLong();

    private DataRepository(Path projectDir, Map<String, String> env, Progress progress, int jobs) {
        this.project = new ProjectContext(projectDir, env, progress, jobs);
        this.specs = new VersionSpecs(project);
    }

    /** The project in {@code projectDir}, with the cache and credentials its environment names. */
    public static DataRepository open(Path projectDir, Map<String, String> env) {
        return new DataRepository(projectDir, env, Progress.NONE, 16);
    }

    /** As {@link #open(Path, Map)}, reporting progress and moving up to {@code jobs} files at once. */
    public static DataRepository open(Path projectDir, Map<String, String> env, Progress progress, int jobs) {
        return new DataRepository(projectDir, env, progress, jobs);
    }

    /** Hard-link workspace files to the cache (the default) or always copy them. */
    public DataRepository linkFromCache(boolean link) {
        project.linkFromCache(link);
        return this;
    }

    public Path projectDir() {
        return project.projectDir();
    }

    public Cache cache() {
        return project.cache();
    }

    public LockFile lockFile() {
        return project.lock();
    }

    /** Which dataset version a path belongs to (see {@link #tracking}). */
    public record Tracked(String dataset, String datasetPath, String version, String manifest,
                          String file, String sha256) {
    }

    /** @param record the version's record (of an unchanged directory: as the cache holds it, else null) */
    public record AddResult(String dataset, String path, String version, String parent, String manifest,
                            long files, long size, long objectsAdded, boolean changed, List<Lineage> lineage,
                            VersionRecord record) {
    }

    public record PushResult(String dataset, String version, int versionsSent, long objectsSent,
                             long objectsPresent, long bytesSent, String remote, String latestBefore,
                             String tag, String note, VersionRecord record) {
    }

    public record PullResult(String dataset, String path, String version, String manifest, String subpath,
                             long objectsFetched, long bytesFetched, long filesWritten, long filesRemoved,
                             long filesUnchanged, long files, long size, String remote, VersionRecord record) {
    }

    public record DatasetStatus(String dataset, String path, String version, String manifest,
                                List<String> modified, List<String> added, List<String> missing,
                                long objectsNotCached, String remoteState) {
        public boolean clean() {
            return modified.isEmpty() && added.isEmpty() && missing.isEmpty();
        }
    }

    public record HistoryEntry(String id, VersionRecord record, List<String> tags, boolean pinned) {
    }

    public record History(String dataset, List<HistoryEntry> versions, String remote) {
    }

    public record FileChange(String path, String kind, long sizeBefore, long sizeAfter,
                             String detail) {
    }

    public record DiffResult(String dataset, String from, String to, List<FileChange> changes,
                             long bytesAdded, long bytesRemoved) {
    }

    /** @param record the tagged version's record when the cache holds it, else null */
    public record TagResult(String dataset, String tag, String version, String previous, String remote,
                            VersionRecord record) {
    }

    /** @param unchanged kiln.yaml had this remote already, as given */
    public record RemoteAdded(RemoteConfig remote, boolean isDefault, boolean unchanged) {
    }

    /**
     * The dataset whose directory holds {@code path} (a file or a directory, absolute or relative to
     * the project), with the version the lock file pins and, for a file, its hash in that version.
     */
    public Optional<Tracked> tracking(Path path) {
        return specs.tracking(path);
    }

    /** {@code kiln data add}: records the directory's current content as a new version. */
    public AddResult add(String path, String name, String message) {
        Path dir = project.workspace().resolve(path);
        String dataset = name != null ? name : dir.getFileName().toString();
        return recordVersion(dataset, dir, message, List.of());
    }

    /**
     * Records the content of {@code dir} as a new version of {@code dataset} (created if new),
     * its parent the version the lock file pinned, and pins it. Objects go to the cache; push
     * publishes them.
     *
     * @param lineage the versions this one was derived from (e.g. the CSV a Parquet file was made of)
     */
    public AddResult recordVersion(String dataset, Path dir, String message, List<Lineage> lineage) {
        return new VersionRecorder(project).record(dataset, dir, message, lineage);
    }

    /**
     * {@code kiln data remote add}: the same remote again (a notebook's set-up cell run again, a clone
     * whose kiln.yaml has it) changes nothing; another one under that name needs {@code force}.
     */
    public RemoteAdded addRemote(RemoteConfig r, boolean makeDefault, boolean force) {
        r.validate();
        ProjectConfig config = project.config();
        RemoteConfig existing = config.remotes().get(r.name());
        boolean same = existing != null && existing.sameAs(r, project.projectDir());
        if (existing != null && !same && !force) {
            throw new UserError("Remote '" + r.name() + "' exists already (" + existing.url()
                    + (existing.endpoint() != null ? " at " + existing.endpoint() : "") + "). Use --force to replace it.");
        }
        if (same && (!makeDefault || r.name().equals(config.defaultRemote()))) {
            return new RemoteAdded(existing, r.name().equals(config.defaultRemote()), true);
        }
        config.putRemote(same ? existing : r, makeDefault);
        config.write();
        return new RemoteAdded(same ? existing : r, r.name().equals(config.defaultRemote()), false);
    }

    public Map<String, RemoteConfig> remoteConfigs() {
        return project.config().remotes();
    }

    public String defaultRemoteName() {
        return project.config().defaultRemote();
    }

    /** The remote of that name, or the default when {@code name} is null; opened once and checked. */
    public Remote remote(String name) {
        return project.remote(name);
    }

    /** {@code kiln data push}: publishes the pinned versions (all datasets when none named). */
    public List<PushResult> push(Collection<String> datasets, String remoteName, String tag) {
        return new Publisher(project, specs).push(datasets, remoteName, tag);
    }

    /** {@code kiln data tag NAME TAG}: names a pushed version on the remote. */
    public TagResult tag(String ds, String tag, String versionSpec, boolean force, String remoteName) {
        return new Publisher(project, specs).tag(ds, tag, versionSpec, force, remoteName);
    }

    /** {@code kiln data pull} without arguments: every pinned dataset at its pinned version. */
    public List<PullResult> pullAll(String remoteName, boolean force) {
        return new VersionCheckout(project, specs, "pull").pullAll(remoteName, force);
    }

    /**
     * {@code kiln data pull NAME[@VERSION][/SUBPATH]}: fetches what the cache lacks, verifies it and
     * checks the version out in the workspace, then pins it. A failure leaves the workspace and
     * kiln.lock as they were.
     *
     * @param to where a dataset new to this project goes (default {@code data/NAME})
     */
    public PullResult pull(String spec, String remoteName, boolean force, String to) {
        return new VersionCheckout(project, specs, "pull").pull(spec, remoteName, force, to);
    }

    /** {@code kiln data checkout NAME@VERSION[/SUBPATH]}: as {@link #pull}, its bars and messages saying checkout. */
    public PullResult checkout(String spec, String remoteName, boolean force) {
        return new VersionCheckout(project, specs, "checkout").pull(spec, remoteName, force, null);
    }

    /** {@code kiln data status}: workspace against lock file, cache and (unless offline) remote. */
    public List<DatasetStatus> status(Collection<String> datasets, String remoteName, boolean offline) {
        return new WorkspaceStatus(project).status(datasets, remoteName, offline);
    }

    /** {@code kiln data version NAME}: the versions from the newest back, with their tags. */
    public History history(String ds, String remoteName, int limit) {
        return history(ds, null, remoteName, limit);
    }

    /**
     * {@code kiln data version NAME[@VERSION]}: the versions from the newest back (or from the one
     * named), with their tags.
     *
     * @param from a version spec to start at (a tag, {@code latest}, an id or its prefix); null: the newest
     */
    public History history(String ds, String from, String remoteName, int limit) {
        return new VersionHistory(project, specs).history(ds, from, remoteName, limit);
    }

    /** {@code kiln data diff A [B]}: what changed between two versions, or a version and the workspace. */
    public DiffResult diff(String a, String b, String remoteName) {
        return new VersionDiff(project, specs).diff(a, b, remoteName);
    }

    /**
     * The files a version spec names ({@code NAME[@VERSION][/PATH]}), resolved through the lock file,
     * the cache, then the remote, without pulling anything.
     */
    public VersionObjects.Listing files(String spec, String remoteName) {
        return new VersionObjects(project, specs).list(spec, remoteName);
    }

    /** {@code kiln data ls NAME@VERSION [PATH]}: a version's files without pulling them. */
    public VersionListing.LsResult ls(String spec, String remoteName) {
        return new VersionListing(project, specs).list(spec, remoteName);
    }

    /**
     * Reads one file of a version in place ({@link ObjectReader}): by verified blocks, cached, without
     * pulling it into the workspace.
     *
     * @param remoteName the remote to read from when the cache lacks something (null: the default one)
     */
    public ObjectReader reader(ManifestEntry file, String remoteName) {
        return new ObjectReader(project.cache(), project.transfer(),
                () -> project.hasRemote(remoteName) ? Optional.of(project.remote(remoteName)) : Optional.empty(),
                file, fetched, project.jobs());
    }

    /** Bytes the readers of this repository fetched from a remote (blocks and whole objects). */
    public long bytesFetched() {
        return fetched.get();
    }

    /**
     * The files of {@code NAME@VERSION/PATH} (a file, a folder or a glob) in the cache, fetched when
     * missing and verified, for engines that read them in place (SQL); the workspace is not touched.
     */
    public CachedVersion.Files cachedFiles(String spec, String remoteName) {
        return new CachedVersion(project, specs).files(spec, remoteName);
    }

    /**
     * {@code kiln data gc}: the remote's manifests and objects no version reachable from a ref or tag
     * uses, older than {@code olderThan}; removed unless {@code dryRun}.
     */
    public GarbageCollector.Report gc(String remoteName, java.time.Duration olderThan, boolean dryRun) {
        return new GarbageCollector(project).collect(remoteName, olderThan, dryRun);
    }

    /**
     * {@code kiln data import SOURCE NAME@VERSION [--as LOCAL]}: a version of another project's remote
     * (a remote of kiln.yaml, or {@code source}'s URL reached as {@code sourceConfig} says) as a new
     * version of LOCAL on this project's remote, its lineage naming the source.
     */
    public VersionImport.Imported importVersion(String source, String spec, String as, String remoteName,
                                                RemoteConfig sourceConfig) {
        return new VersionImport(project).run(source, spec, as, remoteName, sourceConfig);
    }

    @Override
    public void close() {
        project.close();
    }
}
