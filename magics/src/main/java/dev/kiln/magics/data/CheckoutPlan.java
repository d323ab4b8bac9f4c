package dev.kiln.magics.data;

import dev.kiln.magics.core.ProgressText;
import dev.kiln.magics.core.UserError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a checkout does to a dataset's directory, worked out before anything is written: the files
 * to write (new, or replacing others), to delete, to keep; the directories to make and to remove;
 * the local changes it would overwrite; and the links that forbid it. {@link CheckoutTransaction}
 * applies it. All of it comes from the directory's listing, without a system call per file.
 *
 * @param writes      files to write, sorted by path
 * @param deletes     files of the pinned version the new one lacks
 * @param displaced   other files in the way (where a directory must go, or inside a directory where
 *                    a file must go); a checkout removes them only when forced
 * @param dirsToMake  directories to make, parents first
 * @param dirsToClear directories where a file must go, emptied first and removed, children first
 * @param unchanged   files already as the version has them
 * @param conflicts   local changes the checkout would overwrite or remove, sorted
 * @param links       symbolic links in the directory, sorted
 */
record CheckoutPlan(Path dir, List<Write> writes, List<String> deletes, List<String> displaced,
                    List<String> dirsToMake, List<String> dirsToClear, long unchanged, List<String> conflicts,
                    List<String> links) {

    /** A file to write, and whether one is there already (it is moved aside, and back on a rollback). */
    record Write(ManifestEntry entry, boolean replaces) {
    }

    /**
     * @param target the files the version puts there (all of them, or those under a subpath)
     * @param full   whether {@code target} is the whole version (then files of the pinned version it lacks go)
     * @param pinned the pinned version's files by path (empty for a dataset new to the project)
     * @param have   the directory as it is now
     */
    static CheckoutPlan of(Path dir, Manifest target, boolean full, Map<String, ManifestEntry> pinned,
                           Workspace.Listing have) {
        Map<String, Workspace.FileState> files = have.files();
        Map<String, ManifestEntry> wanted = target.byPath();
        List<Write> writes = new ArrayList<>();
        List<String> conflicts = new ArrayList<>();
        Set<String> deletes = new LinkedHashSet<>();
        long unchanged = 0;
        for (ManifestEntry e : target.files()) {
            Workspace.FileState f = files.get(e.path());
            if (f != null && f.sha256().equals(e.sha256())) {
                unchanged++;
                continue;
            }
            if (f != null && !isPinnedContent(pinned, f)) {
                conflicts.add(e.path());
            }
            writes.add(new Write(e, f != null));
        }
        if (full) {
            for (Workspace.FileState f : files.values()) {
                ManifestEntry was = pinned.get(f.path());
                if (was != null && !wanted.containsKey(f.path())) {
                    if (!was.sha256().equals(f.sha256())) {
                        conflicts.add(f.path());
                    }
                    deletes.add(f.path());
                }
            }
        }
        // directories the writes need: a file in the way is moved aside first
        Set<String> displaced = new LinkedHashSet<>();
        Set<String> seen = new HashSet<>();
        List<String> dirsToMake = new ArrayList<>();
        for (Write w : writes) {
            String path = w.entry().path();
            for (int slash = path.indexOf('/'); slash > 0; slash = path.indexOf('/', slash + 1)) {
                String d = path.substring(0, slash);
                if (!seen.add(d) || have.dirs().contains(d)) {
                    continue;
                }
                if (files.containsKey(d) && !deletes.contains(d)) {
                    displaced.add(d);
                    conflicts.add(d);
                }
                dirsToMake.add(d);
            }
        }
        // a directory where a file goes: what is in it goes first
        List<String> dirsToClear = new ArrayList<>();
        for (Write w : writes) {
            String path = w.entry().path();
            if (!have.dirs().contains(path)) {
                continue;
            }
            String under = path + "/";
            for (String f : files.keySet()) {
                if (f.startsWith(under) && !deletes.contains(f) && displaced.add(f)) {
                    conflicts.add(f);
                }
            }
            dirsToClear.add(path);
            for (String d : have.dirs()) {
                if (d.startsWith(under)) {
                    dirsToClear.add(d);
                }
            }
        }
        dirsToClear.sort(Collections.reverseOrder());
        return new CheckoutPlan(dir, List.copyOf(writes), List.copyOf(deletes), List.copyOf(displaced),
                List.copyOf(dirsToMake), List.copyOf(dirsToClear), unchanged, Workspace.sorted(conflicts),
                List.copyOf(have.links()));
    }

    private static boolean isPinnedContent(Map<String, ManifestEntry> pinned, Workspace.FileState have) {
        ManifestEntry was = pinned.get(have.path());
        return was != null && was.sha256().equals(have.sha256());
    }

    /**
     * Refuses the checkout, before anything is written, when a link lies in the directory or on the
     * way to it, when a path would leave it, or (unless {@code force}) when it would overwrite local
     * changes.
     *
     * @param linksOnTheWay links between the project and the directory, relative to the project
     */
    void check(Workspace workspace, String dataset, String version, boolean force, List<String> linksOnTheWay) {
        String rel = workspace.relative(dir);
        List<String> all = new ArrayList<>(linksOnTheWay);
        for (String l : links) {
            all.add(rel + "/" + l);
        }
        if (!all.isEmpty()) {
            List<String> targets = new ArrayList<>();
            for (String l : all) {
                targets.add(linkTarget(workspace.projectDir().resolve(l)));
            }
            throw new LinkInWorkspaceException(dataset, rel, all, targets);
        }
        for (Write w : writes) {
            if (!Manifest.isSafePath(w.entry().path())) {
                throw new IllegalStateException("unsafe path in a checked manifest: " + w.entry().path());
            }
        }
        if (!conflicts.isEmpty() && !force) {
            throw new UserError("Dataset '" + dataset + "' has local changes that " + version.substring(0, 12)
                    + " would overwrite: " + String.join(", ", conflicts.subList(0, Math.min(5, conflicts.size())))
                    + (conflicts.size() > 5 ? " and " + (conflicts.size() - 5) + " more" : "")
                    + ". Record them first with 'kiln data add " + rel + "', or discard them with --force.");
        }
    }

    private static String linkTarget(Path link) {
        try {
            return Files.readSymbolicLink(link).toString();
        } catch (java.io.IOException | UnsupportedOperationException e) {
            return "?";
        }
    }

    /** The bytes the writes put on disk when they are copied rather than linked. */
    long bytesToWrite() {
        long n = 0;
        for (Write w : writes) {
            n += w.entry().size();
        }
        return n;
    }

    /** Whether anything is moved aside while the checkout runs. */
    boolean movesAside() {
        return !deletes.isEmpty() || !displaced.isEmpty() || writes.stream().anyMatch(Write::replaces);
    }

    @Override
    public String toString() {
        return "checkout of " + dir + ": write " + writes.size() + " (" + ProgressText.bytes(bytesToWrite()) + ", "
                + writes.stream().filter(Write::replaces).count() + " replacing), delete " + deletes.size()
                + ", keep " + unchanged + ", make " + dirsToMake.size() + " directories, clear " + dirsToClear.size()
                + (displaced.isEmpty() ? "" : ", move out of the way " + displaced)
                + (conflicts.isEmpty() ? "" : "; conflicts " + conflicts)
                + (links.isEmpty() ? "" : "; links " + links);
    }
}
