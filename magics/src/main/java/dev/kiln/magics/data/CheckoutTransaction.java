package dev.kiln.magics.data;

import dev.kiln.magics.core.Sha256;
import dev.kiln.magics.core.Progress;
import dev.kiln.magics.core.TempFiles;
import dev.kiln.magics.core.UserError;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Applies a {@link CheckoutPlan} so that it can be undone until it is finished. Files to delete
 * (and those a forced checkout discards) are moved aside into a stash in the dataset's directory;
 * new content is staged as temporary files beside its targets, linked or copied from the cache and
 * checked; only when every one is in place are they renamed over their targets, each replaced file
 * moved aside first. {@link #rollback()} puts everything back as it was; {@link #finish()} drops
 * the stash.
 */
final class CheckoutTransaction {

    private final CheckoutPlan plan;
    private final Path dir;
    private final Cache cache;
    private final boolean link;
    private final int jobs;
    private final String tempPrefix = TempFiles.ownPrefix();
    private final Path stash;
    private final AtomicInteger stashed = new AtomicInteger();
    /** Pairs {original, where it was moved}, in the order moved. */
    private final List<Path[]> movedAside = Collections.synchronizedList(new ArrayList<>());
    private final List<Path> made = new ArrayList<>();
    private final List<Path> cleared = new ArrayList<>();
    private final AtomicReferenceArray<Path> staged;
    private final AtomicReferenceArray<Path> replacedBy;
    private final AtomicReferenceArray<Boolean> committed;
    private boolean stashMade;

    /** @param link hard-link files from the cache (falling back to a copy where that fails) rather than copy them */
    CheckoutTransaction(CheckoutPlan plan, Cache cache, boolean link, int jobs) {
        this.plan = plan;
        this.dir = plan.dir();
        this.cache = cache;
        this.link = link;
        this.jobs = jobs;
        this.stash = dir.resolve(tempPrefix + "stash");
        int n = plan.writes().size();
        this.staged = new AtomicReferenceArray<>(n);
        this.replacedBy = new AtomicReferenceArray<>(n);
        this.committed = new AtomicReferenceArray<>(n);
    }

    /**
     * Makes the workspace what the plan says, recording each file's new state in {@code stats}
     * under {@code statPrefix}. A failure leaves it half done: call {@link #rollback()}.
     *
     * @throws DiskSpace.WriteFailed naming the file that could not be written
     */
    void apply(StatCache stats, String statPrefix, Progress.Bar bar) {
        makeDirectory(dir);
        if (plan.movesAside()) {
            io(dir, () -> Files.createDirectory(stash));
            stashMade = true;
        }
        for (String p : plan.deletes()) {
            moveAside(dir.resolve(p));
        }
        for (String p : plan.displaced()) {
            moveAside(dir.resolve(p));
        }
        for (String d : plan.dirsToClear()) {
            Path p = dir.resolve(d);
            step(p, () -> Files.delete(p));
            cleared.add(p);
        }
        for (String d : plan.dirsToMake()) {
            Path p = dir.resolve(d);
            io(p, () -> Files.createDirectory(p));
            made.add(p);
        }
        List<Integer> all = new ArrayList<>(plan.writes().size());
        for (int i = 0; i < plan.writes().size(); i++) {
            all.add(i);
        }
        int threads = all.size() > 32 ? jobs : 1;
        long[] stagedAt = new long[all.size()];
        Parallel.forEach(all, threads, i -> {
            stagedAt[i] = StatCache.nowNanos();
            stage(i);
            bar.advance(1);
        });
        Parallel.forEach(all, threads, i -> {
            ManifestEntry e = plan.writes().get(i).entry();
            Path target = dir.resolve(e.path());
            commit(i, target);
            BasicFileAttributes a = io(target,
                    () -> Files.readAttributes(target, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS));
            stats.put(statPrefix + e.path(), a, e.sha256(), stagedAt[i]);
        });
    }

    /** Puts the cached object beside its target under a temporary name, checked against its hash. */
    private void stage(int i) {
        ManifestEntry e = plan.writes().get(i).entry();
        Path target = dir.resolve(e.path());
        Path tmp = target.resolveSibling(tempPrefix + i);
        Path cached = cache.object(e.sha256());
        staged.set(i, tmp);
        step(target, () -> {
            if (link) {
                try {
                    Files.createLink(tmp, cached);
                    return;
                } catch (FileSystemException | UnsupportedOperationException ex) {
                    // another file system, or links not allowed: copy
                    Files.deleteIfExists(tmp);
                }
            }
            MessageDigest md = Sha256.digest();
            try (InputStream in = Files.newInputStream(cached); OutputStream out = Files.newOutputStream(tmp)) {
                byte[] buf = new byte[1 << 16];
                for (int n; (n = in.read(buf)) > 0; ) {
                    md.update(buf, 0, n);
                    out.write(buf, 0, n);
                }
            }
            if (!Sha256.hex(md).equals(e.sha256())) {
                cache.verify(e.sha256()); // removes it, so that the next run fetches it again
                throw new UserError("The cache's copy of " + e.path() + " (" + cached + ") changed on disk: it no longer "
                        + "hashes to " + e.sha256() + ". Nothing was changed; run the command again to fetch it anew.");
            }
        });
    }

    private void commit(int i, Path target) {
        if (plan.writes().get(i).replaces()) {
            replacedBy.set(i, moveAside(target));
        }
        io(target, () -> Files.move(staged.get(i), target, StandardCopyOption.ATOMIC_MOVE));
        committed.set(i, true);
        staged.set(i, null);
    }

    private Path moveAside(Path file) {
        Path aside = stash.resolve(String.valueOf(stashed.getAndIncrement()));
        io(file, () -> Files.move(file, aside));
        movedAside.add(new Path[] {file, aside});
        return aside;
    }

    /** Makes {@code d} and the parents it lacks, remembering each to remove on a rollback. */
    private void makeDirectory(Path d) {
        List<Path> missing = new ArrayList<>();
        for (Path p = d; p != null && !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS); p = p.getParent()) {
            missing.add(0, p);
        }
        for (Path p : missing) {
            io(p, () -> Files.createDirectory(p));
            made.add(p);
        }
    }

    /**
     * Puts the workspace back as it was before {@link #apply}: written files removed (or the ones they
     * replaced put back), staged files and made directories removed, everything moved aside returned.
     *
     * @throws UserError when something could not be put back, naming where it is
     */
    void rollback() {
        List<String> failed = new ArrayList<>();
        for (int i = plan.writes().size() - 1; i >= 0; i--) {
            Path target = dir.resolve(plan.writes().get(i).entry().path());
            Path old = replacedBy.get(i);
            try {
                if (Boolean.TRUE.equals(committed.get(i)) && old == null) {
                    Files.deleteIfExists(target);
                }
                Path tmp = staged.get(i);
                if (tmp != null) {
                    Files.deleteIfExists(tmp);
                }
            } catch (IOException e) {
                failed.add(target + " (" + e.getMessage() + ")");
            }
        }
        for (int i = made.size() - 1; i >= 0; i--) {
            try {
                Files.deleteIfExists(made.get(i));
            } catch (IOException e) {
                failed.add(made.get(i) + " (" + e.getMessage() + ")");
            }
        }
        for (int i = cleared.size() - 1; i >= 0; i--) {
            try {
                Files.createDirectory(cleared.get(i));
            } catch (IOException e) {
                failed.add(cleared.get(i) + " (" + e.getMessage() + ")");
            }
        }
        List<Path[]> moves = new ArrayList<>(movedAside);
        for (int i = moves.size() - 1; i >= 0; i--) {
            Path[] m = moves.get(i);
            try {
                Files.move(m[1], m[0], StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                failed.add(m[0] + " (" + e.getMessage() + ")");
            }
        }
        if (!failed.isEmpty()) {
            throw new UserError("The checkout failed, and " + failed.size() + " of its changes could not be undone: "
                    + String.join(", ", failed.subList(0, Math.min(5, failed.size())))
                    + (failed.size() > 5 ? " and more" : "") + ". The files it moved aside are in " + stash
                    + "; move them back by hand (the stash keeps them until a later Kiln command finds it abandoned).");
        }
        if (stashMade) {
            TempFiles.deleteQuietly(stash);
        }
    }

    /** Drops what the checkout replaced or deleted, and the directories the deletions emptied. Best effort. */
    void finish() {
        if (stashMade) {
            TempFiles.deleteQuietly(stash);
        }
        for (Path[] m : movedAside) {
            for (Path d = m[0].getParent(); d != null && d.startsWith(dir) && !d.equals(dir); d = d.getParent()) {
                if (!Files.isDirectory(d, LinkOption.NOFOLLOW_LINKS)) {
                    break; // a file of the new version took its place
                }
                try {
                    Files.delete(d);
                } catch (IOException e) {
                    break; // not empty (or gone): its parents are not empty either
                }
            }
        }
    }

    private interface Io<T> {
        T run() throws IOException;
    }

    private interface Step {
        void run() throws IOException;
    }

    private static <T> T io(Path file, Io<T> step) {
        try {
            return step.run();
        } catch (IOException e) {
            throw new DiskSpace.WriteFailed(file, e);
        }
    }

    private static void step(Path file, Step step) {
        try {
            step.run();
        } catch (IOException e) {
            throw new DiskSpace.WriteFailed(file, e);
        }
    }
}
