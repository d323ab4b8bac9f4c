package dev.kiln.magics.data;

import dev.kiln.magics.core.Html;
import dev.kiln.magics.core.ProgressText;
import dev.kiln.magics.core.Result;
import dev.kiln.magics.core.Sha256;
import dev.kiln.magics.core.UserError;
import dev.kiln.magics.core.VersionRecord;
import dev.kiln.magics.data.remote.Remote;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code kiln data gc}: removes from a remote the manifests and objects that no version reachable
 * from a ref or tag uses, unless they are younger than {@code --older-than} (what a push in progress
 * wrote). Refs and version records stay. Manifests go before objects, so at every moment a manifest
 * on the remote has all its objects (what a push relies on); an interrupted gc leaves the remote
 * consistent, and the next one carries on. A push and a gc never overlap ({@link RemoteLocks}).
 */
public final class GarbageCollector {

    private static final Pattern AGE = Pattern.compile("(\\d+)\\s*(s|m|h|d)?");
    /** A running gc stops removing this long before its lock would stop counting. */
    private static final Duration MARGIN = Duration.ofMinutes(5);

    /**
     * The lock a killed push left on the remote ({@code locks/push/…}), which gc removes.
     *
     * @param why how gc knows its push is gone: its process ended, or its heartbeat went quiet
     */
    public record StaleLock(String key, String who, String why) {
    }

    /**
     * What gc removed, or would remove on a dry run.
     *
     * @param versions   the versions reachable from refs and tags (or younger than the cut-off), kept whole
     * @param youngKept  unused manifests and objects kept because they are younger than the cut-off
     * @param staleLocks locks of killed pushes, removed (or that would be)
     */
    public record Report(String remote, boolean dryRun, Duration olderThan, int versions, List<Remote.Listed> manifests,
                         List<Remote.Listed> objects, int youngKept, List<StaleLock> staleLocks) implements Result {

        Report withStaleLocks(List<StaleLock> locks) {
            return new Report(remote, dryRun, olderThan, versions, manifests, objects, youngKept, List.copyOf(locks));
        }

        public long bytes() {
            return manifests.stream().mapToLong(Remote.Listed::size).sum() + objects.stream().mapToLong(Remote.Listed::size).sum();
        }

        /** Would remove 2 objects and 1 manifest (12.0 MB) from remote 'team'… */
        public String summary() {
            String what = ProgressText.count(objects.size(), "object") + " and " + ProgressText.count(manifests.size(), "manifest")
                    + " (" + ProgressText.bytes(bytes()) + ")";
            return (dryRun ? "Would remove " : "Removed ") + what + " from remote '" + remote + "': no version reachable from a "
                    + "ref or tag uses them (" + ProgressText.count(versions, "version") + " kept whole, "
                    + ProgressText.count(youngKept, "unused file") + " younger than " + age(olderThan) + " kept)."
                    + (dryRun && !(objects.isEmpty() && manifests.isEmpty()) ? " Run 'kiln data gc --delete' to remove them." : "")
                    + (staleLocks.isEmpty() ? "" : " " + (dryRun ? "Would remove " : "Removed ")
                    + ProgressText.count(staleLocks.size(), "lock") + " left by a killed push: " + String.join("; ",
                    staleLocks.stream().map(l -> l.key() + " (" + l.who() + "; " + l.why() + ")").toList()) + ".");
        }

        @Override
        public String text() {
            StringBuilder t = new StringBuilder(summary()).append('\n');
            List<Remote.Listed> all = new ArrayList<>(manifests);
            all.addAll(objects);
            all.stream().limit(50).forEach(l -> t.append("  ").append(l.key()).append("  ").append(ProgressText.bytes(l.size())).append('\n'));
            if (all.size() > 50) {
                t.append("  and ").append(all.size() - 50).append(" more\n");
            }
            return t.toString().stripTrailing();
        }

        @Override
        public String html() {
            return "<p>" + Html.escape(summary()) + "</p>";
        }
    }

    private final ProjectContext project;

    GarbageCollector(ProjectContext project) {
        this.project = project;
    }

