package dev.kiln.magics.data;

import dev.kiln.magics.core.VersionRecord;
import dev.kiln.magics.core.Disk;
import dev.kiln.magics.core.Progress;
import dev.kiln.magics.core.UserError;
import dev.kiln.magics.data.remote.Remote;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code kiln data pull} and {@code kiln data checkout}: works out and checks the
 * {@link CheckoutPlan} (links, local changes, free space) before anything is written, fetches what
 * the cache lacks through the {@link Transfer}, then applies the plan as a
 * {@link CheckoutTransaction} and pins the version. A failure at any step leaves the workspace and
 * kiln.lock as they were.
 */
final class VersionCheckout {

    private final ProjectContext project;
    private final VersionSpecs specs;
    /** The verb the user typed, {@code pull} or {@code checkout}: how bars and messages name what happens. */
    private final String verb;

    VersionCheckout(ProjectContext project, VersionSpecs specs, String verb) {
        this.project = project;
        this.specs = specs;
        this.verb = verb;
    }

    /** Every pinned dataset at its pinned version. */
    List<DataRepository.PullResult> pullAll(String remoteName, boolean force) {
        LockFile lock = project.lock();
        if (lock.datasets().isEmpty()) {
            throw new UserError("Nothing to pull: kiln.lock tracks no dataset. Pull one by name: 'kiln data pull NAME@latest'.");
        }
        List<DataRepository.PullResult> out = new ArrayList<>();
        for (String ds : List.copyOf(lock.datasets().keySet())) {
            out.add(pull(ds, remoteName, force, null));
        }
        return out;
    }

    /** @param to where a dataset new to this project goes (default {@code data/NAME}) */
    DataRepository.PullResult pull(String spec, String remoteName, boolean force, String to) {
        VersionSpecs.Spec s = specs.parse(spec);
        String id = specs.resolve(s.dataset(), s.version(), remoteName);
        return checkout(s.dataset(), id, s.subpath(), remoteName, force, to);
    }

    private DataRepository.PullResult checkout(String ds, String id, String sub, String remoteName, boolean force, String to) {
        Metadata metadata = project.metadata();
        Workspace workspace = project.workspace();
        LockFile lock = project.lock();
        Cache cache = project.cache();
        VersionRecord record = metadata.version(ds, id, remoteName);
        Manifest target = metadata.manifest(record.manifest(), remoteName, ds, id).under(sub);
        if (target.files().isEmpty()) {
            throw new UserError("Version " + id.substring(0, 12) + " of dataset '" + ds + "' has no files under '" + sub + "'.");
        }
        LockFile.Entry pinned = lock.get(ds);
        Path dir = workspace.resolve(pinned != null ? pinned.path() : (to != null ? to : "data/" + ds));
        String rel = workspace.relative(dir);
        Map<String, ManifestEntry> locked = pinned == null ? Map.of()
                : metadata.manifest(pinned.manifest(), remoteName, ds, pinned.version()).byPath();
        List<String> linksOnTheWay = workspace.linksOnTheWay(dir);
        Workspace.Listing have = linksOnTheWay.isEmpty() ? workspace.scan(dir, project.stats(), project.jobs())
                : new Workspace.Listing(Map.of(), Set.of(), List.of());
        CheckoutPlan plan = CheckoutPlan.of(dir, target, sub.isEmpty(), locked, have);
        plan.check(workspace, ds, id, force, linksOnTheWay);

        Map<String, ManifestEntry> need = toFetch(plan);
        long fetchBytes = need.values().stream().mapToLong(ManifestEntry::size).sum();
        boolean link = project.linkFromCache() && Disk.sameFileSystem(cache.root(), dir);
        DiskSpace space = new DiskSpace(workspace.projectDir(),
                (verb.equals("pull") ? "Pulling " : "Checking out ") + ds + "@" + id.substring(0, 12),
                "Nothing was changed: " + rel + " and kiln.lock are as they were")
                .need(cache.root(), fetchBytes)
                .need(dir, link ? 0 : plan.bytesToWrite());
        space.check();
        String remoteUsed = null;
        if (!need.isEmpty()) {
            Remote r = project.remote(remoteName);
            remoteUsed = r.name();
            try (Progress.Bar bar = project.progress().start("pull " + ds, fetchBytes, Progress.Unit.BYTES)) {
                project.transfer().fetch(r, need.values(), bar);
            } catch (UncheckedIOException e) {
                throw space.fault(e, cache.root());
            }
        }
        CheckoutTransaction tx = new CheckoutTransaction(plan, cache, link, project.jobs());
        StatCache sc = project.stats();
        // nothing to write (the workspace holds the version): no "update ds 0 files 0 files/s" bar
        Progress shown = plan.writes().isEmpty() ? Progress.NONE : project.progress();
        // a pull's files go in as git's "Updating files"; a checkout's bar keeps its verb
        try (Progress.Bar bar = shown.start((verb.equals("pull") ? "update " : "checkout ") + ds, plan.writes().size(),
                Progress.Unit.FILES)) {
            tx.apply(sc, rel + "/", bar);
            sc.save();
            lock.put(ds, new LockFile.Entry(rel, id, record.manifest(), record.size(), record.files()));
            lock.write();
        } catch (RuntimeException e) {
            lock.restore(ds, pinned);
            try {
                tx.rollback();
            } catch (UserError undone) {
                undone.addSuppressed(e);
                throw undone;
            }
            throw e instanceof UncheckedIOException io ? space.fault(io, dir) : e;
        }
        tx.finish();
        fetchIndexes(metadata.manifest(record.manifest(), remoteName, ds, id), remoteName);
        return new DataRepository.PullResult(ds, rel, id, record.manifest(), sub, need.size(), fetchBytes,
                plan.writes().size(), plan.deletes().size(), plan.unchanged(), target.files().size(), target.totalSize(),
                remoteUsed, record);
    }

    /** The indexes of the version's tables, so its rows are known here too; never a reason for the pull to fail. */
    private void fetchIndexes(Manifest version, String remoteName) {
        try {
            new PulledIndexes(project.cache(), project.jobs()).fetch(version, () -> project.remote(remoteName));
        } catch (RuntimeException e) {
            // an index out of reach leaves the rows unknown; the version is checked out and pinned
        }
    }

    /** The objects the plan writes that the cache lacks, or holds damaged (checked again, and removed, here). */
    private Map<String, ManifestEntry> toFetch(CheckoutPlan plan) {
        Cache cache = project.cache();
        Map<String, ManifestEntry> need = new LinkedHashMap<>();
        Map<String, ManifestEntry> check = new LinkedHashMap<>();
        for (CheckoutPlan.Write w : plan.writes()) {
            ManifestEntry e = w.entry();
            (cache.has(e.sha256()) ? check : need).putIfAbsent(e.sha256(), e);
        }
        Parallel.forEach(check.values(), project.jobs(), e -> {
            if (!cache.verify(e.sha256())) {
                synchronized (need) {
                    need.put(e.sha256(), e);
                }
            }
        });
        return need;
    }
}
