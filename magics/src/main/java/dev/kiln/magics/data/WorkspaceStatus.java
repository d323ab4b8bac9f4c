package dev.kiln.magics.data;

import dev.kiln.magics.core.UserError;
import dev.kiln.magics.data.remote.Remote;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/** {@code kiln data status}: each dataset's directory against kiln.lock, the cache and (unless offline) the remote. */
final class WorkspaceStatus {

    private final ProjectContext project;

    WorkspaceStatus(ProjectContext project) {
        this.project = project;
    }

    List<DataRepository.DatasetStatus> status(Collection<String> datasets, String remoteName, boolean offline) {
        LockFile lock = project.lock();
        Collection<String> names = datasets == null || datasets.isEmpty() ? lock.datasets().keySet() : datasets;
        List<DataRepository.DatasetStatus> out = new ArrayList<>();
        for (String ds : names) {
            LockFile.Entry pinned = lock.get(ds);
            if (pinned == null) {
                throw new UserError("Unknown dataset '" + ds + "': not in kiln.lock. Datasets of this project: "
                        + project.datasetNames() + ".");
            }
            out.add(status(ds, pinned, remoteName, offline));
        }
        return out;
    }

    private DataRepository.DatasetStatus status(String ds, LockFile.Entry pinned, String remoteName, boolean offline) {
        Path dir = project.workspace().resolve(pinned.path());
        boolean useRemote = !offline && project.hasRemote(remoteName);
        // three things at once: the remote (opening an S3 client costs as much as the rest), the
        // manifest against the cache, and the workspace against the stat cache
        CompletableFuture<String> remoteState = useRemote
                ? inBackground(() -> remoteState(ds, pinned.version(), remoteName))
                : CompletableFuture.completedFuture(offline ? "remote not checked" : "no remote");
        CompletableFuture<Manifest> manifest = inBackground(() -> project.metadata()
                .manifest(pinned.manifest(), useRemote ? remoteName : null, ds, pinned.version()));
        CompletableFuture<Set<String>> uncached = manifest.thenApply(mf -> project.cache()
                .missing(mf.files().stream().map(ManifestEntry::sha256).collect(Collectors.toSet())));
        Map<String, Workspace.FileState> ws = project.workspace().files(dir, project.stats(), project.jobs());
        Manifest m = join(manifest);
        List<String> modified = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (ManifestEntry e : m.files()) {
            Workspace.FileState f = ws.get(e.path());
            if (f == null) {
                missing.add(e.path());
            } else if (!f.sha256().equals(e.sha256())) {
                modified.add(e.path());
            }
        }
        Set<String> notCached = join(uncached);
        Map<String, ManifestEntry> byPath = m.byPath();
        List<String> added = new ArrayList<>();
        for (String p : ws.keySet()) {
            if (!byPath.containsKey(p)) {
                added.add(p);
            }
        }
        project.stats().save();
        String state = join(remoteState);
        return new DataRepository.DatasetStatus(ds, pinned.path(), pinned.version(), pinned.manifest(),
                Workspace.sorted(modified), Workspace.sorted(added), Workspace.sorted(missing), notCached.size(), state);
    }

    /** On a thread of its own: the common pool has a single thread on a two-core machine. */
    private static <T> CompletableFuture<T> inBackground(Supplier<T> work) {
        return CompletableFuture.supplyAsync(work, r -> {
            Thread t = new Thread(r, "kiln-status");
            t.setDaemon(true);
            t.start();
        });
    }

    /** The value, or the exception the work threw (a {@link UserError} stays one). */
    private static <T> T join(CompletableFuture<T> f) {
        try {
            return f.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    private String remoteState(String ds, String version, String remoteName) {
        Remote r = project.remote(remoteName);
        String head = Metadata.refTarget(r, ds, VersionSpecs.LATEST).orElse(null);
        // the remote's latest is pushed by definition: one request answers the usual case
        boolean pushed = version.equals(head) || r.exists(RemoteLayout.version(ds, version));
        return !pushed ? "not pushed to " + r.name()
                : version.equals(head) ? "pushed to " + r.name() + ", latest"
                : "pushed to " + r.name() + "; latest there is " + (head == null ? "unset" : head.substring(0, 12));
    }
}