    /** {@code 24h}, {@code 30m}, {@code 7d}, {@code 90s}, {@code 0}: how old unused files must be to go. */
    public static Duration parseAge(String text) {
        Matcher m = AGE.matcher(text.strip());
        if (!m.matches()) {
            throw new UserError("--older-than " + text + ": not an age. Write a number and a unit: 90s, 30m, 24h or 7d.");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        return switch (unit) {
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            default -> Duration.ofSeconds(n);
        };
    }

    static String age(Duration d) {
        long s = d.getSeconds();
        return s % 86_400 == 0 && s > 0 ? s / 86_400 + " d" : s % 3600 == 0 && s > 0 ? s / 3600 + " h"
                : s % 60 == 0 && s > 0 ? s / 60 + " min" : s + " s";
    }

    Report collect(String remoteName, Duration olderThan, boolean dryRun) {
        Remote r = project.remote(remoteName);
        if (dryRun) {
            Instant now = Instant.now();
            return plan(r, remoteName, olderThan, true, now).withStaleLocks(RemoteLocks.pushLocks(r, now).stream()
                    .filter(l -> l.gone().isPresent())
                    .map(l -> new StaleLock(l.key(), l.holder().who(), l.gone().get())).toList());
        }
        try (RemoteLocks.Lease lease = RemoteLocks.gc(r, project.author())) {
            Report report = plan(r, remoteName, olderThan, false, lease.taken()).withStaleLocks(lease.removedStale());
            Instant stopBy = lease.taken().plus(RemoteLocks.GC_LEASE).minus(MARGIN);
            // manifests first: a manifest left on the remote always has all its objects
            for (List<Remote.Listed> keys : List.of(report.manifests(), report.objects())) {
                for (Remote.Listed l : keys) {
                    if (Instant.now().isAfter(stopBy)) {
                        throw new UserError("gc of " + r.describe() + " stopped after " + RemoteLocks.GC_LEASE.toMinutes()
                                + " minutes (its lock's time) with part of the unused files removed; the remote is consistent. "
                                + "Run it again to remove the rest.");
                    }
                    r.delete(l.key());
                }
            }
            return report;
        }
    }

    /** What gc would remove now: unused manifests and objects older than the cut-off. */
    private Report plan(Remote r, String remoteName, Duration olderThan, boolean dryRun, Instant now) {
        Instant cutoff = now.minus(olderThan);
        Metadata metadata = project.metadata();
        List<Remote.Listed> manifestKeys = r.listDetailed("manifests/");
        Set<String> manifestsThere = new HashSet<>();
        for (Remote.Listed l : manifestKeys) {
            manifestsThere.add(l.key());
        }
        Set<String> keepManifests = new HashSet<>();
        Set<String> seen = new HashSet<>();
        List<String[]> roots = new ArrayList<>();
        for (String k : r.list("refs/")) {
            String[] part = k.split("/");
            if (part.length == 3 && RemoteLayout.isName(part[1]) && RemoteLayout.isName(part[2])) {
                Metadata.refTarget(r, part[1], part[2]).ifPresent(id -> roots.add(new String[]{part[1], id}));
            }
        }
        for (Remote.Listed l : r.listDetailed("versions/")) {
            String[] part = l.key().split("/");
            String id = part.length == 3 ? part[2].replace(".json", "") : "";
            if (l.modified().isAfter(cutoff) && RemoteLayout.isName(part[1]) && Sha256.isHex(id)) {
                roots.add(new String[]{part[1], id}); // a push in progress, its ref not moved yet
            }
        }
        for (String[] root : roots) {
            for (String cur = root[1]; cur != null && seen.add(root[0] + "/" + cur); ) {
                VersionRecord v = metadata.version(root[0], cur, remoteName);
                keepManifests.add(v.manifest());
                cur = v.parent();
            }
        }
        Set<String> keepObjects = new HashSet<>();
        for (String hash : keepManifests) {
            if (!manifestsThere.contains(RemoteLayout.manifest(hash))) {
                try {
                    // a used version whose manifest the remote lacks: its objects stay for when it is pushed again
                    metadata.manifest(hash, remoteName, "(gc)", hash).files().forEach(e -> keepObjects.add(e.sha256()));
                } catch (UserError e) {
                    // neither here nor on the remote: nothing to keep for it
                }
            }
        }
        List<Remote.Listed> goManifests = new ArrayList<>();
        int young = 0;
        for (Remote.Listed l : manifestKeys) {
            String hash = l.key().substring("manifests/sha256/".length()).replace("/", "");
            boolean used = keepManifests.contains(hash);
            if (used || l.modified().isAfter(cutoff) || !Sha256.isHex(hash)) {
                young += used || !Sha256.isHex(hash) ? 0 : 1;
                if (Sha256.isHex(hash)) {
                    for (ManifestEntry e : metadata.manifest(hash, remoteName, "(gc)", hash).files()) {
                        keepObjects.add(e.sha256());
                    }
                }
            } else {
                goManifests.add(l);
            }
        }
        List<Remote.Listed> goObjects = new ArrayList<>();
        for (Remote.Listed l : r.listDetailed("objects/")) {
            String sha = l.key().substring("objects/sha256/".length()).replace("/", "");
            if (keepObjects.contains(sha) || !Sha256.isHex(sha)) {
                continue;
            }
            if (l.modified().isAfter(cutoff)) {
                young++;
            } else {
                goObjects.add(l);
            }
        }
        goManifests.sort(Comparator.comparing(Remote.Listed::key));
        goObjects.sort(Comparator.comparing(Remote.Listed::key));
        return new Report(r.name(), dryRun, olderThan, seen.size(), goManifests, goObjects, young, List.of());
    }
}
